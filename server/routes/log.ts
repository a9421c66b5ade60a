/**
 * The message log's public endpoints (docs/api.md, "The message log"): signed tree heads, inclusion
 * and consistency proofs computed from stored subtree hashes (O(log n) reads), and leaves by range
 * so anyone can mirror the log and recompute every root.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import { findLeafByMessage, findTreeHead, latestTreeHead, listLeaves, type TreeHeadRow } from '../../core/db/log.js';
import { treeHeadJson } from '../../core/log/append.js';
import { consistencyProof, inclusionProof } from '../../core/log/proofs.js';
import { toHex } from '../../core/log/merkle.js';
import { Bytes32, errorResponses, SignedTreeHeadSchema } from './schemas.js';
import type { Queryable } from '../../core/db/transaction.js';

/** Most leaves one GET /api/log/leaves answers. */
export const MAX_LEAVES_PER_PAGE = 1000;

const TreeSize = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const LOG_ERRORS = { 400: errorResponses[400], 404: errorResponses[404] };

async function requireLatestHead(db: Queryable): Promise<TreeHeadRow> {
  const head = await latestTreeHead(db);
  if (!head) throw new NotFoundError('TREE_HEAD_NOT_FOUND', 'the log is empty: no tree head has been published yet');
  return head;
}

function beyondHead(field: string, value: number, head: TreeHeadRow): InvalidInputError {
  return new InvalidInputError('TREE_SIZE_BEYOND_HEAD', `${field} ${value} is beyond the latest tree head (size ${head.treeSize})`, {
    details: { path: `query/${field}`, treeSize: head.treeSize },
  });
}

const logRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const pool = app.db.pool;

  app.get(
    '/api/log/head',
    {
      schema: {
        tags: ['log'],
        summary: 'The latest signed tree head of the message log',
        response: { 200: SignedTreeHeadSchema, 404: errorResponses[404] },
      },
    },
    async () => treeHeadJson(await requireLatestHead(pool)),
  );

  app.get(
    '/api/log/heads/:treeSize',
    {
      schema: {
        tags: ['log'],
        summary: 'The signed tree head published at exactly this size (one per committed append)',
        params: Type.Object({ treeSize: TreeSize }),
        response: { 200: SignedTreeHeadSchema, ...LOG_ERRORS },
      },
    },
    async (request) => {
      const head = await findTreeHead(pool, request.params.treeSize);
      if (!head) throw new NotFoundError('TREE_HEAD_NOT_FOUND', `no tree head was published at size ${request.params.treeSize}`);
      return treeHeadJson(head);
    },
  );

  app.get(
    '/api/log/proof/inclusion',
    {
      schema: {
        tags: ['log'],
        summary: "A message's inclusion proof (RFC 9162 audit path) in the tree of treeSize leaves (default: the latest head's)",
        querystring: Type.Object({ id: Bytes32, treeSize: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })) }),
        response: {
          200: Type.Object({ messageId: Bytes32, leafIndex: Type.Integer(), treeSize: Type.Integer(), leafHash: Bytes32, auditPath: Type.Array(Bytes32) }),
          ...LOG_ERRORS,
        },
      },
    },
    async (request) => {
      const messageId = request.query.id.toLowerCase();
      const [leaf, head] = await Promise.all([findLeafByMessage(pool, messageId), requireLatestHead(pool)]);
      if (!leaf) throw new NotFoundError('MESSAGE_NOT_IN_LOG', `message ${messageId} is not in the log`, { details: { path: 'query/id' } });
      const treeSize = request.query.treeSize ?? head.treeSize;
      if (treeSize > head.treeSize) throw beyondHead('treeSize', treeSize, head);
      if (leaf.index >= treeSize) {
        throw new InvalidInputError('LEAF_NOT_IN_TREE', `message ${messageId} is leaf ${leaf.index}, not in the tree of ${treeSize} leaves`, {
          details: { path: 'query/treeSize', leafIndex: leaf.index },
        });
      }
      return { messageId, leafIndex: leaf.index, treeSize, leafHash: toHex(leaf.leafHash), auditPath: await inclusionProof(pool, leaf.index, treeSize) };
    },
  );

  app.get(
    '/api/log/proof/consistency',
    {
      schema: {
        tags: ['log'],
        summary: 'A consistency proof (RFC 9162) that the tree of `from` leaves is a prefix of the tree of `to` leaves',
        querystring: Type.Object({ from: TreeSize, to: TreeSize }),
        response: { 200: Type.Object({ from: Type.Integer(), to: Type.Integer(), proof: Type.Array(Bytes32) }), ...LOG_ERRORS },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from > to) throw new InvalidInputError('INVALID_RANGE', `from (${from}) must not be greater than to (${to})`, { details: { path: 'query/from' } });
      const head = await requireLatestHead(pool);
      if (to > head.treeSize) throw beyondHead('to', to, head);
      return { from, to, proof: await consistencyProof(pool, from, to) };
    },
  );

  app.get(
    '/api/log/leaves',
    {
      schema: {
        tags: ['log'],
        summary: `The log's leaves [start, end) in order (at most ${MAX_LEAVES_PER_PAGE}), to mirror the log`,
        querystring: Type.Object({ start: TreeSize, end: TreeSize }),
        response: {
          200: Type.Object({
            leaves: Type.Array(
              Type.Object({
                index: Type.Integer(),
                messageId: Bytes32,
                signatureHash: Bytes32,
                receivedAt: Type.Integer({ description: 'Unix time in ms, as in the leaf input.' }),
                leafHash: Bytes32,
              }),
            ),
          }),
          ...LOG_ERRORS,
        },
      },
    },
    async (request) => {
      const { start, end } = request.query;
      if (start > end)
        throw new InvalidInputError('INVALID_RANGE', `start (${start}) must not be greater than end (${end})`, { details: { path: 'query/start' } });
      if (end - start > MAX_LEAVES_PER_PAGE) {
        throw new InvalidInputError('RANGE_TOO_LARGE', `at most ${MAX_LEAVES_PER_PAGE} leaves per request (asked for ${end - start})`, {
          details: { path: 'query/end', max: MAX_LEAVES_PER_PAGE },
        });
      }
      const leaves = await listLeaves(pool, start, end);
      return {
        leaves: leaves.map((l) => ({
          index: l.index,
          messageId: l.messageId,
          signatureHash: toHex(l.signatureHash),
          receivedAt: l.receivedAt.getTime(),
          leafHash: toHex(l.leafHash),
        })),
      };
    },
  );
};

export default logRoutes;
