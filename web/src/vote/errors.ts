/**
 * THE table from the server's error codes (docs/api.md#errors) to sentences a member understands.
 * Every page that signs shows refusals through `explain()`; a code missing here falls back to the
 * server's own message, which always names the problem.
 */
import { ApiError } from '../api/client';
import { isUserRejection } from '../wallet/eip1193';

export const ERROR_SENTENCES: Record<string, string> = {
  // voting
  ZERO_POWER:
    'Your address had no voting power at this proposal’s snapshot block, so it cannot vote here. Power counts tokens held or delegated to you at that block.',
  STAGE_CLOSED: 'This stage of the vote has closed; your vote was not counted.',
  PROPOSAL_CLOSED: 'This proposal is closed; nothing can be signed for it any more.',
  STALE_VOTE: 'A newer vote of yours is already recorded for this stage. Reload the page to see it, then vote again if you want to change it.',
  STALE_MESSAGE: 'A newer message of yours is already recorded. Reload and try again.',
  DUPLICATE: 'This exact signed message was already received.',
  INVALID_CHOICE: 'That choice is not valid for this voting type. Check your ballot.',
  CHOICE_OUT_OF_RANGE: 'One of the chosen options does not exist on this proposal.',
  INVALID_STAGE: 'This stage is not open for voting.',
  REASON_TOO_LONG: 'Your reason is too long (at most 5,000 characters).',
  // signatures, networks, clocks
  WRONG_CHAIN_ID: 'Your wallet signed for another network. Switch your wallet to this community’s network and sign again.',
  WRONG_DOMAIN: 'Your wallet signed for another govrelay server. Reload the page and sign again.',
  BAD_SIGNATURE: 'The signature could not be checked. Sign again with the connected wallet.',
  HIGH_S: 'Your wallet produced a non-standard signature. Sign again, or use another wallet.',
  SIGNER_MISMATCH: 'The signature is not from the connected address. Make sure the wallet account shown is the one signing.',
  ADDRESS_MISMATCH: 'The signature is not from the connected address. Make sure the wallet account shown is the one signing.',
  TIMESTAMP_OUT_OF_WINDOW: 'Your computer’s clock is too far from the server’s. Correct the time and sign again.',
  SPACE_MISMATCH: 'This message names another space than the proposal’s. Reload the page and try again.',
  // proposing
  BELOW_PROPOSAL_THRESHOLD: 'You need more voting power to propose in this space.',
  NOT_A_MEMBER: 'Only members of this space may propose.',
  PROPOSAL_LIMIT_REACHED: 'You already have the most open proposals this space allows. Wait until one closes.',
  INVALID_TITLE: 'The title must be 1 to 256 characters.',
  BODY_TOO_LONG: 'The description is too long (at most 10,000 characters).',
  INVALID_DISCUSSION: 'The discussion link must start with https:// (or be left empty).',
  INVALID_CHOICES: 'Give 2 to 20 distinct choices, each at most 128 characters.',
  INVALID_VOTING_TYPE: 'This space does not allow that voting type.',
  INVALID_EXECUTION: 'This kind of execution is not possible here.',
  INVALID_PAYLOAD: 'The on-chain calls are not valid. Check each address, amount and calldata.',
  PAYLOAD_HASH_MISMATCH: 'The calls sent do not match the ones you signed. Sign again.',
  NO_EXECUTOR: 'This space has no treasury (timelock) set, so its proposals cannot execute anything.',
  NO_GOVERNOR: 'This space has no Governor set.',
  SNAPSHOT_NOT_MINED: 'The snapshot block is not mined yet. Wait a moment and sign again.',
  SNAPSHOT_NOT_PAST: 'The snapshot block must be before the latest block. Wait a moment and sign again.',
  // administering
  NOT_ADMIN: 'Only an admin of this space may change its settings.',
  NOT_PARENT_ADMIN: 'Only an admin of the parent space may attach this space to it.',
  INVALID_SETTINGS: 'The settings are not valid; see the problems listed.',
  INVALID_PARENT: 'That parent space cannot be used.',
  PARENT_NOT_FOUND: 'That parent space does not exist.',
  NOT_ALLOWED_TO_CANCEL: 'Only the author, a moderator or an admin may cancel this proposal.',
  NOT_AUTHOR: 'Only the author may do this.',
  ADVANCE_NOT_ENABLED: 'This space opens the consensus check by itself; there is nothing to advance.',
  NOT_AWAITING_ADVANCE: 'This proposal is not waiting to be advanced.',
  // the server and the network
  RATE_LIMITED: 'Too many requests from your connection. Wait a minute and try again.',
  RPC_ERROR: 'The server could not reach the blockchain just now. Try again in a moment.',
  BODY_TOO_LARGE: 'This is too large to send.',
  PROPOSAL_NOT_FOUND: 'This proposal does not exist.',
  SPACE_NOT_FOUND: 'This space does not exist.',
};

/** Errors of the app itself (not the server's), in the same voice. */
export const WALLET_SENTENCES = {
  NO_WALLET: 'No browser wallet was found. Install one (for example a browser extension) and reload the page.',
  REJECTED: 'You declined the request in your wallet. Nothing was signed or sent.',
  WRONG_NETWORK: (want: number, have: number) => `Your wallet is on network ${have}; this community votes on network ${want}. Switch networks to continue.`,
  SWITCH_FAILED: (want: number) => `Your wallet could not switch to network ${want}. Add and select that network in your wallet, then try again.`,
  RECEIPT_INVALID:
    'The server’s receipt does not check out against its published receipt key. Your vote may not have been recorded: report this to the space’s admins.',
};

/** One sentence for any error a signing flow meets. */
export function explain(error: unknown): string {
  if (isUserRejection(error)) return WALLET_SENTENCES.REJECTED;
  if (error instanceof ApiError) return ERROR_SENTENCES[error.code] ?? error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * A refusal as the server's `CODE: message` (the council's and the reminders' forms, whose codes have
 * no sentence in the table and whose messages name the deadline or the field); anything else as explain().
 */
export function explainWithCode(error: unknown): string {
  return error instanceof ApiError ? `${error.code}: ${error.message}` : explain(error);
}
