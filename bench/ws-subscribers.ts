/**
 * WebSocket subscribers for the benchmark, in a process of their own so that receiving updates does
 * not stall the load generator's event loop.
 *
 *   node --import tsx bench/ws-subscribers.ts '{"url":"ws://127.0.0.1:3000/ws","count":10000,"proposal":"0x…"}'
 *
 * Opens `count` connections, subscribes each to the proposal, prints {"ready":…} on stdout, and
 * records when each tally update reached each subscriber. On "report\n" on stdin it prints
 * {"report":…}: per update (keyed by its `at`, when the server took the tally), how many
 * subscribers received it at each millisecond, and the tally's voterCount. Then it closes every
 * connection and exits.
 *
 * Connections come from 127.0.0.2, 127.0.0.3, … (all of 127/8 is loopback on Linux), at most
 * PER_SOURCE_ADDRESS each, so the server's per-address connection limit applies as it would to real
 * clients. Updates are not JSON-parsed: `"at":` is found by position, to keep this process light.
 */
import WebSocket from 'ws';

interface Options {
  url: string;
  count: number;
  proposal: string;
}

/** Under the server's default WS_MAX_CONNECTIONS_PER_IP (50). */
const PER_SOURCE_ADDRESS = 40;
const CONNECTS_IN_FLIGHT = 200;

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
const sockets: WebSocket[] = [];
/** at → (receive ms → subscribers). */
const received = new Map<number, Map<number, number>>();
/** at → the tally's voterCount. */
const voterCounts = new Map<number, number>();
let tallyMessages = 0;
let otherMessages = 0;
let errors = 0;
const AT_KEY = Buffer.from('"at":');
const VOTER_COUNT_KEY = Buffer.from('"voterCount":');

/** The non-negative integer right after `key` in `buffer`, or null. */
function integerAfter(buffer: Buffer, key: Buffer): number | null {
  const start = buffer.indexOf(key);
  if (start < 0) return null;
  let value = 0;
  for (let i = start + key.length; i < buffer.length; i++) {
    const digit = buffer[i]! - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return value;
}

function onMessage(data: WebSocket.RawData): void {
  const now = Date.now();
  const buffer = data as Buffer;
  if (buffer.indexOf('"type":"tally"') < 0) {
    otherMessages++;
    return;
  }
  tallyMessages++;
  const at = integerAfter(buffer, AT_KEY);
  if (at === null) return;
  let byTime = received.get(at);
  if (!byTime) {
    received.set(at, (byTime = new Map()));
    voterCounts.set(at, integerAfter(buffer, VOTER_COUNT_KEY) ?? -1);
  }
  byTime.set(now, (byTime.get(now) ?? 0) + 1);
}

function connect(index: number): Promise<void> {
  const localAddress = `127.0.0.${2 + Math.floor(index / PER_SOURCE_ADDRESS)}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(options.url, { localAddress, perMessageDeflate: false });
    socket.once('error', reject);
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', proposal: options.proposal }));
      socket.once('message', (data) => {
        if (!String(data).includes('"subscribed"')) return reject(new Error(`subscriber ${index}: ${String(data)}`));
        socket.off('error', reject);
        socket.on('error', () => errors++);
        socket.on('message', onMessage);
        sockets.push(socket);
        resolve();
      });
    });
  });
}

async function main(): Promise<void> {
  if (Math.ceil(options.count / PER_SOURCE_ADDRESS) > 250) throw new Error(`at most ${250 * PER_SOURCE_ADDRESS} subscribers`);
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTS_IN_FLIGHT }, async () => {
      while (next < options.count) await connect(next++);
    }),
  );
  process.stdout.write(JSON.stringify({ ready: { subscribers: sockets.length, connectMs: Date.now() - started } }) + '\n');

  let input = '';
  process.stdin.on('data', (chunk) => {
    input += chunk.toString();
    if (!input.includes('report\n')) return;
    const updates = [...received].map(([at, byTime]) => [at, [...byTime], voterCounts.get(at)]);
    const open = sockets.filter((s) => s.readyState === WebSocket.OPEN).length;
    for (const socket of sockets) socket.terminate();
    // A report is megabytes long: exit only once it is written (process.exit would cut the pipe short).
    process.stdout.write(JSON.stringify({ report: { updates, tallyMessages, otherMessages, errors, open } }) + '\n', () => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stdout.write(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }) + '\n');
  process.exit(1);
});
