import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFoundError } from '../../core/errors.js';
import { findExecution } from '../../core/executions/repository.js';
import { PROPOSAL_STATES } from '../../core/lifecycle/states.js';
import { findProposal, listProposals, type ProposalRecord } from '../../core/proposals/repository.js';
import { listProposalMessages } from '../../core/db/signed-messages.js';
import { findStageResult, listStageResults } from '../../core/db/stage-results.js';
import { listVotes } from '../../core/db/votes.js';
import { listTransitions } from '../../core/db/proposal-transitions.js';
import { listVetoes, type VetoRow } from '../../core/db/vetoes.js';
import { VETO_GUARD_SECONDS, vetoDeadline } from '../../core/executions/veto-window.js';
import { listSimulations, type StoredSimulation } from '../../core/db/payload-simulations.js';
import { tallyStage, tallyToJson } from '../votes/stage-tally.js';
import { explainPower } from '../delegations/explain.js';
import { delegationEnabled } from '../../core/spaces/settings.js';
import { powerSubjectOf } from '../votes/voting-power.js';
import {
  Address,
  Bytes32,
  DecimalString,
  errorResponses,
  Page,
  PageQuery,
  PowerExplanationFields,
  SignedMessageSchema,
  StageResultSchema,
  TallySchema,
  TransitionSchema,
} from './schemas.js';
import { dec, decodeCursor, encodeCursor, executionJson, signedMessageJson, stageResultJson, transitionJson } from './serialize.js';

const ProposalParams = Type.Object({ id: Bytes32 });
const Stage = Type.Union([Type.Literal(1), Type.Literal(2)], { description: '1 = temperature check, 2 = consensus check' });

const ProposalSchema = Type.Object({
  id: Bytes32,
  space: Type.String(),
  author: Address,
  title: Type.String(),
  body: Type.String(),
  discussion: Type.String(),
  choices: Type.Array(Type.String()),
  votingType: Type.String(),
  snapshot: DecimalString,
  execution: Type.String({ description: '"" (signal), "timelock" or "governor"' }),
  payloadHash: Bytes32,
  payload: Type.Union([
    Type.Object({ targets: Type.Array(Type.String()), values: Type.Array(Type.String()), calldatas: Type.Array(Type.String()) }),
    Type.Null(),
  ]),
  targetCodeHashes: Type.Array(Type.Object({ target: Type.String(), codeHash: Type.String() })),
  idea: Type.Union([Type.String(), Type.Null()], { description: 'The Discord idea this proposal promoted (GET /api/ideas/{id}), or null.' }),
  kind: Type.String({
    description: 'The space\'s proposal kind it runs under ("default" in a space without kinds); its rules: GET /api/proposals/{id}/rules.',
  }),
  state: Type.Enum([...PROPOSAL_STATES]),
  createdAt: Type.String(),
  temperature: Type.Object({ start: Type.String(), end: Type.String(), quorum: DecimalString }),
  consensus: Type.Object({ start: Type.Union([Type.String(), Type.Null()]), end: Type.Union([Type.String(), Type.Null()]), quorum: DecimalString }),
  results: Type.Array(StageResultSchema),
  executionStatus: Type.Union([Type.Unknown(), Type.Null()]),
  simulations: Type.Array(
    Type.Object({
      phase: Type.Enum(['created', 'consensus', 'schedule'], {
        description: 'created: at proposal creation; consensus: when the consensus check opened; schedule: right before the relayer scheduled',
      }),
      method: Type.Enum(['state-override', 'per-call'], {
        description: 'state-override: the whole batch in one eth_call from the executor, with balance changes; per-call: each call alone',
      }),
      block: DecimalString,
      executor: Address,
      ok: Type.Boolean(),
      failedCall: Type.Union([Type.Integer(), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()], { description: 'the decoded revert of the failing call' }),
      balanceChanges: Type.Union([
        Type.Array(
          Type.Object({
            token: Type.Union([Address, Type.Null()], { description: 'null: ether' }),
            account: Address,
            before: DecimalString,
            after: DecimalString,
            delta: Type.String({ pattern: '^-?[0-9]+$', description: 'after − before, base units' }),
          }),
        ),
        Type.Null(),
      ]),
      simulatedAt: Type.String(),
    }),
    { description: 'The payload simulated from the executor at each phase (executable proposals; empty in lists)' },
  ),
  veto: Type.Union(
    [
      Type.Object({
        council: Type.Object({ members: Type.Array(Address), threshold: Type.Integer() }),
        vetoes: Type.Array(Type.Object({ member: Address, reason: Type.String(), messageId: Bytes32, receivedAt: Type.String() })),
        thresholdReached: Type.Boolean(),
        vetoedAt: Type.Union([Type.String(), Type.Null()], { description: 'when the threshold was reached: the relayer cancels the operation' }),
        deadline: Type.Union([Type.String(), Type.Null()], {
          description: `the last moment (exclusive, on the chain's clock) a veto is accepted: ${VETO_GUARD_SECONDS} s before the operation's ready time; null until it is scheduled`,
        }),
      }),
      Type.Null(),
    ],
    { description: 'The veto council of the proposal (its rules) and the signed vetoes so far; null without a council, and in lists' },
  ),
});

