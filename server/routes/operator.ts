/**
 * Operator endpoints for the execution relay (Authorization: Bearer ADMIN_TOKEN; off without
 * ADMIN_TOKEN): the same operations as `npm run relayer:cli` (relayer/cli.ts), on core/executions/operator.ts.
 * The server holds no relayer key: a dry run simulates from RELAYER_ADDRESS (or the address of
 * RELAYER_PRIVATE_KEY when that is set). Retry and cancel-job only queue or remove jobs and update the
 * execution row; the relayer process does the sending.
 *
 *   GET  /api/admin/executions?status=&limit=      list
 *   GET  /api/admin/executions/:id                 status
 *   GET  /api/admin/executions/:id/dry-run         dry run (nothing is sent)
 *   POST /api/admin/executions/:id/retry           retry a failed or operator-cancelled execution
 *   POST /api/admin/executions/:id/cancel-job      remove its waiting/delayed jobs and park it until a retry
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Config } from '../../core/config.js';
import { AppError, ConflictError, InvalidInputError, NotFoundError } from '../../core/errors.js';
import { PermanentError, TransientError } from '../../core/executions/errors.js';
import { bindOperator, operatorDeps, toJson } from '../../core/executions/operator-api.js';
import { EXECUTION_STATUSES } from '../../core/executions/repository.js';
import { adminAuth } from './admin-auth.js';
import { Address, Bytes32, errorResponses } from './schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Status = Type.Union(EXECUTION_STATUSES.map((s) => Type.Literal(s)));

const ExecutionRowSchema = Type.Object({
  proposalId: Bytes32,
  status: Status,
  operationId: Nullable(Bytes32),
  scheduleTx: Nullable(Bytes32),
  eta: Nullable(DateTime),
  executeTx: Nullable(Bytes32),
  executeBlock: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  enqueuedAt: Nullable(DateTime),
  updatedAt: DateTime,
});

const SimulationSchema = Type.Object({ ok: Type.Boolean(), gasEstimate: Nullable(Type.String()), error: Nullable(Type.String()) });
const PinSchema = Type.Object({ target: Address, recorded: Nullable(Type.String()), current: Type.String(), ok: Type.Boolean() });

const StatusReportSchema = Type.Object({
  proposalId: Bytes32,
  proposalState: Type.String(),
  executionMode: Type.String(),
  execution: Nullable(ExecutionRowSchema),
  plan: Nullable(
    Type.Object({
      mode: Type.String(),
      timelock: Address,
      governor: Nullable(Address),
      predecessor: Bytes32,
      salt: Bytes32,
      operationId: Bytes32,
      description: Nullable(Type.String()),
      descriptionHash: Nullable(Bytes32),
      governorProposalId: Nullable(Type.String()),
    }),
  ),
  chain: Type.Object({
    operationState: Nullable(Type.String()),
    readyAt: Nullable(DateTime),
    governorState: Nullable(Type.String()),
    governorEta: Nullable(DateTime),
    headBlock: Type.Integer(),
    headTime: DateTime,
  }),
  pins: Type.Array(PinSchema),
  jobs: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      state: Type.String(),
      attemptsMade: Type.Integer(),
      failedReason: Nullable(Type.String()),
      delayUntil: Nullable(DateTime),
    }),
  ),
  pendingTx: Type.Array(
    Type.Object({
      step: Type.String(),
      nonce: Type.Optional(Type.Integer()),
      hashes: Type.Optional(Type.Array(Bytes32)),
      sentAt: Type.Optional(Type.Number()),
      claimedAt: Type.Number(),
    }),
  ),
});

const DryRunSchema = Type.Object({
  proposalId: Bytes32,
  executionMode: Type.String(),
  step: Nullable(Type.String()),
  action: Type.String(),
  to: Nullable(Address),
  data: Nullable(Type.String()),
  simulation: Nullable(SimulationSchema),
  remaining: Type.Array(
    Type.Object({ step: Type.String(), action: Type.String(), when: Type.String(), to: Address, data: Type.String(), simulation: Nullable(SimulationSchema) }),
  ),
  calls: Type.Array(Type.Object({ index: Type.Integer(), target: Address, value: Type.String(), data: Type.String(), simulation: SimulationSchema })),
  pins: Type.Array(PinSchema),
  refusal: Nullable(Type.String()),
});

const ProposalParams = Type.Object({ id: Bytes32 });
const auth = 'operators; Authorization: Bearer ADMIN_TOKEN';

/** Maps the operator layer's errors to API errors. */
function apiError(error: unknown): unknown {
  if (error instanceof PermanentError) {
    if (error.code === 'not-found') return new NotFoundError('EXECUTION_NOT_FOUND', error.message);
    if (error.code === 'not-executable') return new ConflictError('NOT_EXECUTABLE', error.message);
    return new ConflictError('OPERATOR_REFUSED', error.message, { details: { reason: error.code } });
  }
  if (error instanceof TransientError) return new AppError('RPC_ERROR', 503, error.message, { retryable: true });
  return error;
}

