/** Chain reads the relayer decides on: operation and Governor states, the chain's clock, operation events. */
import { Contract, Interface, keccak256, type JsonRpcProvider, type Log as EthLog } from 'ethers';
import { GOVERNOR_ABI, GOVERNOR_STATES, OPERATION_STATES, TIMELOCK_ABI, type GovernorState, type OperationState } from './abi.js';
import { classifyError } from './errors.js';

export const timelockInterface = new Interface(TIMELOCK_ABI);
export const governorInterface = new Interface(GOVERNOR_ABI);

export const TIMELOCK_TOPICS = {
  CallScheduled: timelockInterface.getEvent('CallScheduled')!.topicHash,
  CallExecuted: timelockInterface.getEvent('CallExecuted')!.topicHash,
  Cancelled: timelockInterface.getEvent('Cancelled')!.topicHash,
} as const;

/** One timelock event about an operation, as the reconciler and the steps use it. */
export interface OperationEvent {
  kind: 'scheduled' | 'executed' | 'cancelled';
  operationId: string;
  timelock: string;
  /** Index of the call in the batch (CallScheduled, CallExecuted); 0 for Cancelled. */
  index: number;
  /** CallScheduled: the delay the operation was scheduled with (seconds). */
  delay: bigint | null;
  txHash: string;
  blockNumber: number;
  logIndex: number;
}

function parseOperationLog(log: EthLog): OperationEvent | null {
  const parsed = timelockInterface.parseLog({ topics: [...log.topics], data: log.data });
  if (!parsed) return null;
  const base = {
    operationId: String(parsed.args[0]).toLowerCase(),
    timelock: log.address.toLowerCase(),
    txHash: log.transactionHash,
    blockNumber: log.blockNumber,
    logIndex: log.index,
  };
  if (parsed.name === 'CallScheduled') return { ...base, kind: 'scheduled', index: Number(parsed.args[1]), delay: BigInt(parsed.args[6]) };
  if (parsed.name === 'CallExecuted') return { ...base, kind: 'executed', index: Number(parsed.args[1]), delay: null };
  if (parsed.name === 'Cancelled') return { ...base, kind: 'cancelled', index: 0, delay: null };
  return null;
}

export class ChainReader {
  constructor(
    readonly provider: JsonRpcProvider,
    private readonly logChunkBlocks: number,
  ) {}

  timelock(address: string): Contract {
    return new Contract(address, TIMELOCK_ABI, this.provider);
  }

  governor(address: string): Contract {
    return new Contract(address, GOVERNOR_ABI, this.provider);
  }

  private async read<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyError(error);
    }
  }

  /** The latest block: its number and timestamp are the chain's clock (not the relayer's). */
  async head(): Promise<{ number: number; timestamp: number }> {
    const block = await this.read(() => this.provider.getBlock('latest'));
    if (!block) throw classifyError(new Error('the node returned no latest block'));
    return { number: block.number, timestamp: block.timestamp };
  }

  async hasCode(address: string): Promise<boolean> {
    return (await this.read(() => this.provider.getCode(address))) !== '0x';
  }

  async codeHashes(addresses: string[]): Promise<string[]> {
    return Promise.all(addresses.map(async (a) => keccak256(await this.read(() => this.provider.getCode(a)))));
  }

  /** getOperationState and getTimestamp (0 unset, 1 done, else the ready time in seconds). */
  async operation(timelock: string, operationId: string): Promise<{ state: OperationState; timestamp: bigint }> {
    const contract = this.timelock(timelock);
    const [state, timestamp] = await this.read(() =>
      Promise.all([
        contract.getFunction('getOperationState')(operationId) as Promise<bigint>,
        contract.getFunction('getTimestamp')(operationId) as Promise<bigint>,
      ]),
    );
    return { state: OPERATION_STATES[Number(state)]!, timestamp };
  }

  /** The Governor's state of a proposal, or null when it was never proposed. */
  async governorProposal(governor: string, proposalId: string): Promise<{ state: GovernorState; eta: bigint; snapshot: bigint; deadline: bigint } | null> {
    const contract = this.governor(governor);
    const snapshot = await this.read(() => contract.getFunction('proposalSnapshot')(proposalId) as Promise<bigint>);
    if (snapshot === 0n) return null;
    const [state, eta, deadline] = await this.read(() =>
      Promise.all([
        contract.getFunction('state')(proposalId) as Promise<bigint>,
        contract.getFunction('proposalEta')(proposalId) as Promise<bigint>,
        contract.getFunction('proposalDeadline')(proposalId) as Promise<bigint>,
      ]),
    );
    return { state: GOVERNOR_STATES[Number(state)]!, eta, snapshot, deadline };
  }

  /**
   * Timelock events in [fromBlock, toBlock], in chain order, in chunks of RELAYER_LOG_CHUNK_BLOCKS.
   * With operationIds, only those operations' events (topic filter); else every operation event.
   */
  async operationEvents(addresses: string[], fromBlock: number, toBlock: number, operationIds?: string[]): Promise<OperationEvent[]> {
    if (addresses.length === 0 || fromBlock > toBlock) return [];
    const topics: (string | string[] | null)[] = [[TIMELOCK_TOPICS.CallScheduled, TIMELOCK_TOPICS.CallExecuted, TIMELOCK_TOPICS.Cancelled]];
    if (operationIds) topics.push(operationIds);
    const events: OperationEvent[] = [];
    for (let start = fromBlock; start <= toBlock; start += this.logChunkBlocks) {
      const end = Math.min(toBlock, start + this.logChunkBlocks - 1);
      const logs = await this.read(() => this.provider.getLogs({ address: addresses, topics, fromBlock: start, toBlock: end }));
      for (const log of logs) {
        if (log.removed) continue;
        const event = parseOperationLog(log);
        if (event) events.push(event);
      }
    }
    return events.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  }

  async blockTimestamp(blockNumber: number): Promise<number> {
    const block = await this.read(() => this.provider.getBlock(blockNumber));
    if (!block) throw classifyError(new Error(`the node returned no block ${blockNumber}`));
    return block.timestamp;
  }
}
