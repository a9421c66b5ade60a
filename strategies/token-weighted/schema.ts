import { Type, type Static } from 'typebox';

export const tokenWeightedParams = Type.Object(
  {
    /** The token contract. */
    address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }),
    /**
     * getPastVotes (default): ERC20Votes votes at the snapshot, delegation included.
     * balanceOf: plain balance at the snapshot block, for tokens without vote checkpoints.
     */
    method: Type.Optional(Type.Union([Type.Literal('getPastVotes'), Type.Literal('balanceOf')])),
  },
  { additionalProperties: false },
);

export type TokenWeightedParams = Static<typeof tokenWeightedParams>;
