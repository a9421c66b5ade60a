/**
 * Executable proposals against the chain: the payload hash recomputed from the published calls, the
 * TimelockController operation id recomputed from them (docs/api.md "Execution status"), the target
 * code hashes recorded at creation, and the executor's CallScheduled / CallExecuted / CallSalt events.
 * An operation scheduled with this proposal's salt but other calls is named call by call.
 */
import { AbiCoder, dataSlice, getAddress, Interface, keccak256, toUtf8Bytes, ZeroHash, type JsonRpcProvider, type Log } from 'ethers';
import type { Difference } from './report.js';

const coder = AbiCoder.defaultAbiCoder();
export const timelockEvents = new Interface([
  'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
  'event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)',
  'event CallSalt(bytes32 indexed id, bytes32 salt)',
  'event Cancelled(bytes32 indexed id)',
]);
const topic = (name: string) => timelockEvents.getEvent(name)!.topicHash;

export interface Payload {
  targets: string[];
  values: string[];
  calldatas: string[];
}

export interface ExecutableProposal {
  id: string;
  title: string;
  execution: string;
  payloadHash: string;
  payload: Payload | null;
  snapshot: string;
  targetCodeHashes: { target: string; codeHash: string }[];
  executionStatus: { status?: string; operationId?: string | null } | null;
}

export const payloadHashOf = (p: Payload): string => keccak256(coder.encode(['address[]', 'uint256[]', 'bytes[]'], [p.targets, p.values, p.calldatas]));

export function governorDescription(id: string, title: string): string {
  return `# ${title}\n\ngovrelay proposal ${id.toLowerCase()}`;
}

/** The timelock salt: the proposal id (timelock path), or bytes20(governor) ^ keccak256(description) (governor path). */
export function timelockSaltOf(proposal: Pick<ExecutableProposal, 'id' | 'title' | 'execution'>, governor: string | undefined): string {
  if (proposal.execution !== 'governor') return proposal.id.toLowerCase();
  if (!governor) throw new Error('a governor proposal in a space without a governor');
  const descriptionHash = BigInt(keccak256(toUtf8Bytes(governorDescription(proposal.id, proposal.title))));
  const salt = (BigInt(governor) << 96n) ^ descriptionHash;
  return `0x${salt.toString(16).padStart(64, '0')}`;
}

export function operationIdOf(p: Payload, salt: string): string {
  return keccak256(
    coder.encode(
      ['address[]', 'uint256[]', 'bytes[]', 'bytes32', 'bytes32'],
      [p.targets.map((t) => getAddress(t)), p.values.map(BigInt), p.calldatas, ZeroHash, salt],
    ),
  );
}

interface Call {
  index: number;
  target: string;
  value: bigint;
  data: string;
}

function callsOf(logs: Log[], event: 'CallScheduled' | 'CallExecuted'): Call[] {
  return logs
    .map((log) => timelockEvents.decodeEventLog(event, log.data, log.topics))
    .map((e) => ({ index: Number(e.index), target: getAddress(String(e.target)), value: BigInt(e.value), data: String(e.data).toLowerCase() }))
    .sort((a, b) => a.index - b.index);
}

/** How `calls` differ from the signed payload, one line per field. */
function callDifferences(calls: Call[], payload: Payload): string[] {
  const out: string[] = [];
  if (calls.length !== payload.targets.length) out.push(`${calls.length} calls, the signed payload has ${payload.targets.length}`);
  calls.forEach((call, i) => {
    if (i >= payload.targets.length) return;
    if (call.target !== getAddress(payload.targets[i]!)) out.push(`call ${i} target ${call.target}, signed ${getAddress(payload.targets[i]!)}`);
    if (call.value !== BigInt(payload.values[i]!)) out.push(`call ${i} value ${call.value}, signed ${payload.values[i]}`);
    if (call.data !== payload.calldatas[i]!.toLowerCase()) out.push(`call ${i} data ${call.data.slice(0, 74)}…, signed ${payload.calldatas[i]!.slice(0, 74)}…`);
  });
  return out;
}

export interface ExecutionCheck {
  differences: Difference[];
  notes: string[];
  operationId: string | null;
  scheduled: boolean;
  executed: boolean;
}

