/**
 * WebSocket subscribers for the benchmark (bench/ws-subscribers.ts in a child process) and the
 * latency from a vote's acknowledgement to the first tally update that contains it, per subscriber.
 *
 * An update carries `at`, when the server took the tally; it contains every vote acknowledged
 * before `at`. A vote acknowledged (response received by the load generator) at time A is therefore
 * in the first update with at ≥ A, and its latency for a subscriber is when that subscriber received
 * the update minus A. (An earlier update may already contain it; counting from the first one taken
 * after the acknowledgement is the conservative choice.) A subscriber that skipped that update (the
 * server skips a client whose socket buffer is full) is counted with the next update's times.
 *
 * The last votes of a run may have no update taken after their acknowledgement: a batch's response
 * is sent when its last item commits, and the server may publish the count of its first items before
 * that. When the last update counts every accepted vote (its voterCount; each bench voter votes once
 * on this proposal), it contains those votes, so they are measured with it (latency at least 0).
 * Otherwise they are counted as never updated.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { projectRoot } from '../core/project-root.js';

interface Report {
  /** [at, [[receivedMs, subscribers], …], voterCount] per update. */
  updates: [number, [number, number][], number][];
  tallyMessages: number;
  otherMessages: number;
  errors: number;
  open: number;
}

export interface Subscribers {
  count: number;
  connectMs: number;
  /** Stops the subscribers and returns what they received. */
  finish(): Promise<Report>;
  kill(): void;
}

export async function startSubscribers(options: { port: number; count: number; proposal: string }): Promise<Subscribers> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/ws-subscribers.ts',
      JSON.stringify({ url: `ws://127.0.0.1:${options.port}/ws`, count: options.count, proposal: options.proposal }),
    ],
    { cwd: projectRoot, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const messages: Record<string, unknown>[] = [];
  let wake: (() => void) | undefined;
  lines.on('line', (line) => {
    try {
      messages.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      messages.push({ error: `unreadable line from the subscribers process (${line.length} characters)` });
    }
    wake?.();
  });
  const nextMessage = async (): Promise<Record<string, unknown>> => {
    while (messages.length === 0) {
      if (child.exitCode !== null) throw new Error(`subscribers exited (${child.exitCode})`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        child.once('exit', () => resolve());
      });
    }
    const message = messages.shift()!;
    if (message.error) throw new Error(`subscribers: ${String(message.error)}`);
    return message;
  };
  const ready = (await nextMessage()).ready as { subscribers: number; connectMs: number };
  return {
    count: ready.subscribers,
    connectMs: ready.connectMs,
    async finish() {
      child.stdin!.write('report\n');
      return (await nextMessage()).report as Report;
    },
    kill: () => child.kill('SIGKILL'),
  };
}

export interface FanoutLatency {
  p50: number;
  p99: number;
  max: number;
  /** (vote, subscriber) pairs measured. */
  pairs: number;
  /** Pairs for which no later update arrived at all (counted as infinitely late). */
  neverUpdated: number;
  updates: number;
}

/**
 * Latency percentiles over every (acknowledged vote, subscriber) pair. `acks` are epoch ms with the
 * number of votes acknowledged then; histogram in whole milliseconds.
 */
export function fanoutLatency(report: Report, subscribers: number, acks: { atEpochMs: number; votes: number }[], acceptedVotes: number): FanoutLatency {
  const updates = report.updates
    .map(([at, times, voterCount]) => ({ at, times, voterCount, received: times.reduce((n, [, c]) => n + c, 0) }))
    .sort((a, b) => a.at - b.at);
  const lastCountsAll = updates.length > 0 && updates[updates.length - 1]!.voterCount === acceptedVotes;
  const histogram = new Map<number, number>();
  let neverUpdated = 0;
  const add = (latency: number, weight: number) => histogram.set(latency, (histogram.get(latency) ?? 0) + weight);

  for (const { atEpochMs, votes } of acks) {
    if (votes === 0) continue;
    let lo = 0;
    let hi = updates.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (updates[mid]!.at >= atEpochMs) hi = mid;
      else lo = mid + 1;
    }
    if (lo === updates.length && lastCountsAll) lo = updates.length - 1;
    // Receivers of the first update after the ack count with it; those it skipped, with the next ones.
    let missing = subscribers;
    for (let u = lo; u < updates.length && missing > 0.5; u++) {
      const update = updates[u]!;
      const scale = u === lo ? 1 : Math.min(1, missing / update.received);
      for (const [receivedMs, count] of update.times) add(Math.max(0, Math.ceil(receivedMs - atEpochMs)), count * scale * votes);
      missing -= update.received * scale;
    }
    if (missing > 0.5) neverUpdated += missing * votes;
  }

  const sorted = [...histogram].sort((a, b) => a[0] - b[0]);
  const measured = sorted.reduce((n, [, w]) => n + w, 0);
  const total = measured + neverUpdated;
  const at = (p: number) => {
    const rank = (p / 100) * total;
    let seen = 0;
    for (const [latency, weight] of sorted) {
      seen += weight;
      if (seen >= rank) return latency;
    }
    return Infinity;
  };
  return {
    p50: at(50),
    p99: at(99),
    max: neverUpdated > 0 ? Infinity : (sorted.at(-1)?.[0] ?? NaN),
    pairs: Math.round(total),
    neverUpdated: Math.round(neverUpdated),
    updates: updates.length,
  };
}
