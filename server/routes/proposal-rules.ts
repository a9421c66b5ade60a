/**
 * GET /api/proposals/:id/rules: the rules a proposal runs under, fixed at its creation (a later
 * change of the space's settings never changes a running vote), with each stage resolved as the
 * server counts it: its voting type and choices (a stage pinned to `basic` votes For / Against /
 * Abstain), period, window, quorum and pass threshold; the proposal's kind with its definition
 * (its limits); and the late-quorum extension. The members' app shows these instead of re-deriving them.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.js';
import { findProposal } from '../../core/proposals/repository.js';
import { stageVoting } from '../../core/proposals/rules.js';
import { Bytes32, DecimalString, errorResponses } from './schemas.js';

const StageRulesSchema = Type.Object({
  stage: Type.Integer({ description: '1 = temperature check, 2 = consensus check' }),
  votingType: Type.String({ description: 'the voting type this stage counts with (never "proposal")' }),
  choices: Type.Array(Type.String(), { description: 'the choices of this stage, in order; choice numbers start at 1' }),
  period: Type.Integer({ description: 'seconds the stage is open' }),
  quorum: DecimalString,
  quorumRule: Type.Unknown({ description: 'the quorum setting the quorum was resolved from: {kind:"absolute",power} or {kind:"supply-fraction",bps}' }),
  passThresholdBps: Type.Integer({ description: 'the winning side needs more than this share, in basis points' }),
  start: Type.Union([Type.String(), Type.Null()], { description: 'when the stage opens (null: not yet known)' }),
  end: Type.Union([Type.String(), Type.Null()], { description: 'when the stage closes; moved once by a late quorum (lateQuorumExtension)' }),
});

const KindRulesSchema = Type.Object({
  name: Type.String({ description: 'the kind the signed Proposal names ("default" in a space without kinds)' }),
  definition: Type.Unknown({
    description:
      'the kind as the space declared it at creation: stages, proposalGate, lateQuorumExtension, execution, payloadLimits ({} for the implicit default)',
  }),
});

const ProposalRulesSchema = Type.Object({
  proposalId: Bytes32,
  space: Type.String(),
  kind: KindRulesSchema,
  stages: Type.Array(StageRulesSchema),
  lateQuorumExtension: Type.Integer({
    description: 'seconds (0: off): a stage first reaching quorum less than this before its end closes this long after that moment',
  }),
  settings: Type.Unknown({
    description:
      'the space settings as they were when the proposal was created, with its kind applied (its stages, gate and extension in place of the top-level ones)',
  }),
});

const proposalRulesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/proposals/:id/rules',
    {
      schema: {
        tags: ['proposals'],
        summary: 'The rules the proposal runs under (fixed at creation), each stage resolved: voting type, choices, period, quorum, pass threshold',
        params: Type.Object({ id: Bytes32 }),
        response: { 200: ProposalRulesSchema, 404: errorResponses[404] },
      },
    },
    async (request) => {
      const proposal = await findProposal(app.db.pool, request.params.id.toLowerCase());
      if (!proposal) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${request.params.id} does not exist`);
      const windows = [
        { start: proposal.temperatureStart, end: proposal.temperatureEnd, quorum: proposal.rules.quorum.temperature },
        { start: proposal.consensusStart, end: proposal.consensusEnd, quorum: proposal.rules.quorum.consensus },
      ];
      const stages = [1, 2].map((stage) => {
        const { votingType, choices, stageSettings } = stageVoting(proposal, stage);
        const window = windows[stage - 1]!;
        return {
          stage,
          votingType,
          choices,
          period: stageSettings.period,
          quorum: window.quorum,
          quorumRule: stageSettings.quorum,
          passThresholdBps: stageSettings.passThresholdBps,
          start: window.start?.toISOString() ?? null,
          end: window.end?.toISOString() ?? null,
        };
      });
      // Proposals created before kinds have no rules.kind: they ran under the implicit default.
      const kind = proposal.rules.kind ?? { name: proposal.kind, definition: {} };
      return {
        proposalId: proposal.id,
        space: proposal.spaceId,
        kind,
        stages,
        lateQuorumExtension: proposal.rules.settings.lateQuorumExtension ?? 0,
        settings: proposal.rules.settings,
      };
    },
  );
};

export default proposalRulesRoutes;