const VoteSchema = Type.Object({
  voter: Address,
  stage: Type.Integer(),
  choice: Type.Unknown(),
  reason: Type.String(),
  power: DecimalString,
  timestamp: DecimalString,
  messageId: Bytes32,
  receivedAt: Type.String(),
});

function simulationJson(s: StoredSimulation) {
  return { ...s, block: String(s.block), simulatedAt: s.simulatedAt.toISOString() };
}

function vetoJson(p: ProposalRecord, vetoes: VetoRow[], execution: { vetoedAt: Date | null; eta: Date | null } | null) {
  const council = p.rules.settings.council;
  if (!council) return null;
  const counted = vetoes.filter((v) => council.members.includes(v.member)).length;
  return {
    council: { members: council.members, threshold: council.threshold },
    vetoes: vetoes.map((v) => ({ member: v.member, reason: v.reason, messageId: v.messageId, receivedAt: v.receivedAt.toISOString() })),
    thresholdReached: counted >= council.threshold,
    vetoedAt: execution?.vetoedAt?.toISOString() ?? null,
    deadline: execution?.eta ? vetoDeadline(execution.eta).toISOString() : null,
  };
}

function proposalJson(
  p: ProposalRecord,
  extra: {
    results: ReturnType<typeof stageResultJson>[];
    execution: ReturnType<typeof executionJson> | null;
    veto: ReturnType<typeof vetoJson>;
    simulations: ReturnType<typeof simulationJson>[];
  },
) {
  return {
    id: p.id,
    space: p.spaceId,
    author: p.author,
    title: p.title,
    body: p.body,
    discussion: p.discussion,
    choices: p.choices,
    votingType: p.votingType,
    snapshot: p.snapshotBlock.toString(),
    execution: p.executionMode,
    payloadHash: p.payloadHash,
    payload: p.payload,
    targetCodeHashes: p.targetCodeHashes,
    idea: p.ideaId,
    kind: p.kind,
    state: p.state as (typeof PROPOSAL_STATES)[number],
    createdAt: p.createdAt.toISOString(),
    temperature: { start: p.temperatureStart.toISOString(), end: p.temperatureEnd.toISOString(), quorum: p.rules.quorum.temperature },
    consensus: { start: p.consensusStart?.toISOString() ?? null, end: p.consensusEnd?.toISOString() ?? null, quorum: p.rules.quorum.consensus },
    results: extra.results,
    executionStatus: extra.execution,
    simulations: extra.simulations,
    veto: extra.veto,
  };
}

const proposalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { pool } = app.db;

  async function requireProposal(id: string): Promise<ProposalRecord> {
    const proposal = await findProposal(pool, id.toLowerCase());
    if (!proposal) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${id} does not exist`);
    return proposal;
  }

  app.get(
    '/api/proposals',
    {
      schema: {
        tags: ['proposals'],
        summary: 'List proposals, newest first, filtered by space and/or state',
        querystring: Type.Object({ space: Type.Optional(Type.String()), state: Type.Optional(Type.Enum([...PROPOSAL_STATES])), ...PageQuery }),
        response: { 200: Page(ProposalSchema), 400: errorResponses[400] },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 100;
      const cursor = decodeCursor(request.query.cursor);
      const rows = await listProposals(pool, {
        spaceId: request.query.space,
        state: request.query.state,
        after: cursor ? { createdAt: new Date(Number(cursor[0])), id: String(cursor[1]) } : null,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const items = page.map((proposal) => proposalJson(proposal, { results: [], execution: null, veto: null, simulations: [] }));
      const last = page.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.getTime(), last.id]) : null };
    },
  );

  app.get(
    '/api/proposals/:id',
    {
      schema: {
        tags: ['proposals'],
        summary: 'One proposal with its stage results and execution status',
        params: ProposalParams,
        response: { 200: ProposalSchema, 404: errorResponses[404] },
      },
    },
    async (request) => {
      const proposal = await requireProposal(request.params.id);
      const [results, execution, vetoes, simulations] = await Promise.all([
        listStageResults(pool, proposal.id),
        findExecution(app.db.pool, proposal.id),
        proposal.rules.settings.council ? listVetoes(pool, proposal.id) : Promise.resolve([]),
        proposal.payload ? listSimulations(pool, proposal.id) : Promise.resolve([]),
      ]);
      return proposalJson(proposal, {
        results: results.map(stageResultJson),
        execution: execution ? executionJson(execution) : null,
        veto: vetoJson(proposal, vetoes, execution),
        simulations: simulations.map(simulationJson),
      });
    },
  );

  app.get(
    '/api/proposals/:id/tally',
    {
      schema: {
        tags: ['proposals'],
        summary: 'The tally of a stage: final if the stage has closed, live otherwise',
        params: ProposalParams,
        querystring: Type.Object({ stage: Type.Optional(Stage) }),
        response: {
          200: Type.Object({ stage: Type.Integer(), final: Type.Boolean(), tally: TallySchema, result: Type.Union([StageResultSchema, Type.Null()]) }),
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      const proposal = await requireProposal(request.params.id);
      const stage = request.query.stage ?? (proposal.consensusStart ? 2 : 1);
      const stored = await findStageResult(pool, proposal.id, stage);
      if (stored) {
        const result = stageResultJson(stored);
        const { scores, scoresByStrategy, totalPower, voterCount, votingType, choices } = result;
        // stage_results keeps no rounds: a closed ranked-choice stage's rounds come from the recount
        // of its votes, which no longer change (the same recount that stored the result).
        const rounds = votingType === 'ranked-choice' ? tallyToJson(await tallyStage(pool, proposal, stage)).rounds : undefined;
        return { stage, final: true, tally: { scores, scoresByStrategy, totalPower, voterCount, votingType, choices, ...(rounds ? { rounds } : {}) }, result };
      }
      const tally = app.gov.liveTally.current(proposal.id, stage) ?? tallyToJson(await tallyStage(pool, proposal, stage));
      return { stage, final: false, tally, result: null };
    },
  );

  app.get(
    '/api/proposals/:id/votes',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Current votes (one per voter and stage), paginated',
        params: ProposalParams,
        querystring: Type.Object({ stage: Type.Optional(Stage), ...PageQuery }),
        response: { 200: Page(VoteSchema), 404: errorResponses[404] },
      },
    },
    async (request) => {
      const proposal = await requireProposal(request.params.id);
      const limit = request.query.limit ?? 100;
      const cursor = decodeCursor(request.query.cursor);
      const rows = await listVotes(pool, proposal.id, {
        stage: request.query.stage,
        after: cursor ? { stage: Number(cursor[0]), voter: String(cursor[1]) } : null,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((v) => ({
          voter: v.voter,
          stage: v.stage,
          choice: v.choice,
          reason: v.reason,
          power: dec(v.power),
          timestamp: v.timestamp.toString(),
          messageId: v.messageId,
          receivedAt: v.receivedAt.toISOString(),
        })),
        nextCursor: rows.length > limit && last ? encodeCursor([last.stage, last.voter]) : null,
      };
    },
  );

  app.get(
    '/api/proposals/:id/power/:address',
    {
      schema: {
        tags: ['proposals'],
        summary: "A voter's power on this proposal, at its snapshot, per strategy, with delegation explained: own, given, received per delegator",
        params: Type.Object({ id: Bytes32, address: Address }),
        response: {
          200: Type.Object({
            address: Address,
            snapshot: DecimalString,
            power: DecimalString,
            byStrategy: Type.Array(DecimalString),
            ...PowerExplanationFields,
          }),
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      const proposal = await requireProposal(request.params.id);
      const address = request.params.address.toLowerCase();
      // power and byStrategy are the address's own power (what its vote stores); delegation is added by the tally.
      const delegation = delegationEnabled(proposal.rules.settings) ? app.gov.delegation.forProposal(proposal) : null;
      const [power, snapshot] = await Promise.all([app.gov.power.get(powerSubjectOf(proposal), address), delegation]);
      return {
        address,
        snapshot: proposal.snapshotBlock.toString(),
        power: power.total.toString(),
        byStrategy: power.byStrategy.map(String),
        ...explainPower(address, power, snapshot, proposal.rules.settings.strategies.length),
      };
    },
  );

  app.get(
    '/api/proposals/:id/power-preload',
    {
      schema: {
        tags: ['proposals'],
        summary: "This server instance's head start on the proposal's voting power: likely voters found and computed before they vote",
        params: ProposalParams,
        response: {
          200: Type.Object({
            state: Type.Enum(['off', 'idle', 'queued', 'running', 'ready', 'failed'], {
              description: 'off: POWER_PRELOAD_MAX_HOLDERS is 0; idle: not started on this instance (it starts at the first vote)',
            }),
            holders: Type.Integer({ description: 'likely holders found (token recipients or delegates up to the snapshot)' }),
            computed: Type.Integer({ description: 'of those, whose power is computed' }),
            complete: Type.Boolean({ description: 'false when the search stopped at POWER_PRELOAD_MAX_HOLDERS' }),
            logRequests: Type.Integer(),
            ms: Type.Integer(),
            error: Type.Optional(Type.String()),
          }),
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      const proposal = await requireProposal(request.params.id);
      return app.gov.preloader.status(proposal.id);
    },
  );

  app.get(
    '/api/proposals/:id/messages',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Every signed message about this proposal, verbatim, in arrival order (for audit and recomputation)',
        params: ProposalParams,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(SignedMessageSchema), 404: errorResponses[404] },
      },
    },
    async (request) => {
      const proposal = await requireProposal(request.params.id);
      const limit = request.query.limit ?? 100;
      const cursor = decodeCursor(request.query.cursor);
      const rows = await listProposalMessages(pool, proposal.id, {
        after: cursor ? { receivedAt: new Date(Number(cursor[0])), id: String(cursor[1]) } : null,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(signedMessageJson), nextCursor: rows.length > limit && last ? encodeCursor([last.receivedAt.getTime(), last.id]) : null };
    },
  );

  app.get(
    '/api/proposals/:id/history',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Lifecycle history: every transition with its time and cause',
        params: ProposalParams,
        response: { 200: Type.Object({ items: Type.Array(TransitionSchema) }), 404: errorResponses[404] },
      },
    },
    async (request) => {
      const proposal = await requireProposal(request.params.id);
      const transitions = await listTransitions(pool, proposal.id);
      return { items: transitions.map(transitionJson) };
    },
  );
};

export default proposalRoutes;
