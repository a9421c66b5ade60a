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
  logTreeSize: Type.Union([Type.Integer(), Type.Null()], {
    description: "The log's tree size the stage was counted at: the tally is the stage's votes among the log's first logTreeSize leaves. Null before the log.",
  }),
  signature: Type.Union([Type.String(), Type.Null()], {
    description: 'The receipt key over the stage result digest (docs/api.md, "Signed stage results"). Null before the log.',
  }),
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

export const SignedTreeHeadSchema = Type.Object(
  {
    treeSize: Type.Integer({ minimum: 0 }),
    rootHash: Bytes32,
    timestamp: Type.Integer({ description: 'Unix time in ms.' }),
    signature: Type.String({ description: 'The receipt key over keccak256("govrelay:tree-head:v1" ‖ uint64be(treeSize) ‖ rootHash ‖ uint64be(timestamp)).' }),
  },
  { description: 'A signed tree head of the message log (docs/api.md, "The message log").' },
);

export const LogReceiptSchema = Type.Object(
  {
    leafIndex: Type.Integer({ minimum: 0 }),
    treeHead: SignedTreeHeadSchema,
    inclusionProof: Type.Array(Bytes32, { description: "RFC 9162 audit path of the message's leaf in treeHead's tree." }),
  },
  { description: "The message's place in the log: the first signed tree head that includes it and the inclusion proof against it." },
);

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
  legacyReceipt: Type.Union([Type.String(), Type.Null()], {
    description:
      'Only for a message stored before the log existed: its receipt then, the receipt key over keccak256(id ‖ uint64be(receivedAt ms)). Null for every other message: its receipt is its place in the log.',
  }),
  receivedAt: Type.String(),
});

const PowerParts = Type.Object({ total: DecimalString, byStrategy: Type.Array(DecimalString, { description: 'per strategy of the space, after weights' }) });
const ShareSchema = {
  bps: Type.Integer({ description: 'basis points of the delegator’s power' }),
  total: DecimalString,
  byStrategy: Type.Array(DecimalString),
};

/** A voter's power at a proposal's snapshot with delegation explained (server/delegations/explain.ts). */
export const PowerExplanationFields = {
  delegation: Type.Union([Type.Literal('off'), Type.Literal('offchain')], { description: "the proposal's delegation setting" }),
  own: PowerParts,
  given: Type.Array(Type.Object({ delegate: Address, ...ShareSchema }), { description: 'shares lent to delegates' }),
  givenTotal: PowerParts,
  received: Type.Array(Type.Object({ delegator: Address, ...ShareSchema }), { description: 'shares received, per delegator' }),
  receivedTotal: PowerParts,
  effective: Type.Object(
    { total: DecimalString, byStrategy: Type.Array(DecimalString) },
    {
      description:
        'own − given + received: what counts if nobody involved overrides (a delegator who votes counts all of own in that stage, and their share leaves the delegate)',
    },
  ),
};
