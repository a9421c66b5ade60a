/**
 * The executable payload for people (server/payload/):
 *
 *   GET  /api/proposals/:id/payload   each call decoded and simulated from the executor, the payload hash,
 *                                     and the timelock operation id with the inputs to recompute it
 *   POST /api/payload/encode          calldata of one function call from an ABI fragment and its arguments
 *                                     (the proposal form's payload builder; keeps an ABI coder out of the browser)
 *   POST /api/payload/preview         the same for an unsigned payload in a space (the proposal form shows
 *                                     it before the author signs); no operation id, as the proposal id
 *                                     (its salt) exists only once the proposal is signed
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Fragment, FunctionFragment, Interface } from 'ethers';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import { findProposal } from '../../core/proposals/repository.js';
import { parsePayload } from '../../core/proposals/payload.js';
import type { TokenMetadataCache } from '../../core/chain/token-metadata.js';
import type { SpaceSettings } from '../spaces/settings.js';
import { describePayload, mergeAbis, type DescribedPayload } from '../payload/describe.js';
import { operationInputs, type OperationInputs } from '../payload/operation.js';
import { SimulationUnavailableError } from '../payload/simulate.js';
import { TokenMetadataSchema, rpcFailure } from './chain.js';
import { Address, Bytes32, DecimalString, errorResponses } from './schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Hex = Type.String({ pattern: '^0x([0-9a-fA-F]{2})*$' });

const DecodedCallSchema = Type.Object({
  kind: Type.Enum(['erc20-transfer', 'eth-transfer', 'call', 'raw']),
  function: Nullable(Type.String({ description: 'signature, e.g. transfer(address,uint256)' })),
  args: Type.Array(Type.Object({ name: Type.String(), type: Type.String(), value: Type.String() })),
  text: Type.String({ description: 'one sentence for people, e.g. "20 BTK from the treasury to 0x…"' }),
  token: Type.Optional(TokenMetadataSchema),
  amount: Type.Optional(Type.String({ description: 'erc20-transfer: the amount in base units' })),
});

const CallSimulationSchema = Type.Object({
  ok: Type.Boolean(),
  gasEstimate: Nullable(Type.String()),
  error: Nullable(Type.String({ description: 'the decoded revert, e.g. ERC20InsufficientBalance(0x…, 0, 5000000000000000000)' })),
});

const DescribedPayloadSchema = {
  payloadHash: Bytes32,
  executor: Nullable(Address),
  calls: Type.Array(
    Type.Object({
      index: Type.Integer(),
      target: Address,
      value: DecimalString,
      data: Hex,
      decoded: DecodedCallSchema,
      simulation: Nullable(CallSimulationSchema),
    }),
  ),
  simulation: Nullable(
    Type.Object(
      { from: Address, block: DecimalString, ok: Type.Boolean() },
      { description: 'each call run with eth_call from the executor at `block`, one by one; null without an executor' },
    ),
  ),
};

const OperationSchema = Type.Object({
  mode: Type.Enum(['timelock', 'governor']),
  timelock: Address,
  governor: Nullable(Address),
  targets: Type.Array(Address),
  values: Type.Array(DecimalString),
  calldatas: Type.Array(Hex),
  predecessor: Bytes32,
  salt: Bytes32,
  description: Nullable(Type.String()),
  descriptionHash: Nullable(Bytes32),
  operationId: Bytes32,
  governorProposalId: Nullable(DecimalString),
  formula: Type.String(),
});

const PayloadBody = Type.Object(
  {
    space: Type.String({ minLength: 1, maxLength: 80 }),
    payload: Type.Object({ targets: Type.Array(Type.String()), values: Type.Array(Type.String()), calldatas: Type.Array(Type.String()) }),
  },
  { additionalProperties: false },
);

/** Simulations run several eth_calls: one answer per proposal is reused this long, for every reader of the page. */
const CACHE_MS = 3_000;

type ProposalPayload = DescribedPayload & { proposalId: string; execution: string; operation: OperationInputs | null };

