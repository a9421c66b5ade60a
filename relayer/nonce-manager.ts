/**
 * One nonce sequence per relayer key, shared by every job and every relayer process.
 *
 * The next free nonce lives in Redis at `<prefix>:nonce:<chainId>:<address>`. allocate() runs one Lua
 * script: it raises the counter to the chain's pending transaction count when the chain is ahead (first
 * use, Redis lost the key, or someone sent with the key by hand) and then takes the counter and
 * increments it, atomically. Two allocations, in one process or in two, never return the same nonce.
 *
 * A nonce that was allocated but never broadcast (a process died in between) is a gap: every later
 * transaction waits behind it. gaps() finds them (the chain's pending count is below a nonce we are
 * waiting on); the transaction sender fills them with zero-value self-transfers when a transaction
 * stays stuck behind one.
 */
import type { Redis } from 'ioredis';
import type { JsonRpcProvider } from 'ethers';

const ALLOCATE = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
local chain = tonumber(ARGV[1])
if current < chain then
  redis.call('SET', KEYS[1], chain)
end
return redis.call('INCR', KEYS[1]) - 1
`;

export function nonceKey(redisPrefix: string, chainId: number, address: string): string {
  return `${redisPrefix}:nonce:${chainId}:${address.toLowerCase()}`;
}

export interface NonceSnapshot {
  /** Transactions mined from the key (the next nonce the chain will accept in a block). */
  mined: number;
  /** The node's pending count: mined plus consecutive pending transactions. */
  pending: number;
  /** The next nonce Redis will hand out. */
  next: number | null;
}

export class NonceManager {
  readonly key: string;

  constructor(private readonly deps: { redis: Redis; provider: JsonRpcProvider; redisPrefix: string; chainId: number; address: string }) {
    this.key = nonceKey(deps.redisPrefix, deps.chainId, deps.address);
  }

  get address(): string {
    return this.deps.address;
  }

  /** The next nonce for this key, never handed out before (atomic across processes). */
  async allocate(): Promise<number> {
    const pending = await this.deps.provider.getTransactionCount(this.deps.address, 'pending');
    const nonce = await this.deps.redis.eval(ALLOCATE, 1, this.key, String(pending));
    return Number(nonce);
  }

  /** Raises the counter to the chain's pending count (after "nonce too low"). Never lowers it. */
  async resync(): Promise<void> {
    const pending = await this.deps.provider.getTransactionCount(this.deps.address, 'pending');
    await this.deps.redis.eval(`${ALLOCATE.replace("return redis.call('INCR', KEYS[1]) - 1", 'return 0')}`, 1, this.key, String(pending));
  }

  async snapshot(): Promise<NonceSnapshot> {
    const [mined, pending, next] = await Promise.all([
      this.deps.provider.getTransactionCount(this.deps.address, 'latest'),
      this.deps.provider.getTransactionCount(this.deps.address, 'pending'),
      this.deps.redis.get(this.key),
    ]);
    return { mined, pending, next: next === null ? null : Number(next) };
  }

  /** Nonces below `waitingOn` that the node has no transaction for: nothing will ever mine `waitingOn` until they are used. */
  async gaps(waitingOn: number): Promise<number[]> {
    const pending = await this.deps.provider.getTransactionCount(this.deps.address, 'pending');
    const gaps: number[] = [];
    for (let n = pending; n < waitingOn; n++) gaps.push(n);
    return gaps;
  }
}
