/** TypeBox schemas shared by the routes; they also make the OpenAPI document at /docs. */
import { Type, type TSchema } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: 'Machine-readable error code, e.g. HIGH_S, STAGE_CLOSED.' }),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    retryable: Type.Optional(Type.Boolean({ description: 'true: the same request may succeed later (a dependency was unavailable); see Retry-After.' })),
  },
  { $id: 'ErrorResponse', description: 'Every 4xx/5xx answer has this shape.' },
);

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  413: ErrorResponse,
  429: ErrorResponse,
  503: ErrorResponse,
};

export const Bytes32 = Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' });
export const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' });
export const DecimalString = Type.String({ pattern: '^[0-9]+$', description: 'An integer as a decimal string (voting power is never a float).' });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'The nextCursor of the previous page.' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const TallySchema = Type.Object({
  votingType: Type.String(),
  choices: Type.Array(Type.String()),
  scores: Type.Array(DecimalString),
  scoresByStrategy: Type.Array(Type.Array(DecimalString)),
  totalPower: DecimalString,
  voterCount: Type.Integer(),
  rounds: Type.Optional(Type.Array(Type.Array(DecimalString))),
});

export const StageResultSchema = Type.Object({
  stage: Type.Integer(),
  votingType: Type.String(),
  choices: Type.Array(Type.String()),
  scores: Type.Array(DecimalString),
  scoresByStrategy: Type.Array(Type.Array(DecimalString)),
  totalPower: DecimalString,
  voterCount: Type.Integer(),
  quorum: DecimalString,
  quorumReached: Type.Boolean(),
  passed: Type.Boolean(),
  winningChoice: Type.Union([Type.Integer(), Type.Null()]),
  outcome: Type.String(),
  computedAt: Type.String(),
  warnings: Type.Union(
    [
      Type.Object({
        powerSpike: Type.Optional(
          Type.Object({
            multiple: Type.Number(),
            lookbackBlocks: Type.Integer(),
            earlierBlock: DecimalString,
            voters: Type.Array(Type.Object({ address: Type.String(), power: DecimalString, earlierPower: DecimalString })),
          }),
        ),
      }),
      Type.Null(),
    ],
    {
      description:
        "Warnings about the result, not exclusions: powerSpike lists voters whose power at the snapshot is more than `multiple` times their power `lookbackBlocks` earlier (the space's powerSpike setting); null until checked or without the setting",
    },
  ),
});

export const TransitionSchema = Type.Object({
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  at: Type.String(),
  cause: Type.String(),
  messageId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Unknown(),
});

export const SignedMessageSchema = Type.Object({
  id: Bytes32,
  type: Type.String(),
  from: Address,
  spaceId: Type.String(),
  proposalId: Type.Union([Type.String(), Type.Null()]),
  timestamp: DecimalString,
  envelope: Type.Unknown({ description: 'What was signed, as it was received: { address, sig, data } and nothing else.' }),
  payload: Type.Unknown({
    description:
      'Executable proposals: the payload { targets, values, calldatas } sent beside the message (not signed; bound by the signed payloadHash). Null otherwise.',
  }),
  signature: Type.String(),
  sigKind: Type.String({ description: 'eoa, eip1271 or eip6492' }),
  sigBlock: Type.Union([DecimalString, Type.Null()], { description: 'Block at which a contract wallet confirmed the signature.' }),
  receipt: Type.String(),
  receivedAt: Type.String(),
});
