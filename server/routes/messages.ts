import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { InvalidInputError, NotFoundError } from '../../core/errors.js';
import { MAX_BATCH_ITEMS } from '../messages/message-service.js';
import { PRIMARY_TYPES } from '../eip712/types.js';
import { Bytes32, errorResponses, LogReceiptSchema, SignedMessageSchema } from './schemas.js';
import { signedMessageJson } from './serialize.js';
import { findSignedMessage } from '../../core/db/signed-messages.js';
import { logReceiptFor } from '../../core/log/proofs.js';
import { acceptedText, batchResultsBytes } from './receipt-json.js';

const Envelope = Type.Object(
  {
    address: Type.String({ description: 'The signer; must equal message.from.' }),
    sig: Type.String({ description: '0x signature: 65-byte ECDSA (low-s), or a contract wallet signature (EIP-1271 / EIP-6492).' }),
    data: Type.Object(
      {
        domain: Type.Record(Type.String(), Type.Unknown()),
        types: Type.Record(Type.String(), Type.Unknown()),
        primaryType: Type.String({ description: `One of ${PRIMARY_TYPES.join(', ')}` }),
        message: Type.Record(Type.String(), Type.Unknown()),
      },
      { description: 'The eth_signTypedData_v4 payload that was signed. See docs/messages.md.' },
    ),
    payload: Type.Optional(
      Type.Object(
        { targets: Type.Array(Type.String()), values: Type.Array(Type.String()), calldatas: Type.Array(Type.String()) },
        {
          description: 'Executable proposals only: the calls whose hash the proposal signs as payloadHash.',
        },
      ),
    ),
  },
  { description: 'A signed EIP-712 message.' },
);

const ReceiptSchema = Type.Object({
  id: Bytes32,
  type: Type.String(),
  receivedAt: Type.String(),
  receipt: LogReceiptSchema,
});

const BatchItemSchema = Type.Object({
  ok: Type.Boolean(),
  id: Type.Optional(Bytes32),
  type: Type.Optional(Type.String()),
  receivedAt: Type.Optional(Type.String()),
  receipt: Type.Optional(LogReceiptSchema),
  status: Type.Optional(Type.Integer({ description: 'The HTTP status this item would have had on its own.' })),
  code: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  details: Type.Optional(Type.Unknown()),
  retryable: Type.Optional(Type.Boolean({ description: 'true: a dependency was unavailable; the same item may succeed later.' })),
});

const BatchResultSchema = Type.Object({ results: Type.Array(BatchItemSchema) });

/** Room for MAX_BATCH_ITEMS votes of ordinary size (a vote envelope is about 1 KB). */
const BATCH_BODY_LIMIT_BYTES = 2_000_000;

const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/messages',
    {
      // The envelope is checked field by field by the message service, which answers with precise
      // error codes (UNKNOWN_TYPE, WRONG_DOMAIN...); the schema here documents it. No generic
      // validation runs: its type coercion would rewrite the body, which is stored verbatim.
      validatorCompiler: () => () => true,
      schema: {
        tags: ['messages'],
        summary: 'Submit a signed message (space settings, proposal, vote, cancel, advance)',
        body: Envelope,
        response: { 200: ReceiptSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const accepted = await app.gov.messages.submit(request.body);
      // Written by receipt-json.ts (what the 200 schema describes), not the schema serializer. Set only
      // now, so an error thrown above is answered the usual way.
      reply.type('application/json; charset=utf-8').serializer(acceptedText);
      return accepted;
    },
  );

  app.post(
    '/api/messages/batch',
    {
      // Up to MAX_BATCH_ITEMS envelopes; each is checked exactly like a single message.
      bodyLimit: BATCH_BODY_LIMIT_BYTES,
      validatorCompiler: () => () => true,
      // Text checks (NUL, lone surrogates, depth) per item, in MessageService.submit.
      config: { inputGuard: 'per-item' },
      schema: {
        tags: ['messages'],
        summary: `Submit up to ${MAX_BATCH_ITEMS} signed votes at once (relays, aggregators)`,
        description:
          'The body is a JSON array of signed Vote envelopes (the same form as POST /api/messages). Items are independent: ' +
          'results[i] is either { ok: true, id, type, receivedAt, receipt } (committed before this response was sent) or ' +
          '{ ok: false, status, code, message } (nothing was stored for it). The response is 200 whenever the batch itself was well-formed.',
        body: Type.Array(Envelope, { maxItems: MAX_BATCH_ITEMS }),
        response: { 200: BatchResultSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!Array.isArray(request.body)) {
        throw new InvalidInputError('INVALID_BATCH', `the body must be a JSON array of at most ${MAX_BATCH_ITEMS} signed messages`);
      }
      const results = await app.gov.messages.submitBatch(request.body);
      // Written by receipt-json.ts (what the 200 schema describes): 500 receipts through the schema
      // serializer cost more than the rest of the answer. Set only now, so an error thrown above is
      // answered the usual way. The answer is bytes, which fastify sends as they are (its typings say a
      // serializer returns a string; reply.js takes a string or a Buffer).
      reply.type('application/json; charset=utf-8').serializer(batchResultsBytes as unknown as (payload: unknown) => string);
      return { results };
    },
  );

  app.get(
    '/api/messages/:id',
    {
      schema: {
        tags: ['messages'],
        summary: 'One signed message, verbatim, with its receipt and its place in the log',
        params: Type.Object({ id: Bytes32 }),
        response: {
          200: Type.Object({
            ...SignedMessageSchema.properties,
            receipt: Type.Union([LogReceiptSchema, Type.Null()], {
              description:
                'The receipt: leaf index, the first signed tree head that includes the message, the inclusion proof against it. Null for messages stored before the log existed (their receipt is legacyReceipt).',
            }),
          }),
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      const id = request.params.id.toLowerCase();
      const [message, receipt] = await Promise.all([findSignedMessage(app.db.pool, id), logReceiptFor(app.db.pool, id)]);
      if (!message) throw new NotFoundError('MESSAGE_NOT_FOUND', `no message ${request.params.id}`);
      return { ...signedMessageJson(message), receipt };
    },
  );
};

export default messageRoutes;
