/**
 * Node flags of the server process wherever it runs: docker-entrypoint.sh, `npm start`, and the
 * benchmark's server child (test/server/node-flags.test.ts checks that they agree).
 *
 * --max-semi-space-size=64 (MiB; V8's young generation is two of them, 16 MiB each by default
 * here): a vote's objects live from its request until its group commit, tens of milliseconds. In a
 * small young generation they outlive two scavenges, are promoted, and are then collected by the
 * costlier full collections. Measured with `npm run bench` in 3 interleaved pairs on the 2-core
 * machine (means): garbage collection's share of the event loop in the batch phase halved (18% →
 * 8% in the profile), HTTP 2,320 → 2,508 votes/s, p99 147 → 117 ms, slowest request 395 → 148 ms,
 * server CPU per batched vote 258 → 239 µs. It costs up to 96 MiB more memory under load.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
