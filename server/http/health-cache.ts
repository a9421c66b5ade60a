/**
 * /health is exempt from the rate limit (load balancers poll it), and each check costs a database
 * query, a Redis PING and an eth_blockNumber. So the checked state is shared: one check runs at a
 * time, every caller during it gets its result, and that result is served for `ttlMs` after it
 * settles. A flood of /health calls costs the dependencies one check per ttl.
 */
export interface CachedCheck<T> {
  (): Promise<T>;
}

export function cachedCheck<T>(ttlMs: number, check: () => Promise<T>, now: () => number = Date.now): CachedCheck<T> {
  let inFlight: Promise<T> | null = null;
  let last: { value: T; at: number } | null = null;
  return () => {
    if (last && now() - last.at < ttlMs) return Promise.resolve(last.value);
    if (inFlight) return inFlight;
    inFlight = check().then(
      (value) => {
        last = { value, at: now() };
        inFlight = null;
        return value;
      },
      (error: unknown) => {
        inFlight = null;
        throw error;
      },
    );
    return inFlight;
  };
}
