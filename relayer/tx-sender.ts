/**
 * Sends one relayer transaction for one (proposal, step) and follows it until it is confirmed.
 *
 *   simulate (eth_call + eth_estimateGas) → claim the step's record in Redis → allocate a nonce →
 *   sign → store the signed transaction in the record → broadcast → wait for N confirmations
 *
 * The record (`<prefix>:relayer:tx:<key>`) is written before the broadcast, so a relayer killed at any
 * point resumes the same transaction instead of sending a second one: send() with a key that has a
 * record re-broadcasts its signed transaction if the node lost it and keeps waiting.
 *
 * While waiting:
 * - not mined after RELAYER_STUCK_TX_TIMEOUT_MS: re-signed with the same nonce and fees raised by
 *   RELAYER_FEE_BUMP_PERCENT (at least the current market fee, at most RELAYER_MAX_FEE_PER_GAS_WEI);
 *   every version's hash is kept, because any of them may be the one that is mined;
 * - stuck behind a nonce gap (the node's pending count is below our nonce): the gap is filled with
 *   zero-value self-transfers;
 * - dropped from the node's pool: the latest version is broadcast again;
 * - "nonce too low", "already known", "replacement underpriced": treated as sent; then the receipts of
 *   our versions tell what happened;
 * - the nonce was consumed by a transaction that is not one of ours (replaced from outside, or two
 *   processes raced): outcome 'superseded', and the caller re-reads the chain to decide;
 * - mined: wait until RELAYER_CONFIRMATIONS blocks, check the block is still canonical (reorgs), and
 *   return the receipt, status 1 ('confirmed') or 0 ('reverted').
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { isError, Transaction, type JsonRpcProvider, type TransactionReceipt, type Wallet } from 'ethers';
import type { Log } from '../core/logger.js';
import { classifyError, PermanentError, TransientError } from '../core/executions/errors.js';
import type { NonceManager } from './nonce-manager.js';
import { pendingTxKey, type PendingTx } from '../core/executions/pending-tx.js';

export interface TxIntent {
  /** Identifies the step: one transaction (with its re-sends) per key at a time. */
  key: string;
  to: string;
  data: string;
  value?: bigint;
  /** For logs: what the transaction does. */
  label: string;
}

export type TxOutcome =
  | { status: 'confirmed'; hash: string; receipt: TransactionReceipt }
  | { status: 'reverted'; hash: string; receipt: TransactionReceipt }
  | { status: 'superseded'; nonce: number };

export interface SenderSettings {
  confirmations: number;
  stuckTimeoutMs: number;
  feeBumpPercent: number;
  maxFeePerGas: bigint | null;
  pollIntervalMs: number;
}

interface Fees {
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  gasPrice?: bigint;
}

const ALREADY_SENT = /already known|known transaction|alreadyknown|already imported|transaction already in/i;
const NONCE_TOO_HIGH = /nonce too high|nonce gap|future nonce|can't be queued/i;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new TransientError('relayer is shutting down'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new TransientError('relayer is shutting down'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (typeof current === 'object') {
      const e = current as { message?: unknown; shortMessage?: unknown; info?: { error?: unknown }; error?: unknown };
      if (typeof e.message === 'string') parts.push(e.message);
      if (typeof e.shortMessage === 'string') parts.push(e.shortMessage);
      current = e.info?.error ?? e.error;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' | ');
}

/** A node that mines on arrival (hardhat automine) answers a reverting broadcast with an error that carries the mined hash. */
function minedHashOf(error: unknown): string | null {
  const data = (error as { error?: { data?: { txHash?: unknown } } } | null)?.error?.data?.txHash;
  return typeof data === 'string' ? data : null;
}

/**
 * Log fields of a transaction: its key, and for a step's key (`<proposalId>:<step>`, steps/context.ts
 * txKey) the proposal id, the step and the step's job id, so every line about a transaction can be
 * found by proposal, job or hash.
 */
function txLogFields(key: string): { key: string; proposalId?: string; step?: string; jobId?: string } {
  const match = /^(0x[0-9a-fA-F]{64}):([a-z-]+)$/.exec(key);
  return match ? { key, proposalId: match[1]!, step: match[2]!, jobId: `${match[2]}-${match[1]}` } : { key };
}

const ceilPercent = (value: bigint, percent: number) => (value * BigInt(100 + percent) + 99n) / 100n;
const max = (a: bigint, b: bigint) => (a > b ? a : b);

export class TxSender {
  private readonly owner = randomUUID();
  /** Sends running in this process, by step key (see send()). */
  private readonly running = new Map<string, Promise<TxOutcome>>();

