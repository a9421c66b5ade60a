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
    /**
     * The token's deployment block: the server looks for holders in its events from here on, to
     * compute their power before they vote. Without it, only the server's recent window is scanned.
     */
    startBlock: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export type TokenWeightedParams = Static<typeof tokenWeightedParams>;
