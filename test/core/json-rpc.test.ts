/**
 * The bulk-read JSON-RPC client and kept-alive connections: a request sent on a connection the node
 * has just closed as idle is sent once more on a new connection; any other failure is reported.
 * The node here is a plain HTTP server that answers eth_blockNumber and, on cue, drops a connection
 * as a request arrives on it (what a node closing an idle kept-alive socket looks like to the client).
 */
import t from 'tap';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { JsonRpcClient, JsonRpcTransportError } from '../../core/chain/json-rpc.js';

/** Drops the request when `drop(requestsOnThisSocket, requestsInAll)` says so; answers "0x10" otherwise. */
async function node(t: { teardown: (fn: () => Promise<void>) => void }, drop: (onSocket: number, inAll: number) => boolean) {
  const perSocket = new WeakMap<Socket, number>();
  const seen = { requests: 0, sockets: 0 };
  const server = http.createServer((request, response) => {
    const socket = request.socket;
    const onSocket = (perSocket.get(socket) ?? 0) + 1;
    perSocket.set(socket, onSocket);
    seen.requests++;
    request.resume();
    request.on('end', () => {
      if (drop(onSocket, seen.requests)) return socket.destroy();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: '0x10' }));
    });
  });
  server.on('connection', () => seen.sockets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new JsonRpcClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxSockets: 1 });
  t.teardown(async () => {
    client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { client, seen };
}

t.test('a request on a kept-alive connection the node dropped is sent again on a new one', async (t) => {
  const { client, seen } = await node(t, (onSocket) => onSocket === 2);
  t.equal(await client.send('eth_blockNumber', []), '0x10');
  t.equal(await client.send('eth_blockNumber', []), '0x10', 'answered after one more try');
  t.same(seen, { requests: 3, sockets: 2 });
});

t.test('sent again at most once, and never after a failure on a new connection', async (t) => {
  const again = await node(t, (_onSocket, inAll) => inAll > 1);
  t.equal(await again.client.send('eth_blockNumber', []), '0x10');
  await t.rejects(again.client.send('eth_blockNumber', []), JsonRpcTransportError);
  t.same(again.seen, { requests: 3, sockets: 2 }, 'the dropped request, then one more try on a new connection');

  const fresh = await node(t, () => true);
  await t.rejects(fresh.client.send('eth_blockNumber', []), JsonRpcTransportError);
  t.same(fresh.seen, { requests: 1, sockets: 1 }, 'a failure on a new connection is not a stale connection: not sent again');
});