  constructor(
    private readonly deps: {
      provider: JsonRpcProvider;
      wallet: Wallet;
      nonces: NonceManager;
      redis: Redis;
      redisPrefix: string;
      chainId: number;
      settings: SenderSettings;
      logger: Log;
      signal?: AbortSignal;
    },
  ) {}

  get address(): string {
    return this.deps.wallet.address;
  }

  private recordKey(key: string): string {
    return pendingTxKey(this.deps.redisPrefix, key);
  }

  async pending(key: string): Promise<PendingTx | null> {
    const raw = await this.deps.redis.get(this.recordKey(key));
    return raw ? (JSON.parse(raw) as PendingTx) : null;
  }

  /** Drops a step's record once the chain shows the step done. */
  async forget(key: string): Promise<void> {
    await this.deps.redis.del(this.recordKey(key));
  }

  /**
   * eth_call from the relayer's address; returns the gas estimate. A revert throws a PermanentError
   * naming the decoded reason; a node problem throws a TransientError.
   */
  async simulate(intent: Pick<TxIntent, 'to' | 'data' | 'value'>): Promise<bigint> {
    const request = { from: this.address, to: intent.to, data: intent.data, value: intent.value ?? 0n };
    try {
      await this.deps.provider.call(request);
      return await this.deps.provider.estimateGas(request);
    } catch (error) {
      throw classifyError(error);
    }
  }

  /**
   * Sends (or resumes) the step's transaction and waits for its confirmations. A second runner of the
   * same step in this process (its job re-created after Redis lost the first one's job and record, or
   * taken over from this process's own stalled job) shares the send already running: without the
   * record it would simulate and send again, and a node that simulates against its pending block would
   * even report the first transaction's effect as a revert.
   */
  send(intent: TxIntent): Promise<TxOutcome> {
    const running = this.running.get(intent.key);
    if (running) return running;
    const sending = this.sendOrResume(intent).finally(() => this.running.delete(intent.key));
    this.running.set(intent.key, sending);
    return sending;
  }

  private async sendOrResume(intent: TxIntent): Promise<TxOutcome> {
    const key = this.recordKey(intent.key);
    for (;;) {
      const existing = await this.pending(intent.key);
      if (existing?.raw && existing.nonce !== undefined) return this.follow(intent, existing);
      if (existing) {
        // Another runner claimed this step and has not broadcast yet. Wait for it, unless it died.
        if (existing.owner !== this.owner && Date.now() - existing.claimedAt < this.deps.settings.stuckTimeoutMs) {
          await sleep(this.deps.settings.pollIntervalMs, this.deps.signal);
          continue;
        }
        await this.deps.redis.del(key);
        continue;
      }
      const claim: PendingTx = { owner: this.owner, claimedAt: Date.now() };
      if ((await this.deps.redis.set(key, JSON.stringify(claim), 'NX')) !== 'OK') continue;
      try {
        return await this.sendNew(intent, claim);
      } catch (error) {
        const record = await this.pending(intent.key);
        // Nothing was signed, or the node refused the transaction for good: release the step so a
        // retry starts clean (an allocated but unused nonce is a gap, filled by the next stuck send).
        if (record && record.owner === this.owner && (!record.raw || error instanceof PermanentError)) await this.deps.redis.del(key);
        throw error;
      }
    }
  }

  private async sendNew(intent: TxIntent, claim: PendingTx): Promise<TxOutcome> {
    const estimate = await this.simulate(intent);
    const gasLimit = (estimate * 130n) / 100n + 10_000n;
    const fees = await this.currentFees();
    const nonce = await this.deps.nonces.allocate();
    const record: PendingTx = {
      ...claim,
      nonce,
      to: intent.to,
      data: intent.data,
      value: (intent.value ?? 0n).toString(),
      gasLimit: gasLimit.toString(),
      hashes: [],
    };
    await this.signInto(record, fees);
    await this.save(intent.key, record);
    this.deps.logger.info({ ...txLogFields(intent.key), nonce, txHash: record.hashes!.at(-1), label: intent.label }, 'sending transaction');
    await this.broadcast(record);
    return this.follow(intent, record);
  }

