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
  /** Creates a proposal. payloadHash = keccak256(abi.encode(address[] targets, uint256[] values, bytes[] calldatas)), or zero for signal proposals. */
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

export interface MessageByType {
  Space: SpaceMessage;
  Proposal: ProposalMessage;
  Vote: VoteMessage;
  CancelProposal: ProposalActionMessage;
  AdvanceProposal: ProposalActionMessage;
  Veto: VetoMessage;
  LinkDiscord: LinkDiscordMessage;
}

/** The governance messages accepted by POST /api/messages (LinkDiscord has its own endpoint). */
export type GovernanceType = Exclude<PrimaryType, 'LinkDiscord'>;
export const GOVERNANCE_TYPES: readonly GovernanceType[] = ['Space', 'Proposal', 'Vote', 'CancelProposal', 'AdvanceProposal', 'Veto'];
export function isGovernanceType(type: PrimaryType): type is GovernanceType {
  return (GOVERNANCE_TYPES as readonly string[]).includes(type);
}

/** The `types` object a wallet receives for one primary type (EIP712Domain included, as eth_signTypedData_v4 expects). */
export function typesFor(primaryType: PrimaryType) {
  return { EIP712Domain: EIP712_DOMAIN_TYPE, [primaryType]: MESSAGE_TYPES[primaryType] };
}
