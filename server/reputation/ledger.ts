/**
 * The off-chain reputation ledger: an append-only table of signed deltas per (space, address).
 * Reputation at a time is the sum of every delta recorded at or before it, so history is never
 * rewritten and any past snapshot can be recomputed exactly.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ReputationLedger } from '../../strategies/types.js';
import { InvalidInputError } from '../../core/errors.js';

const ADDRESS_PATTERN = /^0x[0-9a-f]{40}$/;

type LedgerDatabase = Pick<PrismaClient, '$queryRaw' | 'reputationEntry'>;

export function createReputationLedger(prisma: LedgerDatabase): ReputationLedger {
  return {
    async reputationAt(spaceId, addresses, asOf) {
      const result = new Map<string, bigint>();
      if (addresses.length === 0) return result;
      const wanted = [...new Set(addresses.map((address) => address.toLowerCase()))];
      // One query for any number of addresses. The sum is returned as text: SUM(bigint) is
      // numeric in PostgreSQL and must not pass through a JS number.
      const rows = await prisma.$queryRaw<{ address: string; total: string }[]>`
        SELECT address, SUM(delta)::text AS total
        FROM reputation_entries
        WHERE space_id = ${spaceId}
          AND address = ANY(${wanted}::text[])
          AND at <= to_timestamp(${asOf.toString()}::bigint)
        GROUP BY address`;
      for (const row of rows) result.set(row.address, BigInt(row.total));
      return result;
    },
  };
}

export interface ReputationEntryInput {
  spaceId: string;
  address: string;
  /** Signed change in points: positive to award, negative to take away. */
  delta: bigint;
  reason: string;
  /** When the change takes effect; defaults to now. */
  at?: Date;
}

/** Appends one entry. Entries are never updated or deleted (a database trigger enforces it). */
export async function recordReputation(prisma: LedgerDatabase, entry: ReputationEntryInput): Promise<void> {
  const address = entry.address.toLowerCase();
  if (!ADDRESS_PATTERN.test(address)) {
    throw new InvalidInputError('INVALID_ADDRESS', 'reputation entry address must be 0x followed by 40 hex digits', {
      details: { address: entry.address },
    });
  }
  if (entry.delta === 0n) {
    throw new InvalidInputError('INVALID_REPUTATION_DELTA', 'a reputation entry must change reputation');
  }
  await prisma.reputationEntry.create({
    data: { spaceId: entry.spaceId, address, delta: entry.delta, reason: entry.reason, at: entry.at ?? new Date() },
  });
}
