/**
 * A minimal JSON-RPC client for bulk reads (Multicall3 eth_calls of hundreds of kilobytes).
 *
 * Why not ethers' provider here: its transport converts every request and answer to and from UTF-8
 * in JavaScript, several milliseconds for a 1,000-voter batch, on the vote path; this one lets
 * Node's native Buffer do it. It keeps connections alive (and sends a request once more when the node
 * had just closed its connection as idle), times requests out, and reports a node's error answer as
 * JsonRpcResponseError with the revert data, if any. Everything else (transactions,
 * receipts, logs) stays on ethers.
 */
import http from 'node:http';
import https from 'node:https';
import { GovrelayError } from '../errors.js';

/** The node answered with a JSON-RPC error (a revert, a refused request): asking again gets the same answer. */
export class JsonRpcResponseError extends GovrelayError {
  override name = 'JsonRpcResponseError';
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    /** Revert data (0x hex) when the node reported an execution revert with data. */
    readonly data: string | undefined,
  ) {
    super(`${method}: ${message} (code ${code})`, { details: { method, code } });
  }
}

/** The request did not get an answer (connection, timeout, HTTP status): it may succeed later. */
export class JsonRpcTransportError extends GovrelayError {
  override name = 'JsonRpcTransportError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, retryable: true });
  }
}

interface RpcAnswer {
  result?: unknown;
  error?: { code?: number; message?: string; data?: unknown };
}

const HEX_DATA = /^0x[0-9a-fA-F]*$/;

/** The revert data in a node's error answer: geth puts it in `data`, hardhat in `data.data`. */
function revertData(data: unknown): string | undefined {
  if (typeof data === 'string' && HEX_DATA.test(data)) return data;
  if (typeof data === 'object' && data !== null && typeof (data as { data?: unknown }).data === 'string') {
    const inner = (data as { data: string }).data;
    return HEX_DATA.test(inner) ? inner : undefined;
  }
  return undefined;
}

export class JsonRpcClient {
  private readonly url: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;
  private nextId = 1;

  constructor(
    url: string,
    private readonly options: { timeoutMs?: number; maxSockets?: number } = {},
  ) {
    this.url = new URL(url);
    this.transport = this.url.protocol === 'https:' ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 8 });
  }

  send(method: string, params: readonly unknown[]): Promise<unknown> {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: this.nextId++, method, params }));
    return this.post(method, body, false);
  }

  private post(method: string, body: Buffer, isRetry: boolean): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const request = this.transport.request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
          timeout: this.options.timeoutMs ?? 30_000,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(new JsonRpcTransportError(`${method}: ${error.message}`, { cause: error })));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 200) {
              return reject(new JsonRpcTransportError(`${method}: HTTP ${response.statusCode} ${text.slice(0, 200)}`));
            }
            let answer: RpcAnswer;
            try {
              answer = JSON.parse(text) as RpcAnswer;
            } catch (error) {
              return reject(new JsonRpcTransportError(`${method}: the node answered something that is not JSON`, { cause: error }));
            }
            if (answer.error) {
              const { code = 0, message = 'error', data } = answer.error;
              return reject(new JsonRpcResponseError(method, code, message, revertData(data)));
            }
            resolve(answer.result);
          });
        },
      );
      request.on('timeout', () => request.destroy(new JsonRpcTransportError(`${method}: no answer within ${this.options.timeoutMs ?? 30_000} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        // A reset of a kept-alive connection: most likely the node closed it as idle (node's HTTP
        // servers, hardhat's among them, do after 5 s) while this request was being sent on it. Sent
        // again once, on a new connection (what node's http documentation advises). Only reads go
        // through this client, so even a request the node did receive cannot do anything twice.
        if (!isRetry && request.reusedSocket && error.code === 'ECONNRESET') {
          this.post(method, body, true).then(resolve, reject);
          return;
        }
        reject(error instanceof JsonRpcTransportError ? error : new JsonRpcTransportError(`${method}: ${error.message}`, { cause: error }));
      });
      request.end(body);
    });
  }

  /** Closes idle connections; safe to call twice. */
  close(): void {
    this.agent.destroy();
  }
}