const operatorRoutes: FastifyPluginAsyncTypebox<{ adminToken: string | undefined; config: Config }> = async (app, opts) => {
  const api = bindOperator(
    operatorDeps({ config: opts.config, pool: app.db.pool, queue: app.gov.executionQueue, redis: app.redis, provider: app.chain.provider, logger: app.log }),
  );
  const onRequest = adminAuth(opts.adminToken);
  const run = async <T>(work: () => Promise<T>) => {
    try {
      return toJson(await work()) as never;
    } catch (error) {
      throw apiError(error);
    }
  };

  app.get(
    '/api/admin/executions',
    {
      onRequest,
      schema: {
        tags: ['admin'],
        summary: `Executions, most recently changed first (${auth})`,
        querystring: Type.Object({
          status: Type.Optional(Type.String({ maxLength: 200, description: `Comma-separated statuses: ${EXECUTION_STATUSES.join(', ')}.` })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(ExecutionRowSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const statuses = request.query.status
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = statuses?.find((s) => !(EXECUTION_STATUSES as readonly string[]).includes(s));
      if (bad) throw new InvalidInputError('INVALID_REQUEST', `unknown status "${bad}" (one of ${EXECUTION_STATUSES.join(', ')})`);
      const items = await run(() => api.list({ ...(statuses?.length ? { statuses } : {}), limit: request.query.limit ?? 100 }));
      return { items };
    },
  );

  app.get(
    '/api/admin/executions/:id',
    {
      onRequest,
      schema: {
        tags: ['admin'],
        summary: `A proposal's execution: row, derived ids, the chain's view, pins, jobs, in-flight transactions (${auth})`,
        params: ProposalParams,
        response: { 200: StatusReportSchema, ...errorResponses },
      },
    },
    async (request) => {
      const report = await run(() => api.getStatus(request.params.id));
      // A signal proposal never has an execution: nothing to report (docs/api.md).
      if ((report as { executionMode: string }).executionMode === '') {
        throw new NotFoundError('EXECUTION_NOT_FOUND', `proposal ${request.params.id} is a signal proposal: it has no execution`);
      }
      return report;
    },
  );

  app.get(
    '/api/admin/executions/:id/dry-run',
    {
      onRequest,
      schema: {
        tags: ['admin'],
        summary: `Every remaining step and payload call, simulated with eth_call; nothing is sent (${auth})`,
        params: ProposalParams,
        response: { 200: DryRunSchema, ...errorResponses },
      },
    },
    async (request) => run(() => api.dryRun(request.params.id)),
  );

  app.post(
    '/api/admin/executions/:id/retry',
    {
      onRequest,
      schema: {
        tags: ['admin'],
        summary: `Put a failed or operator-cancelled execution back to what the chain says and queue its step (${auth})`,
        params: ProposalParams,
        response: { 200: Type.Object({ status: Status, step: Nullable(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => run(() => api.retry(request.params.id)),
  );

  app.post(
    '/api/admin/executions/:id/cancel-job',
    {
      onRequest,
      schema: {
        tags: ['admin'],
        summary: `Remove the proposal's waiting/delayed jobs and park the execution (failed, cancelled-by-operator) until a retry; nothing changes on chain (${auth})`,
        params: ProposalParams,
        response: { 200: Type.Object({ removed: Type.Array(Type.String()), running: Type.Array(Type.String()), status: Nullable(Status) }), ...errorResponses },
      },
    },
    async (request) => run(() => api.cancelJob(request.params.id)),
  );
};

export default operatorRoutes;
