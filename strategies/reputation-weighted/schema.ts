import { Type, type Static } from 'typebox';

export const reputationWeightedParams = Type.Object(
  {
    /** The stake part: a base strategy, usually token-weighted (its params are validated by the registry). */
    stake: Type.Object({ name: Type.String({ minLength: 1 }), params: Type.Unknown() }, { additionalProperties: false }),
    /** Where reputation points come from, as of the snapshot. */
    source: Type.Union([
      Type.Object({ kind: Type.Literal('registry'), address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }) }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('ledger') }, { additionalProperties: false }),
    ]),
    /** Power units per reputation point: a non-negative integer as a decimal string (e.g. "1000000000000000000"). */
    pointValue: Type.String({ pattern: '^(0|[1-9][0-9]{0,77})$' }),
  },
  { additionalProperties: false },
);

export type ReputationWeightedParams = Static<typeof reputationWeightedParams>;
