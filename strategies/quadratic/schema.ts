import { Type, type Static } from 'typebox';

export const quadraticParams = Type.Object(
  {
    /** The base strategy whose power is square-rooted (its own params are validated by the registry). */
    strategy: Type.Object({ name: Type.String({ minLength: 1 }), params: Type.Unknown() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export type QuadraticParams = Static<typeof quadraticParams>;
