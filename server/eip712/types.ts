/**
 * Every EIP-712 message govrelay accepts, defined once. Wallets and clients build their
 * eth_signTypedData_v4 requests from these (docs/messages.md documents them field by field).
 *
 * The domain separates deployments: name and version fix the message format, chainId the chain,
 * and salt is a per-deployment value (config DEPLOYMENT_SALT), so a signature made for one
 * govrelay deployment never verifies in another.
 */

export const DOMAIN_NAME = 'govrelay';
export const DOMAIN_VERSION = '1';

export interface Eip712Domain {
  name: string;
  version: string;
  chainId: number;
  salt: string;
}

export const EIP712_DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
  { name: 'salt', type: 'bytes32' },
] as const;

export function buildDomain(chainId: number, salt: string): Eip712Domain {
  return { name: DOMAIN_NAME, version: DOMAIN_VERSION, chainId, salt: salt.toLowerCase() };
}

/** The stage a vote is cast in. Part of the signed vote, so it can never count in another stage. */
export const STAGE = { temperature: 1, consensus: 2 } as const;
export type StageNumber = (typeof STAGE)[keyof typeof STAGE];

/**
 * Message types by primaryType. Field order is part of the type hash: never reorder, only add
 * new primary types.
 */
export const MESSAGE_TYPES = {
  /** Creates a space, or replaces its settings (settings is the space settings as JSON). */
  Space: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'settings', type: 'string' },
  ],
  /**
   * Creates a proposal. `kind` was added last (docs/messages.md, "Proposal kinds and the type
   * hash"): proposals signed before it carry the 12-field type in their stored envelope.
   * payloadHash = keccak256(abi.encode(address[] targets, uint256[] values, bytes[] calldatas)), or zero for signal proposals. */
  Proposal: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'title', type: 'string' },
    { name: 'body', type: 'string' },
    { name: 'discussion', type: 'string' },
    { name: 'choices', type: 'string[]' },
    { name: 'votingType', type: 'string' },
    { name: 'snapshot', type: 'uint64' },
    { name: 'execution', type: 'string' },
    { name: 'payloadHash', type: 'bytes32' },
    { name: 'idea', type: 'string' },
    { name: 'kind', type: 'string' },
  ],
  /** A vote in one stage of one proposal. choice is JSON: 1, [1,3] or {"1":2,"2":1} depending on the voting type. */
  Vote: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'stage', type: 'uint8' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'choice', type: 'string' },
    { name: 'reason', type: 'string' },
  ],
  /** Cancels a proposal before its final close (author or a space moderator/admin). */
  CancelProposal: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
  ],
  /** Opens the consensus check of a proposal whose temperature check passed (spaces with advance = "author"). */
  AdvanceProposal: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
  ],
  /**
   * A council member's veto of a passed proposal while its operation waits in the timelock (spaces
   * with a `council`). At the council's threshold the relayer cancels the operation on chain.
   */
  Veto: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'proposal', type: 'bytes32' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'reason', type: 'string' },
  ],
  /**
   * Links a wallet to a Discord user (for every space). nonce is the one-time token of the /link
   * URL, expiry its end (unix seconds). Posted to POST /api/discord/link, not to /api/messages.
   */
  LinkDiscord: [
    { name: 'from', type: 'address' },
    { name: 'discordUserId', type: 'string' },
    { name: 'nonce', type: 'string' },
    { name: 'expiry', type: 'uint64' },
  ],
  /**
   * Lends the signer's voting power: in one space (space = its id) or in every space (space = "").
   * shares[i] is delegates[i]'s part in basis points (1 to 10,000 each, summing to at most 10,000;
   * the rest stays with the signer). expiry: unix seconds after which it no longer counts, 0 = never.
   * A newer Delegate or Undelegate of the same signer and scope replaces it.
   */
  Delegate: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'delegates', type: 'address[]' },
    { name: 'shares', type: 'uint16[]' },
    { name: 'expiry', type: 'uint64' },
  ],
  /** Ends the signer's delegation in one space (space = its id; a global one applies there again) or the global one (space = ""). */
  Undelegate: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
  ],
  /** A delegate's profile in one space: why to delegate to them, and links (forum thread, website). A newer one replaces it. */
  DelegateStatement: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'statement', type: 'string' },
    { name: 'links', type: 'string[]' },
  ],
  /**
   * Subscribes the signer to email reminders of a space. The address itself is not signed:
   * emailHash = keccak256(abi.encode(string email, bytes32 emailSalt)) with a salt the client keeps
   * private, and the envelope's unsigned `email` field carries both (stored privately, never
   * published). events: "proposal", "closing", "results"; closingHours: the "closes in N hours and
   * you have not voted" reminder's N (0 = 24).
   */
  Subscribe: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
    { name: 'emailHash', type: 'bytes32' },
    { name: 'events', type: 'string[]' },
    { name: 'closingHours', type: 'uint16' },
  ],
  /** Ends the signer's email subscription in a space. */
  Unsubscribe: [
    { name: 'from', type: 'address' },
    { name: 'space', type: 'string' },
    { name: 'timestamp', type: 'uint64' },
  ],
} as const;

