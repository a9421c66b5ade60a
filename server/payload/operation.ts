/**
 * The timelock operation id of an executable proposal, with every input needed to recompute it, for
 * the proposal page. The same documented formula as relayer/operation.ts (docs/api.md#execution-status),
 * written again here because the server and the relayer do not import each other;
 * test/payload-decode.test.ts checks both give the same ids.
 *
 *   operation id = keccak256(abi.encode(address[] targets, uint256[] values, bytes[] calldatas, bytes32 predecessor, bytes32 salt))
 *   timelock path: predecessor = 0x0, salt = the proposal id
 *   governor path: predecessor = 0x0, salt = bytes20(governor) ^ keccak256(description),
 *                  description = "# <title>\n\ngovrelay proposal <proposal id>"
 */
import { AbiCoder, getAddress, keccak256, toBeHex, toUtf8Bytes, ZeroHash } from 'ethers';
import type { PayloadCall } from './decode.js';

export interface OperationInputs {
  mode: 'timelock' | 'governor';
  timelock: string;
  governor: string | null;
  targets: string[];
  values: string[];
  calldatas: string[];
  predecessor: string;
  salt: string;
  description: string | null;
  descriptionHash: string | null;
  operationId: string;
  /** Governor.hashProposal (uint256 as a decimal string), governor path only. */
  governorProposalId: string | null;
  formula: string;
}

const coder = AbiCoder.defaultAbiCoder();

export function operationInputs(proposal: {
  id: string;
  title: string;
  mode: 'timelock' | 'governor';
  calls: PayloadCall[];
  executor: string;
  governor?: string | null | undefined;
}): OperationInputs {
  const targets = proposal.calls.map((c) => getAddress(c.target));
  const values = proposal.calls.map((c) => c.value);
  const calldatas = proposal.calls.map((c) => c.data);
  const hash = (salt: string) =>
    keccak256(coder.encode(['address[]', 'uint256[]', 'bytes[]', 'bytes32', 'bytes32'], [targets, values.map(BigInt), calldatas, ZeroHash, salt]));
  const base = { timelock: getAddress(proposal.executor), targets, values, calldatas, predecessor: ZeroHash };
  if (proposal.mode === 'timelock') {
    const salt = proposal.id.toLowerCase();
    return {
      ...base,
      mode: 'timelock',
      governor: null,
      salt,
      description: null,
      descriptionHash: null,
      operationId: hash(salt),
      governorProposalId: null,
      formula:
        'keccak256(abi.encode(targets, values, calldatas, predecessor, salt)) with predecessor = 0x0 and salt = the proposal id (TimelockController.hashOperationBatch)',
    };
  }
  if (!proposal.governor) throw new TypeError("the governor path needs the space's governor");
  const governor = getAddress(proposal.governor);
  const description = `# ${proposal.title}\n\ngovrelay proposal ${proposal.id.toLowerCase()}`;
  const descriptionHash = keccak256(toUtf8Bytes(description));
  const salt = toBeHex((BigInt(governor) << 96n) ^ BigInt(descriptionHash), 32);
  const governorProposalId = BigInt(
    keccak256(coder.encode(['address[]', 'uint256[]', 'bytes[]', 'bytes32'], [targets, values.map(BigInt), calldatas, descriptionHash])),
  ).toString();
  return {
    ...base,
    mode: 'governor',
    governor,
    salt,
    description,
    descriptionHash,
    operationId: hash(salt),
    governorProposalId,
    formula:
      'keccak256(abi.encode(targets, values, calldatas, predecessor, salt)) with predecessor = 0x0 and salt = bytes20(governor) ^ keccak256(description) (GovernorTimelockControl)',
  };
}
