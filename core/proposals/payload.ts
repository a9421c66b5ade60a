/**
 * The execution payload of an executable proposal. The author signs its hash (payloadHash), so the
 * relayer can only ever execute exactly what was voted on.
 */
import { AbiCoder, getAddress, isHexString, keccak256 } from 'ethers';
import { InvalidInputError } from '../errors.js';
import type { ExecutionPayload } from './repository.js';
import { PROPOSAL_LIMITS } from './limits.js';

export const ZERO_HASH = `0x${'0'.repeat(64)}`;
const MAX_UINT256 = (1n << 256n) - 1n;

/** keccak256(abi.encode(address[] targets, uint256[] values, bytes[] calldatas)). */
export function hashPayload(payload: ExecutionPayload): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['address[]', 'uint256[]', 'bytes[]'], [payload.targets, payload.values, payload.calldatas]));
}

/** Validates the shape and size of a payload sent beside a Proposal message; returns it normalised. */
export function parsePayload(raw: unknown): ExecutionPayload {
  const fail = (message: string) => new InvalidInputError('INVALID_PAYLOAD', message);
  if (typeof raw !== 'object' || raw === null) throw fail('payload must be an object { targets, values, calldatas }');
  const { targets, values, calldatas } = raw as Record<string, unknown>;
  if (!Array.isArray(targets) || !Array.isArray(values) || !Array.isArray(calldatas)) {
    throw fail('payload.targets, payload.values and payload.calldatas must be arrays');
  }
  if (targets.length === 0 || targets.length > PROPOSAL_LIMITS.maxCalls) throw fail(`payload must have 1 to ${PROPOSAL_LIMITS.maxCalls} calls`);
  if (values.length !== targets.length || calldatas.length !== targets.length) throw fail('payload arrays must have the same length');
  let totalBytes = 0;
  const normalised: ExecutionPayload = { targets: [], values: [], calldatas: [] };
  targets.forEach((target, i) => {
    if (typeof target !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(target)) throw fail(`payload.targets[${i}] is not an address`);
    const value = values[i];
    if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,77})$/.test(value)) throw fail(`payload.values[${i}] must be a decimal string`);
    if (BigInt(value) > MAX_UINT256) throw fail(`payload.values[${i}] exceeds the uint256 maximum 2^256-1`);
    const data = calldatas[i];
    if (typeof data !== 'string' || !isHexString(data) || data.length % 2 !== 0) throw fail(`payload.calldatas[${i}] must be 0x-prefixed hex bytes`);
    const bytes = (data.length - 2) / 2;
    if (bytes > PROPOSAL_LIMITS.calldataMaxBytes) throw fail(`payload.calldatas[${i}] exceeds ${PROPOSAL_LIMITS.calldataMaxBytes} bytes`);
    totalBytes += bytes;
    normalised.targets.push(getAddress(target).toLowerCase());
    normalised.values.push(value);
    normalised.calldatas.push(data.toLowerCase());
  });
  if (totalBytes > PROPOSAL_LIMITS.payloadMaxBytes) throw fail(`payload exceeds ${PROPOSAL_LIMITS.payloadMaxBytes} bytes of calldata`);
  return normalised;
}
