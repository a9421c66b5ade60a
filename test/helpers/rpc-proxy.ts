/**
 * A JSON-RPC proxy between a relayer and the local chain node that fails requests on demand:
 *
 *   http-503       answers 503 without forwarding (an overloaded provider)
 *   reset          destroys the connection without forwarding (a dropped connection)
 *   drop-response  forwards, lets the node act, then destroys the connection instead of answering:
 *                  the node did it (e.g. took a transaction), the caller does not know
 *   hang           holds the request without forwarding or answering (the caller's timeout decides)
 *
 * Faults are queued: each applies to the next `count` HTTP requests whose JSON-RPC methods include one
 * of `methods` (all requests when omitted); a batch counts as one request. Every request is recorded
 * with its methods and the fault it got, so a test can show the faults happened.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type FaultMode = 'http-503' | 'reset' | 'drop-response' | 'hang';

export interface Fault {
  mode: FaultMode;
  count: number;
  methods?: string[];
}

export interface ProxyRecord {
  at: number;
  methods: string[];
  fault: FaultMode | null;
}

export interface RpcProxy {
  url: string;
  records: ProxyRecord[];
  /** Queues a fault after the ones already queued. */
  inject(fault: Fault): void;
  /** Faults still queued (count left). */
  pending(): Fault[];
  clear(): void;
  /** Requests that got a fault (of this mode, with one of these methods). */
  faulted(mode?: FaultMode, method?: string): ProxyRecord[];
  close(): Promise<void>;
}

function methodsOf(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { method?: string } | { method?: string }[];
    return (Array.isArray(parsed) ? parsed : [parsed]).map((p) => String(p.method));
  } catch {
    return [];
  }
}

export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const upstream = new URL(target);
  const faults: Fault[] = [];
  const records: ProxyRecord[] = [];
  const sockets = new Set<Socket>();

  const nextFault = (methods: string[]): FaultMode | null => {
    const fault = faults.find((f) => f.count > 0 && (!f.methods || f.methods.some((m) => methods.includes(m))));
    if (!fault) return null;
    fault.count--;
    if (fault.count === 0) faults.splice(faults.indexOf(fault), 1);
    return fault.mode;
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          path: upstream.pathname,
          method: req.method,
          headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: { 'content-type': String(res.headers['content-type'] ?? 'application/json') },
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const methods = methodsOf(body.toString());
      const fault = nextFault(methods);
      records.push({ at: Date.now(), methods, fault });
      if (fault === 'hang') return; // held until the caller gives up or the proxy closes
      if (fault === 'reset') {
        req.socket.destroy();
        return;
      }
      if (fault === 'http-503') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('service unavailable');
        return;
      }
      forward(req, body).then(
        (answer) => {
          if (fault === 'drop-response') {
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) }).end(answer.body);
        },
        () => {
          if (!res.headersSent) res.writeHead(502).end('upstream unreachable');
        },
      );
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    records,
    inject(fault) {
      faults.push({ ...fault });
    },
    pending: () => faults.map((f) => ({ ...f })),
    clear() {
      faults.length = 0;
    },
    faulted(mode, method) {
      return records.filter((r) => r.fault !== null && (!mode || r.fault === mode) && (!method || r.methods.includes(method)));
    },
    async close() {
      faults.length = 0;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