const payloadRoutes: FastifyPluginAsyncTypebox<{ tokens: TokenMetadataCache }> = async (app, { tokens }) => {
  const deps = { provider: app.chain.provider, tokens };
  const cache = new Map<string, { at: number; answer: Promise<ProposalPayload> }>();

  async function describe(payload: Parameters<typeof describePayload>[0], settings: Parameters<typeof describePayload>[1]): Promise<DescribedPayload> {
    try {
      return await describePayload(payload, settings, deps);
    } catch (error) {
      if (error instanceof SimulationUnavailableError) throw rpcFailure(error.cause ?? error);
      throw error;
    }
  }

  async function currentAbis(spaceId: string) {
    const space = await app.db.prisma.space.findUnique({ where: { id: spaceId }, select: { settings: true } });
    return (space?.settings as SpaceSettings | undefined)?.abis;
  }

  app.get(
    '/api/proposals/:id/payload',
    {
      schema: {
        tags: ['proposals'],
        summary: 'The executable payload for people: each call decoded and simulated from the executor, and the timelock operation id with its inputs',
        params: Type.Object({ id: Bytes32 }),
        response: {
          200: Type.Object({
            proposalId: Bytes32,
            execution: Type.String({ description: '"" (signal), "timelock" or "governor"' }),
            ...DescribedPayloadSchema,
            operation: Nullable(OperationSchema),
          }),
          404: errorResponses[404],
          503: errorResponses[503],
        },
      },
    },
    async (request) => {
      const id = request.params.id.toLowerCase();
      const hit = cache.get(id);
      if (hit && Date.now() - hit.at < CACHE_MS) return hit.answer;
      const answer = (async (): Promise<ProposalPayload> => {
        const proposal = await findProposal(app.db.pool, id);
        if (!proposal) throw new NotFoundError('PROPOSAL_NOT_FOUND', `proposal ${request.params.id} does not exist`);
        const settings = proposal.rules.settings;
        if (!proposal.payload) {
          return {
            proposalId: proposal.id,
            execution: proposal.executionMode,
            payloadHash: proposal.payloadHash,
            executor: settings.executor ?? null,
            calls: [],
            simulation: null,
            operation: null,
          };
        }
        const described = await describe(proposal.payload, { ...settings, abis: mergeAbis(await currentAbis(proposal.spaceId), settings.abis) });
        let operation: OperationInputs | null = null;
        const mode = proposal.executionMode;
        if ((mode === 'timelock' || mode === 'governor') && settings.executor && (mode === 'timelock' || settings.governor)) {
          operation = operationInputs({
            id: proposal.id,
            title: proposal.title,
            mode,
            calls: described.calls,
            executor: settings.executor,
            governor: settings.governor,
          });
        }
        return { proposalId: proposal.id, execution: mode, ...described, operation };
      })();
      cache.set(id, { at: Date.now(), answer });
      answer.catch(() => cache.delete(id));
      if (cache.size > 1000) cache.delete(cache.keys().next().value!);
      return answer;
    },
  );

  app.post(
    '/api/payload/encode',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Calldata of one call from a human-readable function fragment and its arguments (decimal strings for integers, JSON for arrays and tuples)',
        body: Type.Object(
          {
            fragment: Type.String({ minLength: 1, maxLength: 1000, description: 'e.g. "function pay(address to, uint256 amount)"' }),
            args: Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 32 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ data: Hex, function: Type.String(), selector: Type.String() }), 400: errorResponses[400] },
      },
    },
    async (request) => {
      let fragment: FunctionFragment;
      try {
        const parsed = Fragment.from(request.body.fragment.trim().startsWith('function') ? request.body.fragment : `function ${request.body.fragment}`);
        if (!(parsed instanceof FunctionFragment)) throw new Error('not a function');
        fragment = parsed;
      } catch (error) {
        throw new InvalidInputError('INVALID_FRAGMENT', `not a function fragment: ${error instanceof Error ? error.message.split(' (')[0] : 'unparsable'}`);
      }
      if (request.body.args.length !== fragment.inputs.length) {
        throw new InvalidInputError(
          'INVALID_ARGUMENTS',
          `${fragment.format('sighash')} takes ${fragment.inputs.length} arguments, got ${request.body.args.length}`,
        );
      }
      const values = request.body.args.map((raw, i) => {
        const type = fragment.inputs[i]!.baseType;
        if (type === 'array' || type === 'tuple') {
          try {
            return JSON.parse(raw) as unknown;
          } catch {
            throw new InvalidInputError('INVALID_ARGUMENTS', `argument ${i + 1} (${fragment.inputs[i]!.type}) must be JSON`);
          }
        }
        if (type === 'bool') return raw === 'true';
        return raw.trim();
      });
      try {
        const data = new Interface([fragment]).encodeFunctionData(fragment, values);
        return { data, function: fragment.format('sighash'), selector: fragment.selector };
      } catch (error) {
        throw new InvalidInputError(
          'INVALID_ARGUMENTS',
          `the arguments do not fit ${fragment.format('sighash')}: ${error instanceof Error ? error.message.split(' (')[0] : 'invalid'}`,
        );
      }
    },
  );

  app.post(
    '/api/payload/preview',
    {
      schema: {
        tags: ['proposals'],
        summary: 'Decode and simulate an unsigned payload in a space, and give its payloadHash (for the proposal form, before signing)',
        body: PayloadBody,
        response: { 200: Type.Object(DescribedPayloadSchema), 400: errorResponses[400], 404: errorResponses[404], 503: errorResponses[503] },
      },
    },
    async (request) => {
      const space = await app.db.prisma.space.findUnique({ where: { id: request.body.space } });
      if (!space) throw new NotFoundError('SPACE_NOT_FOUND', `space ${request.body.space} does not exist`);
      const payload = parsePayload(request.body.payload);
      const settings = space.settings as SpaceSettings;
      if (!settings.executor) throw new InvalidInputError('NO_EXECUTOR', `space ${space.id} has no executor: its proposals cannot execute a payload`);
      return describe(payload, settings);
    },
  );
};

export default payloadRoutes;