  private async signInto(record: PendingTx, fees: Fees): Promise<void> {
    const tx = {
      to: record.to!,
      data: record.data!,
      value: BigInt(record.value ?? '0'),
      nonce: record.nonce!,
      gasLimit: BigInt(record.gasLimit!),
      chainId: this.deps.chainId,
      ...(fees.maxFeePerGas !== undefined
        ? { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas! }
        : { type: 0, gasPrice: fees.gasPrice! }),
    };
    const raw = await this.deps.wallet.signTransaction(tx);
    record.raw = raw;
    record.hashes = [...(record.hashes ?? []), Transaction.from(raw).hash!];
    record.sentAt = Date.now();
    delete record.maxFeePerGas;
    delete record.maxPriorityFeePerGas;
    delete record.gasPrice;
    if (fees.maxFeePerGas !== undefined) {
      record.maxFeePerGas = fees.maxFeePerGas.toString();
      record.maxPriorityFeePerGas = fees.maxPriorityFeePerGas!.toString();
    } else {
      record.gasPrice = fees.gasPrice!.toString();
    }
  }

  private async save(key: string, record: PendingTx): Promise<void> {
    await this.deps.redis.set(this.recordKey(key), JSON.stringify(record));
  }

  private async currentFees(): Promise<Fees> {
    let data;
    try {
      data = await this.deps.provider.getFeeData();
    } catch (error) {
      throw classifyError(error);
    }
    const cap = this.deps.settings.maxFeePerGas;
    if (data.maxFeePerGas !== null && data.maxPriorityFeePerGas !== null) {
      let maxFeePerGas = data.maxFeePerGas;
      let maxPriorityFeePerGas = data.maxPriorityFeePerGas;
      if (cap !== null && maxFeePerGas > cap) maxFeePerGas = cap;
      if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas;
      return { maxFeePerGas, maxPriorityFeePerGas };
    }
    if (data.gasPrice === null) throw new TransientError('the node reports no fee data');
    return { gasPrice: cap !== null && data.gasPrice > cap ? cap : data.gasPrice };
  }

  /** Broadcasts the record's latest version. Returns false when the node did not take it (yet). */
  private async broadcast(record: PendingTx): Promise<boolean> {
    try {
      await this.deps.provider.broadcastTransaction(record.raw!);
      return true;
    } catch (error) {
      const text = errorText(error);
      if (isError(error, 'NONCE_EXPIRED') || isError(error, 'REPLACEMENT_UNDERPRICED') || ALREADY_SENT.test(text) || minedHashOf(error)) {
        this.deps.logger.debug({ nonce: record.nonce, reason: text.slice(0, 200) }, 'broadcast answered as already sent');
        return true;
      }
      if (NONCE_TOO_HIGH.test(text)) {
        // An earlier nonce is not in the node's pool yet (another job is about to send it, or a gap).
        this.deps.logger.debug({ nonce: record.nonce }, 'broadcast refused: an earlier nonce is missing; will retry');
        return false;
      }
      const known = await this.deps.provider.getTransaction(record.hashes!.at(-1)!).catch(() => null);
      if (known) return true;
      const classified = classifyError(error);
      if (classified instanceof PermanentError) throw classified;
      this.deps.logger.warn({ err: classified, nonce: record.nonce }, 'broadcast failed; will re-send');
      return false;
    }
  }

