/**
 * The parts of the contracts the relayer talks to, as human-readable ABIs, and the timelock roles.
 * The full artifacts come from scripts/compile-contracts.ts (relayer/contracts/*.sol); these
 * fragments are all the relayer needs, so it runs without the build folder.
 */
import { id, ZeroHash } from 'ethers';

export const TIMELOCK_ABI = [
  'function getMinDelay() view returns (uint256)',
  'function getTimestamp(bytes32 id) view returns (uint256)',
  'function getOperationState(bytes32 id) view returns (uint8)',
  'function hashOperationBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) pure returns (bytes32)',
  'function scheduleBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt, uint256 delay)',
  'function executeBatch(address[] targets, uint256[] values, bytes[] payloads, bytes32 predecessor, bytes32 salt) payable',
  'function cancel(bytes32 id)',
  'function hasRole(bytes32 role, address account) view returns (bool)',
  'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
  'event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)',
  'event CallSalt(bytes32 indexed id, bytes32 salt)',
  'event Cancelled(bytes32 indexed id)',
  'event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)',
  'event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)',
  'error TimelockInvalidOperationLength(uint256 targets, uint256 payloads, uint256 values)',
  'error TimelockInsufficientDelay(uint256 delay, uint256 minDelay)',
  'error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)',
  'error TimelockUnexecutedPredecessor(bytes32 predecessorId)',
  'error TimelockUnauthorizedCaller(address caller)',
  'error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)',
  'error AccessControlBadConfirmation()',
  'error FailedCall()',
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
] as const;

export const GOVERNOR_ABI = [
  'function name() view returns (string)',
  'function timelock() view returns (address)',
  'function state(uint256 proposalId) view returns (uint8)',
  'function proposalSnapshot(uint256 proposalId) view returns (uint256)',
  'function proposalDeadline(uint256 proposalId) view returns (uint256)',
  'function proposalEta(uint256 proposalId) view returns (uint256)',
  'function proposalThreshold() view returns (uint256)',
  'function votingDelay() view returns (uint256)',
  'function votingPeriod() view returns (uint256)',
  'function hashProposal(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) pure returns (uint256)',
  'function propose(address[] targets, uint256[] values, bytes[] calldatas, string description) returns (uint256)',
  'function queue(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) returns (uint256)',
  'function execute(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) payable returns (uint256)',
  'function castVote(uint256 proposalId, uint8 support) returns (uint256)',
  'event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)',
  'error GovernorNonexistentProposal(uint256 proposalId)',
  'error GovernorUnexpectedProposalState(uint256 proposalId, uint8 current, bytes32 expectedStates)',
  'error GovernorInsufficientProposerVotes(address proposer, uint256 votes, uint256 threshold)',
  'error GovernorRestrictedProposer(address proposer)',
  'error GovernorInvalidProposalLength(uint256 targets, uint256 calldatas, uint256 values)',
  'error GovernorNotQueuedProposal(uint256 proposalId)',
  'error GovernorAlreadyQueuedProposal(uint256 proposalId)',
  'error GovernorDisabledDeposit()',
  'error GovernorOnlyExecutor(address account)',
  'error GovernorQueueNotImplemented()',
  'error GovernorInvalidVoteType()',
  'error GovernorAlreadyCastVote(address voter)',
] as const;

/** TimelockController.OperationState. */
export const OPERATION_STATES = ['Unset', 'Waiting', 'Ready', 'Done'] as const;
export type OperationState = (typeof OPERATION_STATES)[number];

/** IGovernor.ProposalState. */
export const GOVERNOR_STATES = ['Pending', 'Active', 'Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'] as const;
export type GovernorState = (typeof GOVERNOR_STATES)[number];

export const ROLES = {
  DEFAULT_ADMIN_ROLE: ZeroHash,
  PROPOSER_ROLE: id('PROPOSER_ROLE'),
  EXECUTOR_ROLE: id('EXECUTOR_ROLE'),
  CANCELLER_ROLE: id('CANCELLER_ROLE'),
} as const;
export type RoleName = keyof typeof ROLES;

export function roleName(hash: string): RoleName | null {
  const entry = Object.entries(ROLES).find(([, value]) => value === hash.toLowerCase());
  return entry ? (entry[0] as RoleName) : null;
}
