/**
 * Hardening, resource limits (issue 14, breaks 6 and 8): slow clients cannot hold the server's
 * sockets (header and whole-request deadlines, a per-address connection cap), and /health, which is
 * not rate limited, costs its dependencies one check per second however often it is called.
 */
import t from 'tap';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startStack } from '../helpers/stack.js';
import { startRpcProxy } from '../helpers/rpc-proxy.js';

const stack = await startStack();
t.teardown(() => stack.close());

async function listening(overrides: Parameters<typeof stack.startApp>[0]) {
  const app = await stack.startApp(overrides);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as AddressInfo).port };
}

/** Opens a raw socket; resolves with what the server sent and when it closed the connection. */
function slowClient(port: number, head: string, drip: { byte: string; everyMs: number } | null) {
  const socket = net.connect(port, '127.0.0.1');
  const opened = Date.now();
  let received = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  socket.on('connect', () => {
    socket.write(head);
    if (drip) timer = setInterval(() => socket.write(drip.byte), drip.everyMs);
  });
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - opened, received });
    }),
  );
  return { socket, closed };
}

const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);

t.test('a body sent one byte at a time is cut off at HTTP_REQUEST_TIMEOUT_MS', async (t) => {
  const { port } = await listening({ HTTP_REQUEST_TIMEOUT_MS: 1500, HTTP_HEADERS_TIMEOUT_MS: 1000 });
  const head = `POST /api/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 90000\r\n\r\n{`;
  const clients = Array.from({ length: 20 }, () => slowClient(port, head, { byte: ' ', everyMs: 200 }));
  const results = await Promise.all(clients.map((c) => within(c.closed, 6000)));
  for (const c of clients) c.socket.destroy();
  t.ok(
    results.every((r) => r !== null),
    'every slow connection was closed by the server',
  );
  const times = results.filter((r) => r !== null).map((r) => r!.afterMs);
  t.ok(Math.max(...times) < 4000, `within the request deadline and its check interval (slowest ${Math.max(...times)} ms)`);
  t.ok(
    results.every((r) => r === null || /408/.test(r.received.split('\r\n')[0] ?? '')),
    'answered 408 Request Timeout',
  );
});

t.test('headers that never end are cut off at HTTP_HEADERS_TIMEOUT_MS', async (t) => {
  const { port } = await listening({ HTTP_REQUEST_TIMEOUT_MS: 5000, HTTP_HEADERS_TIMEOUT_MS: 800 });
  const client = slowClient(port, 'GET /api/info HTTP/1.1\r\nHost: x\r\n', { byte: 'X', everyMs: 100 });
  const result = await within(client.closed, 4000);
  client.socket.destroy();
  t.ok(result, 'closed by the server');
  t.ok(result && result.afterMs < 2500, `soon after the header deadline (${result?.afterMs} ms)`);
});

t.test('an idle connection is closed at HTTP_IDLE_TIMEOUT_MS', async (t) => {
  const { port } = await listening({ HTTP_IDLE_TIMEOUT_MS: 500 });
  const client = slowClient(port, '', null);
  const result = await within(client.closed, 4000);
  client.socket.destroy();
  t.ok(result && result.afterMs < 2500, `closed after ${result?.afterMs} ms of silence`);
});

t.test('connections beyond HTTP_MAX_CONNECTIONS_PER_IP are closed as they are accepted', async (t) => {
  const { port } = await listening({ HTTP_MAX_CONNECTIONS_PER_IP: 3 });
  const held = Array.from({ length: 3 }, () => slowClient(port, '', null));
  await new Promise((r) => setTimeout(r, 200));
  const extra = slowClient(port, 'GET /api/info HTTP/1.1\r\nHost: x\r\n\r\n', null);
  const refused = await within(extra.closed, 2000);
  t.ok(refused, 'the fourth connection was closed');
  t.notMatch(refused?.received ?? '', /200 OK/, 'and not served');
  for (const c of held) c.socket.destroy();
  await Promise.all(held.map((c) => c.closed));
  const response = await fetch(`http://127.0.0.1:${port}/api/info`);
  t.equal(response.status, 200, 'a connection is accepted again once others closed');
});

t.test('/health runs one dependency check per second however often it is called', async (t) => {
  const proxy = await startRpcProxy(stack.chain.rpcUrl);
  t.teardown(() => proxy.close());
  const app = await stack.startApp({ RPC_URL: proxy.url });
  const blockNumberCalls = () => proxy.records.filter((r) => r.methods.includes('eth_blockNumber')).length;
  const before = blockNumberCalls();
  const burst = await Promise.all(Array.from({ length: 100 }, () => app.inject({ method: 'GET', url: '/health' })));
  t.ok(
    burst.every((r) => r.statusCode === 200),
    '100 concurrent calls: all healthy',
  );
  const sequential: number[] = [];
  for (let i = 0; i < 50; i++) sequential.push((await app.inject({ method: 'GET', url: '/health' })).statusCode);
  t.ok(
    sequential.every((s) => s === 200),
    '50 sequential calls: all healthy',
  );
  const during = blockNumberCalls() - before;
  t.ok(during <= 2, `150 calls within a second cost ${during} eth_blockNumber call(s)`);
  await new Promise((r) => setTimeout(r, 1100));
  await app.inject({ method: 'GET', url: '/health' });
  t.ok(blockNumberCalls() - before > during, 'after a second the state is checked again');
});
