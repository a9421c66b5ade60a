/**
 * The timelock operation id of an executable proposal, with every input needed to recompute it, for
 * the proposal page. The formula is core/executions/operation.ts's, the one the relayer executes with
 * (docs/api.md#execution-status); this file only lays its inputs out for people.
 * test/web/web-api.test.ts checks the ids equal the relayer's plan.
 *
 *   operation id = keccak256(abi.encode(address[] targets, uint256[] values, bytes[] calldatas, bytes32 predecessor, bytes32 salt))
 *   timelock path: predecessor = 0x0, salt = the proposal id
 *   governor path: predecessor = 0x0, salt = bytes20(governor) ^ keccak256(description),
 *                  description = "# <title>\n\ngovrelay proposal <proposal id>"
 */
import { getAddress, keccak256, toUtf8Bytes } from 'ethers';
import {
  governorDescription,
  governorProposalId,
  governorTimelockSalt,
  hashOperationBatch,
  PREDECESSOR,
  timelockSalt,
  type CallBatch,
} from '../../core/executions/operation.js';
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
  const batch: CallBatch = { targets, values: values.map(BigInt), calldatas };
  const base = { timelock: getAddress(proposal.executor), targets, values, calldatas, predecessor: PREDECESSOR };
  if (proposal.mode === 'timelock') {
    const salt = timelockSalt(proposal.id);
    return {
      ...base,
      mode: 'timelock',
      governor: null,
      salt,
      description: null,
      descriptionHash: null,
      operationId: hashOperationBatch(batch, PREDECESSOR, salt),
      governorProposalId: null,
      formula:
        'keccak256(abi.encode(targets, values, calldatas, predecessor, salt)) with predecessor = 0x0 and salt = the proposal id (TimelockController.hashOperationBatch)',
    };
  }
  if (!proposal.governor) throw new TypeError("the governor path needs the space's governor");
  const governor = getAddress(proposal.governor);
  const description = governorDescription(proposal);
  const descriptionHash = keccak256(toUtf8Bytes(description));
  const salt = governorTimelockSalt(governor, descriptionHash);
  return {
    ...base,
    mode: 'governor',
    governor,
    salt,
    description,
    descriptionHash,
    operationId: hashOperationBatch(batch, PREDECESSOR, salt),
    governorProposalId: governorProposalId(batch, descriptionHash),
    formula:
      'keccak256(abi.encode(targets, values, calldatas, predecessor, salt)) with predecessor = 0x0 and salt = bytes20(governor) ^ keccak256(description) (GovernorTimelockControl)',
  };
}