export async function checkExecution(
  provider: JsonRpcProvider | null,
  proposal: ExecutableProposal,
  signedPayloadHash: string | null,
  settings: { executor?: string; governor?: string },
): Promise<ExecutionCheck> {
  const differences: Difference[] = [];
  const notes: string[] = [];
  const diff = (subject: string, detail: string) => differences.push({ check: 'execution', subject, detail });
  const result: ExecutionCheck = { differences, notes, operationId: null, scheduled: false, executed: false };
  if (!proposal.payload) {
    diff('payload', 'an executable proposal publishes no payload');
    return result;
  }
  const payload = proposal.payload;
  const hash = payloadHashOf(payload);
  if (hash !== proposal.payloadHash.toLowerCase()) diff('payloadHash', `the published payload hashes to ${hash}, the proposal says ${proposal.payloadHash}`);
  if (signedPayloadHash !== null && hash !== signedPayloadHash.toLowerCase())
    diff('payloadHash', `the published payload hashes to ${hash}, the author signed ${signedPayloadHash}`);
  const salt = timelockSaltOf(proposal, settings.governor);
  const operationId = operationIdOf(payload, salt);
  result.operationId = operationId;
  const recorded = proposal.executionStatus?.operationId;
  if (recorded && recorded.toLowerCase() !== operationId) diff('executionStatus.operationId', `the server records ${recorded}, recomputed ${operationId}`);
  if (!provider) {
    notes.push('execution: no --rpc given, the chain was not read (operation id and payload hash recomputed only)');
    return result;
  }
  const executor = settings.executor;
  if (!executor) {
    diff('settings.executor', 'an executable proposal in a space without an executor');
    return result;
  }
  const fromBlock = Number(proposal.snapshot);
  const logs = (topics: (string | null)[]) => provider.getLogs({ address: executor, topics, fromBlock, toBlock: 'latest' });
  const [scheduledLogs, executedLogs, saltLogs] = await Promise.all([
    logs([topic('CallScheduled'), operationId]),
    logs([topic('CallExecuted'), operationId]),
    logs([topic('CallSalt')]),
  ]);
  result.scheduled = scheduledLogs.length > 0;
  result.executed = executedLogs.length > 0;
  for (const d of result.scheduled ? callDifferences(callsOf(scheduledLogs, 'CallScheduled'), payload) : []) diff(`CallScheduled ${operationId}`, d);
  for (const d of result.executed ? callDifferences(callsOf(executedLogs, 'CallExecuted'), payload) : []) diff(`CallExecuted ${operationId}`, d);

  // Any other operation carrying this proposal's salt was scheduled from a payload nobody signed.
  const others = new Set(
    saltLogs
      .filter((log) => dataSlice(log.data, 0, 32).toLowerCase() === salt && log.topics[1]!.toLowerCase() !== operationId)
      .map((log) => log.topics[1]!.toLowerCase()),
  );
  for (const other of others) {
    const calls = callsOf(await logs([topic('CallScheduled'), other]), 'CallScheduled');
    const lines = callDifferences(calls, payload);
    diff(
      `operation ${other}`,
      `scheduled on the executor with this proposal's salt but not its signed payload: ${lines.join('; ') || 'different predecessor'}`,
    );
  }

  const status = proposal.executionStatus?.status;
  if ((status === 'scheduled' || status === 'executed') && !result.scheduled)
    diff('executionStatus.status', `the server says ${status}, the executor has no CallScheduled for ${operationId}`);
  if (status === 'executed' && !result.executed)
    diff('executionStatus.status', `the server says executed, the executor has no CallExecuted for ${operationId}`);
  if (result.executed && status !== 'executed') diff('executionStatus.status', `the chain executed ${operationId}, the server says ${status ?? 'nothing'}`);
  if (!result.scheduled) notes.push(`execution: operation ${operationId} is not scheduled on the executor (yet)`);

  // Code hashes: as recorded at creation, and unchanged where the chain ran (or would run) the calls.
  const recordedTargets = proposal.targetCodeHashes.map((c) => getAddress(c.target));
  const signedTargets = payload.targets.map((t) => getAddress(t));
  if (JSON.stringify(recordedTargets) !== JSON.stringify(signedTargets)) diff('targetCodeHashes', 'the recorded targets are not the payload targets');
  const atBlock = result.executed ? executedLogs[0]!.blockNumber : result.scheduled ? scheduledLogs[0]!.blockNumber : 'latest';
  for (const { target, codeHash } of proposal.targetCodeHashes) {
    const now = keccak256(await provider.getCode(target, atBlock));
    if (now !== codeHash.toLowerCase())
      diff(`targetCodeHashes ${getAddress(target)}`, `code hash at block ${atBlock} is ${now}, recorded at creation ${codeHash}`);
  }
  return result;
}