export type PrimaryType = keyof typeof MESSAGE_TYPES;
export const PRIMARY_TYPES = Object.keys(MESSAGE_TYPES) as PrimaryType[];

export interface SpaceMessage {
  from: string;
  space: string;
  timestamp: number;
  settings: string;
}

export interface ProposalMessage {
  from: string;
  space: string;
  timestamp: number;
  title: string;
  body: string;
  discussion: string;
  choices: string[];
  votingType: string;
  snapshot: number;
  execution: string;
  payloadHash: string;
  idea: string;
  /** The space's proposal kind whose rules apply ("default" in a space that declares no kinds). */
  kind: string;
}

export interface VoteMessage {
  from: string;
  space: string;
  proposal: string;
  stage: number;
  timestamp: number;
  choice: string;
  reason: string;
}

export interface ProposalActionMessage {
  from: string;
  space: string;
  proposal: string;
  timestamp: number;
}

export interface VetoMessage {
  from: string;
  space: string;
  proposal: string;
  timestamp: number;
  reason: string;
}

export interface LinkDiscordMessage {
  from: string;
  discordUserId: string;
  nonce: string;
  expiry: number;
}

export interface DelegateMessage {
  from: string;
  /** Space id, or "" for every space. */
  space: string;
  timestamp: number;
  delegates: string[];
  /** Basis points per delegate, in the order of delegates. */
  shares: number[];
  /** Unix seconds; 0 = no expiry. */
  expiry: number;
}

export interface UndelegateMessage {
  from: string;
  space: string;
  timestamp: number;
}

export interface DelegateStatementMessage {
  from: string;
  space: string;
  timestamp: number;
  statement: string;
  links: string[];
}

export interface SubscribeMessage {
  from: string;
  space: string;
  timestamp: number;
  emailHash: string;
  events: string[];
  closingHours: number;
}

export interface UnsubscribeMessage {
  from: string;
  space: string;
  timestamp: number;
}

export interface MessageByType {
  Space: SpaceMessage;
  Proposal: ProposalMessage;
  Vote: VoteMessage;
  CancelProposal: ProposalActionMessage;
  AdvanceProposal: ProposalActionMessage;
  Veto: VetoMessage;
  LinkDiscord: LinkDiscordMessage;
  Delegate: DelegateMessage;
  Undelegate: UndelegateMessage;
  DelegateStatement: DelegateStatementMessage;
  Subscribe: SubscribeMessage;
  Unsubscribe: UnsubscribeMessage;
}

/** The governance messages accepted by POST /api/messages (LinkDiscord has its own endpoint). */
export type GovernanceType = Exclude<PrimaryType, 'LinkDiscord'>;
export const GOVERNANCE_TYPES: readonly GovernanceType[] = [
  'Space',
  'Proposal',
  'Vote',
  'CancelProposal',
  'AdvanceProposal',
  'Delegate',
  'Undelegate',
  'DelegateStatement',
  'Subscribe',
  'Unsubscribe',
  'Veto',
];
export function isGovernanceType(type: PrimaryType): type is GovernanceType {
  return (GOVERNANCE_TYPES as readonly string[]).includes(type);
}

/** The `types` object a wallet receives for one primary type (EIP712Domain included, as eth_signTypedData_v4 expects). */
export function typesFor(primaryType: PrimaryType) {
  return { EIP712Domain: EIP712_DOMAIN_TYPE, [primaryType]: MESSAGE_TYPES[primaryType] };
}

/**
 * What a signed envelope of this deployment repeats, in the form clients send it: the domain, and
 * each primary type's canonical `types` with and without EIP712Domain. Stored once each
 * (core/db/envelope-parts.ts) and named by id in every stored envelope that carries them.
 */
export function repeatedEnvelopeParts(domain: Eip712Domain): unknown[] {
  return [domain, ...PRIMARY_TYPES.flatMap((type) => [typesFor(type), { [type]: MESSAGE_TYPES[type] }])];
}
