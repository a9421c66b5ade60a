/**
 * The shape of space settings: what an admin signs (as JSON in a Space message) and what every
 * proposal of the space is governed by (a proposal keeps a copy in its rules). Parsing and checking
 * a signed settings document (with the strategies' own checks) is server/spaces/settings.ts.
 */
import { Type, type Static } from 'typebox';
import { VOTING_TYPES } from '../tally/types.js';
import { SpaceAbisSchema } from './abis.js';

export const SPACE_ID_PATTERN = '^[a-z0-9][a-z0-9.-]{1,63}$';
const Address = Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' });
const Power = Type.String({ pattern: '^(0|[1-9][0-9]{0,77})$', description: 'Voting power as a decimal integer string (base units).' });
export const DAY = 86_400;

export const QuorumSchema = Type.Union([
  Type.Object({ kind: Type.Literal('absolute'), power: Power }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('supply-fraction'),
      bps: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Basis points of the token supply at the snapshot.' }),
    },
    { additionalProperties: false },
  ),
]);

export const StageSettingsSchema = Type.Object(
  {
    votingType: Type.Enum([...VOTING_TYPES, 'proposal'], {
      description: '"proposal" uses the voting type the proposal names; any other value pins the type for this stage.',
    }),
    period: Type.Integer({ minimum: 1, maximum: 90 * DAY, description: 'Stage length in seconds.' }),
    quorum: QuorumSchema,
    passThresholdBps: Type.Integer({
      minimum: 1,
      maximum: 10_000,
      description: 'The winning side needs more than this share (basis points) of decisive power.',
    }),
  },
  { additionalProperties: false },
);

export const StrategyRefSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    params: Type.Record(Type.String(), Type.Unknown()),
    weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

const Snowflake = Type.String({ pattern: '^[0-9]{5,25}$', description: 'A Discord id (snowflake).' });

/** Discord ideation: the guild whose /idea posts become this space's ideas, and where results are announced. */
export const DiscordSettingsSchema = Type.Object(
  {
    guildId: Snowflake,
    channelId: Type.Optional(
      Type.String({
        pattern: '^[0-9]{5,25}$',
        description: 'Channel for lifecycle notifications, posted through a webhook the bot creates there. Leave out for no Discord notifications.',
      }),
    ),
    promotion: Type.Optional(
      Type.Object(
        {
          minSupporters: Type.Optional(
            Type.Integer({ minimum: 0, maximum: 10_000, description: 'Linked supporters (other than the author) with power above zero.' }),
          ),
          minSupportPower: Type.Optional(Power),
        },
        { additionalProperties: false, description: 'What an idea needs before its author may promote it; every criterion given must be met.' },
      ),
    ),
    powerDecimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 36, description: 'Decimals used to display power in Discord (default 18).' })),
  },
  { additionalProperties: false },
);

/** A generic webhook: lifecycle and execution events as HMAC-signed JSON (docs/api.md#notifications). */
export const WebhookSettingsSchema = Type.Object(
  {
    url: Type.String({ pattern: '^https?://\\S+$', maxLength: 512, description: 'Receives POSTed JSON. Public: never put a secret in it.' }),
    events: Type.Optional(
      Type.Array(Type.Enum(['proposal.transition', 'proposal.execution', 'proposal.warning']), { minItems: 1, maxItems: 3, description: 'Default: all.' }),
    ),
  },
  { additionalProperties: false },
);

/** A veto council: k of these members' signed Veto messages cancel a passed proposal's operation during the timelock delay. */
export const CouncilSettingsSchema = Type.Object(
  {
    members: Type.Array(Address, { minItems: 1, maxItems: 50, description: 'Addresses that may sign a Veto.' }),
    threshold: Type.Integer({ minimum: 1, maximum: 50, description: 'Vetoes (k of the n members) that make the relayer cancel the operation.' }),
  },
  { additionalProperties: false },
);

/** Power-spike warning: voters whose power grew sharply just before the snapshot are listed in each stage result (not excluded). */
export const PowerSpikeSettingsSchema = Type.Object(
  {
    multiple: Type.Number({
      minimum: 1,
      maximum: 1_000_000,
      multipleOf: 0.01,
      description:
        'A voter is flagged when their power at the snapshot is more than this multiple of their power lookbackBlocks earlier (at most two decimals).',
    }),
    lookbackBlocks: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'How many blocks before the snapshot the earlier power is read.' }),
  },
  { additionalProperties: false },
);

export const SpaceSettingsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    about: Type.Optional(Type.String({ maxLength: 2000 })),
    parent: Type.Optional(Type.String({ pattern: SPACE_ID_PATTERN, description: 'Parent space id, for a sub-DAO.' })),
    chainId: Type.Integer({ minimum: 1 }),
    token: Address,
    executor: Type.Optional(Address),
    governor: Type.Optional(Address),
    admins: Type.Array(Address, { minItems: 1, maxItems: 50 }),
    moderators: Type.Array(Address, { maxItems: 100 }),
    members: Type.Array(Address, { maxItems: 10_000 }),
    strategies: Type.Array(StrategyRefSchema, { minItems: 1, maxItems: 8 }),
    proposalGate: Type.Union([
      Type.Object({ kind: Type.Literal('power'), minPower: Power }, { additionalProperties: false }),
      Type.Object({ kind: Type.Literal('members') }, { additionalProperties: false }),
    ]),
    maxActiveProposalsPerAuthor: Type.Integer({ minimum: 1, maximum: 100 }),
    votingDelay: Type.Integer({ minimum: 0, maximum: 30 * DAY, description: 'Seconds between creation and the temperature check opening.' }),
    temperature: StageSettingsSchema,
    consensus: StageSettingsSchema,
    advance: Type.Union([Type.Literal('auto'), Type.Literal('author')], {
      description: 'auto: the consensus check opens when the temperature check passes; author: it opens when the author signs AdvanceProposal.',
    }),
    executionGracePeriod: Type.Integer({
      minimum: 3600,
      maximum: 365 * DAY,
      description: 'Seconds after an operation is ready during which the relayer may still execute it.',
    }),
    discord: Type.Optional(DiscordSettingsSchema),
    webhooks: Type.Optional(Type.Array(WebhookSettingsSchema, { maxItems: 5 })),
    abis: Type.Optional(SpaceAbisSchema),
    council: Type.Optional(CouncilSettingsSchema),
    powerSpike: Type.Optional(PowerSpikeSettingsSchema),
  },
  { additionalProperties: false },
);

export type SpaceSettings = Static<typeof SpaceSettingsSchema>;
export type StageSettings = Static<typeof StageSettingsSchema>;
export type DiscordSettings = Static<typeof DiscordSettingsSchema>;
export type WebhookSettings = Static<typeof WebhookSettingsSchema>;
export type CouncilSettings = Static<typeof CouncilSettingsSchema>;
export type PowerSpikeSettings = Static<typeof PowerSpikeSettingsSchema>;