  private async follow(intent: TxIntent, record: PendingTx): Promise<TxOutcome> {
    const { settings, provider, signal } = this.deps;
    const log = (extra: Record<string, unknown>, message: string) =>
      this.deps.logger.info({ ...txLogFields(intent.key), nonce: record.nonce, ...extra }, message);
    let lastRebroadcast = Date.now();
    for (;;) {
      // Mined? Newest version first: it is the likeliest.
      let mined: TransactionReceipt | null = null;
      for (const hash of [...record.hashes!].reverse()) {
        const receipt = await this.rpc(() => provider.getTransactionReceipt(hash));
        if (receipt) {
          mined = receipt;
          break;
        }
      }
      if (mined) {
        const latest = await this.rpc(() => provider.getBlockNumber());
        if (latest - mined.blockNumber + 1 >= settings.confirmations) {
          const block = await this.rpc(() => provider.getBlock(mined.blockNumber));
          if (block?.hash === mined.blockHash) {
            await this.forget(intent.key);
            if (mined.status === 1) {
              log({ txHash: mined.hash, block: mined.blockNumber }, 'transaction confirmed');
              return { status: 'confirmed', hash: mined.hash, receipt: mined };
            }
            this.deps.logger.warn({ ...txLogFields(intent.key), txHash: mined.hash, block: mined.blockNumber }, 'transaction reverted');
            return { status: 'reverted', hash: mined.hash, receipt: mined };
          }
          // The block was reorganised away: keep waiting for the transaction to be mined again.
        }
        await sleep(settings.pollIntervalMs, signal);
        continue;
      }

      const minedCount = await this.rpc(() => provider.getTransactionCount(this.address, 'latest'));
      if (minedCount > record.nonce!) {
        // Our nonce is used, yet none of our versions has a receipt: look once more (a receipt can land
        // between the two reads), then report that something else took the nonce.
        const late = await Promise.all(record.hashes!.map((h) => this.rpc(() => provider.getTransactionReceipt(h))));
        if (late.some((r) => r)) continue;
        await this.forget(intent.key);
        this.deps.logger.warn({ ...txLogFields(intent.key), nonce: record.nonce }, 'nonce consumed by a transaction that is not ours');
        return { status: 'superseded', nonce: record.nonce! };
      }

      if (Date.now() - record.sentAt! >= settings.stuckTimeoutMs) {
        await this.fillGaps(record.nonce!);
        const previous: Fees =
          record.maxFeePerGas !== undefined
            ? { maxFeePerGas: BigInt(record.maxFeePerGas), maxPriorityFeePerGas: BigInt(record.maxPriorityFeePerGas!) }
            : { gasPrice: BigInt(record.gasPrice!) };
        const bumped = await this.bumpedFees(previous);
        if (bumped) {
          await this.signInto(record, bumped);
          await this.save(intent.key, record);
          log(
            { txHash: record.hashes!.at(-1), fees: Object.fromEntries(Object.entries(bumped).map(([k, v]) => [k, String(v)])) },
            'transaction stuck: re-sent with higher fees',
          );
        } else {
          record.sentAt = Date.now();
          await this.save(intent.key, record);
          this.deps.logger.warn({ ...txLogFields(intent.key), nonce: record.nonce }, 'transaction stuck at the fee cap: re-broadcasting');
        }
        await this.broadcast(record);
        lastRebroadcast = Date.now();
      } else if (Date.now() - lastRebroadcast >= settings.pollIntervalMs) {
        const known = await this.rpc(() => provider.getTransaction(record.hashes!.at(-1)!));
        if (!known) {
          await this.broadcast(record);
          lastRebroadcast = Date.now();
        }
      }
      await sleep(settings.pollIntervalMs, signal);
    }
  }

  private async bumpedFees(previous: Fees): Promise<Fees | null> {
    const fresh = await this.currentFees();
    const pct = this.deps.settings.feeBumpPercent;
    const cap = this.deps.settings.maxFeePerGas;
    if (previous.maxFeePerGas !== undefined) {
      let maxFeePerGas = max(ceilPercent(previous.maxFeePerGas, pct), fresh.maxFeePerGas ?? fresh.gasPrice ?? 0n);
      let maxPriorityFeePerGas = max(ceilPercent(previous.maxPriorityFeePerGas!, pct), fresh.maxPriorityFeePerGas ?? 0n);
      if (cap !== null && maxFeePerGas > cap) maxFeePerGas = cap;
      if (maxPriorityFeePerGas > maxFeePerGas) maxPriorityFeePerGas = maxFeePerGas;
      if (maxFeePerGas < ceilPercent(previous.maxFeePerGas, 10) || maxPriorityFeePerGas < ceilPercent(previous.maxPriorityFeePerGas!, 10)) return null;
      return { maxFeePerGas, maxPriorityFeePerGas };
    }
    let gasPrice = max(ceilPercent(previous.gasPrice!, pct), fresh.gasPrice ?? fresh.maxFeePerGas ?? 0n);
    if (cap !== null && gasPrice > cap) gasPrice = cap;
    if (gasPrice < ceilPercent(previous.gasPrice!, 10)) return null;
    return { gasPrice };
  }

  /** Uses every nonce the node has no transaction for below `nonce` with a zero-value self-transfer. */
  private async fillGaps(nonce: number): Promise<void> {
    const gaps = await this.rpc(() => this.deps.nonces.gaps(nonce));
    for (const gap of gaps) {
      const fees = await this.currentFees();
      const raw = await this.deps.wallet.signTransaction({
        to: this.address,
        value: 0n,
        nonce: gap,
        gasLimit: 21_000n,
        chainId: this.deps.chainId,
        ...(fees.maxFeePerGas !== undefined
          ? { type: 2, maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas! }
          : { type: 0, gasPrice: fees.gasPrice! }),
      });
      this.deps.logger.warn({ nonce: gap, before: nonce }, 'filling a nonce gap with a self-transfer');
      await this.deps.provider.broadcastTransaction(raw).catch((error: unknown) => {
        this.deps.logger.warn({ nonce: gap, reason: errorText(error).slice(0, 200) }, 'gap fill not accepted');
      });
    }
  }

  private async rpc<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw classifyError(error);
    }
  }
}
