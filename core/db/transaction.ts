import type pg from 'pg';

export type Queryable = Pick<pg.PoolClient, 'query'>;

/** Runs `work` in one transaction on one pooled connection; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Per-proposal advisory locks. Votes take the shared lock, stage closes and cancellations the
 * exclusive one: a close waits for in-flight votes to commit, and every later vote sees the
 * new state, so no acknowledged vote can miss the final tally. Advisory locks write nothing to
 * the proposal row, unlike SELECT ... FOR SHARE.
 */
export async function lockProposalShared(client: Queryable, proposalId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [proposalId]);
}

export async function lockProposalExclusive(client: Queryable, proposalId: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [proposalId]);
}

/** PostgreSQL unique_violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
