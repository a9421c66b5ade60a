/**
 * How a signed proposal maps to on-chain identifiers. Everything here is a pure function of the
 * published proposal (id, title, payload, the space's executor and governor), so anyone can recompute
 * the timelock operation id and the Governor proposal id and check them against the chain:
 *
 * - timelock path: scheduleBatch(targets, values, calldatas, predecessor = 0x0, salt = proposal id,
 *   delay = getMinDelay()); operation id = keccak256(abi.encode(targets, values, calldatas, 0x0, salt)),
 *   which is TimelockController.hashOperationBatch. The proposal id is the EIP-712 digest of the signed
 *   proposal (unique per deployment), so each proposal has exactly one possible operation, and the
 *   timelock refuses to schedule an operation id twice.
 * - governor path: propose(targets, values, calldatas, description) with
 *   description = "# <title>\n\ngovrelay proposal <proposal id>"; Governor proposal id =
 *   keccak256(abi.encode(targets, values, calldatas, keccak256(description))); the Governor queues it in
 *   the timelock with salt = bytes20(governor) ^ descriptionHash (GovernorTimelockControl).
 */
import { AbiCoder, getAddress, keccak256, toBeHex, toUtf8Bytes, ZeroHash } from 'ethers';
import type { ExecutionPayload } from '../proposals/repository.js';

export const PREDECESSOR = ZeroHash;

/** The fields of a proposal that the on-chain identifiers depend on. */
export interface ExecutableProposal {
  id: string;
  title: string;
  executionMode: string;
  payload: ExecutionPayload | null;
  rules: { settings: { executor?: string | undefined; governor?: string | undefined } };
}

export interface CallBatch {
  targets: string[];
  values: bigint[];
  calldatas: string[];
}

export interface ExecutionPlan {
  mode: 'timelock' | 'governor';
  timelock: string;
  governor: string | null;
  batch: CallBatch;
  predecessor: string;
  /** The timelock salt: the proposal id (timelock path) or bytes20(governor) ^ descriptionHash. */
  salt: string;
  /** TimelockController operation id of the batch. */
  operationId: string;
  description: string | null;
  descriptionHash: string | null;
  /** Governor proposal id (uint256, decimal string). */
  governorProposalId: string | null;
}

const coder = AbiCoder.defaultAbiCoder();

export function toBatch(payload: ExecutionPayload): CallBatch {
  return { targets: payload.targets.map((t) => getAddress(t)), values: payload.values.map((v) => BigInt(v)), calldatas: payload.calldatas };
}

/** TimelockController.hashOperationBatch, computed off chain. */
export function hashOperationBatch(batch: CallBatch, predecessor: string, salt: string): string {
  return keccak256(
    coder.encode(['address[]', 'uint256[]', 'bytes[]', 'bytes32', 'bytes32'], [batch.targets, batch.values, batch.calldatas, predecessor, salt]),
  );
}

/** The timelock salt of the direct (timelock) path: the proposal id itself. */
export function timelockSalt(proposalId: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(proposalId)) throw new TypeError(`proposal id must be 32 bytes of hex, got ${proposalId}`);
  return proposalId.toLowerCase();
}

export function governorDescription(proposal: Pick<ExecutableProposal, 'id' | 'title'>): string {
  return `# ${proposal.title}\n\ngovrelay proposal ${proposal.id.toLowerCase()}`;
}

/** Governor.hashProposal, computed off chain (uint256 as a decimal string). */
export function governorProposalId(batch: CallBatch, descriptionHash: string): string {
  return BigInt(
    keccak256(coder.encode(['address[]', 'uint256[]', 'bytes[]', 'bytes32'], [batch.targets, batch.values, batch.calldatas, descriptionHash])),
  ).toString();
}

/** GovernorTimelockControl._timelockSalt: bytes20(governor) ^ descriptionHash. */
export function governorTimelockSalt(governor: string, descriptionHash: string): string {
  return toBeHex((BigInt(getAddress(governor)) << 96n) ^ BigInt(descriptionHash), 32);
}

/** Everything the relayer sends for a proposal, derived from the proposal alone. */
export function executionPlan(proposal: ExecutableProposal): ExecutionPlan {
  const mode = proposal.executionMode;
  if (mode !== 'timelock' && mode !== 'governor') throw new TypeError(`proposal ${proposal.id} is not executable (execution "${mode}")`);
  if (!proposal.payload) throw new TypeError(`proposal ${proposal.id} has no payload`);
  const executor = proposal.rules.settings.executor;
  if (!executor) throw new TypeError(`the space of proposal ${proposal.id} has no executor`);
  const batch = toBatch(proposal.payload);
  const timelock = getAddress(executor);
  if (mode === 'timelock') {
    const salt = timelockSalt(proposal.id);
    return {
      mode,
      timelock,
      governor: null,
      batch,
      predecessor: PREDECESSOR,
      salt,
      operationId: hashOperationBatch(batch, PREDECESSOR, salt),
      description: null,
      descriptionHash: null,
      governorProposalId: null,
    };
  }
  const governorAddress = proposal.rules.settings.governor;
  if (!governorAddress) throw new TypeError(`the space of proposal ${proposal.id} has no governor`);
  const governor = getAddress(governorAddress);
  const description = governorDescription(proposal);
  const descriptionHash = keccak256(toUtf8Bytes(description));
  const salt = governorTimelockSalt(governor, descriptionHash);
  return {
    mode,
    timelock,
    governor,
    batch,
    predecessor: PREDECESSOR,
    salt,
    operationId: hashOperationBatch(batch, PREDECESSOR, salt),
    description,
    descriptionHash,
    governorProposalId: governorProposalId(batch, descriptionHash),
  };
}

/** The timelock operation id a proposal executes as. Anyone can run this on the published proposal. */
export function operationIdFor(proposal: ExecutableProposal): string {
  return executionPlan(proposal).operationId;
}
