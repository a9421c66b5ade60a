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

const ProposalGateSchema = Type.Union([
  Type.Object({ kind: Type.Literal('power'), minPower: Power }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('members') }, { additionalProperties: false }),
]);

const LateQuorumExtension = Type.Integer({
  minimum: 0,
  maximum: 30 * DAY,
  description:
    'Seconds. When a stage first reaches quorum less than this long before it ends, it is extended to end this long after that moment (once per stage; 0: off).',
});

/** Names a kind: lowercase, as a proposal signs it (the `kind` field of the Proposal message). */
export const KIND_NAME_PATTERN = '^[a-z][a-z0-9-]{0,31}$';
/** The one kind of a space that declares none: its top-level rules. */
export const DEFAULT_KIND = 'default';
export const EXECUTION_PERMISSIONS = ['signal', 'timelock', 'governor'] as const;
/** A 4-byte function selector (0x + 8 hex digits) or a function signature such as "transfer(address,uint256)". */
export const SELECTOR_PATTERN = '^(0x[0-9a-fA-F]{8}|[A-Za-z_$][A-Za-z0-9_$]*\\([A-Za-z0-9_$,()\\[\\] ]*\\))$';

export const PayloadLimitsSchema = Type.Object(
  {
    maxOutflow: Type.Optional(
      Type.Array(
        Type.Object(
          {
            token: Type.Union([Address, Type.Literal('ETH')], { description: 'An ERC-20 token address, or "ETH" for the calls\' values.' }),
            amount: Power,
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 20,
          description:
            "Most of each token the payload may move out of the executor, in base units (transfer, transferFrom from the executor, approve, increaseAllowance; ETH: the sum of the calls' values). When given, a token not listed may not move at all.",
        },
      ),
    ),
    allowedCalls: Type.Optional(
      Type.Array(
        Type.Object(
          {
            target: Address,
            selectors: Type.Optional(
              Type.Array(Type.String({ pattern: SELECTOR_PATTERN }), {
                minItems: 1,
                maxItems: 50,
                description: 'Functions the payload may call on the target (selector or signature); leave out to allow any.',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 50, description: 'When given, every call of the payload must go to one of these targets (and selectors).' },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * A proposal kind: its own rules. What it leaves out comes from the space's top-level settings
 * (stages, proposal gate, late-quorum extension); `execution` defaults to every mode, and without
 * `payloadLimits` a payload is limited only by the proposal limits.
 */
export const KindSettingsSchema = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 500 })),
    temperature: Type.Optional(StageSettingsSchema),
    consensus: Type.Optional(StageSettingsSchema),
    proposalGate: Type.Optional(ProposalGateSchema),
    lateQuorumExtension: Type.Optional(LateQuorumExtension),
    execution: Type.Optional(
      Type.Array(Type.Enum([...EXECUTION_PERMISSIONS]), {
        minItems: 1,
        maxItems: 3,
        uniqueItems: true,
        description: 'What proposals of this kind may do: signal, timelock and/or governor (default: all three).',
      }),
    ),
    payloadLimits: Type.Optional(PayloadLimitsSchema),
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
    proposalGate: ProposalGateSchema,
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
    maxSnapshotAge: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 100_000_000,
        description: "Blocks: a proposal's snapshot may be at most this many blocks before the latest. Default: the chain's blocks in one hour.",
      }),
    ),
    lateQuorumExtension: Type.Optional(LateQuorumExtension),
    kinds: Type.Optional(
      Type.Record(Type.String(), KindSettingsSchema, {
        minProperties: 1,
        maxProperties: 20,
        description: 'Named proposal kinds with their own rules. When given, a proposal must name one of them; without it the space has one kind, "default".',
      }),
    ),
    discord: Type.Optional(DiscordSettingsSchema),
    webhooks: Type.Optional(Type.Array(WebhookSettingsSchema, { maxItems: 5 })),
    abis: Type.Optional(SpaceAbisSchema),
    delegation: Type.Optional(
      Type.Union([Type.Literal('off'), Type.Literal('offchain')], {
        description:
          'offchain: signed Delegate messages lend voting power on top of the strategies (docs/api.md#delegation); off (the default): they do not count here.',
      }),
    ),
    council: Type.Optional(CouncilSettingsSchema),
    powerSpike: Type.Optional(PowerSpikeSettingsSchema),
  },
  { additionalProperties: false },
);

/** Whether signed off-chain delegation counts in a space (absent means off). */
export function delegationEnabled(settings: Pick<SpaceSettings, 'delegation'>): boolean {
  return settings.delegation === 'offchain';
}

export type SpaceSettings = Static<typeof SpaceSettingsSchema>;
export type StageSettings = Static<typeof StageSettingsSchema>;
export type KindSettings = Static<typeof KindSettingsSchema>;
export type PayloadLimits = Static<typeof PayloadLimitsSchema>;
export type DiscordSettings = Static<typeof DiscordSettingsSchema>;
export type WebhookSettings = Static<typeof WebhookSettingsSchema>;
export type CouncilSettings = Static<typeof CouncilSettingsSchema>;
export type PowerSpikeSettings = Static<typeof PowerSpikeSettingsSchema>;
