/**
 * Discord stand-ins for tests: an Ed25519 application key that signs interactions the way Discord
 * does, interaction builders, and a local HTTP receiver that plays Discord's REST API (interaction
 * webhooks, threads, channel webhooks) and generic webhook consumers. It can be scripted to answer
 * 429 with retry_after, or 5xx, before its defaults. No outside network is used.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface TestDiscordKey {
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function discordTestKey(): TestDiscordKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { publicKeyHex: Buffer.from(jwk.x!, 'base64url').toString('hex'), privateKey };
}

let sequence = 0n;
/** A fresh Discord-like id (snowflake). */
export function snowflake(): string {
  sequence += 1n;
  return (((BigInt(Date.now()) - 1_420_070_400_000n) << 22n) | (sequence & 0x3fffffn)).toString();
}

export const APPLICATION_ID = '1100000000000000001';
export const MANAGE_GUILD = String(1 << 5);

export interface DiscordMember {
  id: string;
  username: string;
  permissions?: string;
}

export function member(username: string, permissions = '0'): DiscordMember {
  return { id: snowflake(), username, permissions };
}

export interface Where {
  guildId: string;
  channelId: string;
}

export function commandInteraction(user: DiscordMember, where: Where, name: string, options: Record<string, string> = {}) {
  return {
    id: snowflake(),
    application_id: APPLICATION_ID,
    type: 2,
    token: `itok-${snowflake()}`,
    version: 1,
    guild_id: where.guildId,
    channel_id: where.channelId,
    member: { user: { id: user.id, username: user.username }, permissions: user.permissions ?? '0' },
    data: { id: snowflake(), name, type: 1, options: Object.entries(options).map(([key, value]) => ({ name: key, type: 3, value })) },
  };
}

export function buttonInteraction(user: DiscordMember, where: Where, customId: string, messageId: string) {
  return {
    id: snowflake(),
    application_id: APPLICATION_ID,
    type: 3,
    token: `itok-${snowflake()}`,
    version: 1,
    guild_id: where.guildId,
    channel_id: where.channelId,
    member: { user: { id: user.id, username: user.username }, permissions: user.permissions ?? '0' },
    message: { id: messageId, channel_id: where.channelId },
    data: { custom_id: customId, component_type: 2 },
  };
}

/** A choice in a select menu (component_type 3) of a message. */
export function selectInteraction(user: DiscordMember, where: Where, customId: string, messageId: string, values: string[]) {
  const interaction = buttonInteraction(user, where, customId, messageId);
  return { ...interaction, data: { custom_id: customId, component_type: 3, values } };
}

export function signRequest(key: KeyObject, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const ts = String(timestamp);
  return {
    'content-type': 'application/json',
    'x-signature-ed25519': sign(null, Buffer.from(ts + body), key).toString('hex'),
    'x-signature-timestamp': ts,
  };
}

/** Posts an interaction to the app, signed with `key` (or with explicit headers). */
export async function interact(
  app: FastifyInstance,
  key: KeyObject,
  interaction: object,
  options: { timestamp?: number; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; body: any }> {
  const body = JSON.stringify(interaction);
  const headers = options.headers ?? signRequest(key, body, options.timestamp);
  const response = await app.inject({ method: 'POST', url: '/api/discord/interactions', headers, payload: options.rawBody ?? body });
  return { status: response.statusCode, body: response.json() };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  body: any;
  at: number;
  status: number;
}

export interface Scripted {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Receiver {
  url: string;
  /** Discord API base to configure (DISCORD_API_BASE). */
  apiBase: string;
  requests: RecordedRequest[];
  /** Channel → guild, for GET /channels/:id. */
  guildOfChannel: Map<string, string>;
  /** Interaction token → channel its original message is in. */
  channelOfToken: Map<string, string>;
  /** Answers the next requests matching `method path` (path relative to the receiver root) with these, in order. */
  script(method: string, path: string | RegExp, responses: Scripted[]): void;
  find(method: string, path: string | RegExp): RecordedRequest[];
  waitFor(method: string, path: string | RegExp, count?: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

function matches(path: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? path === pattern : pattern.test(path);
}

export async function startReceiver(): Promise<Receiver> {
  const requests: RecordedRequest[] = [];
  const scripts: { method: string; path: string | RegExp; responses: Scripted[] }[] = [];
  const guildOfChannel = new Map<string, string>();
  const channelOfToken = new Map<string, string>();
  const messageOfToken = new Map<string, string>();
  let webhooks = 0;

  function discordDefault(method: string, path: string, body: any): Scripted {
    let m: RegExpExecArray | null;
    if (method === 'PATCH' && (m = /^\/api\/v10\/webhooks\/([^/]+)\/([^/]+)\/messages\/@original$/.exec(path))) {
      const token = m[2]!;
      const id = messageOfToken.get(token) ?? snowflake();
      messageOfToken.set(token, id);
      return { status: 200, body: { ...body, id, channel_id: channelOfToken.get(token) ?? '0' } };
    }
    if (method === 'POST' && (m = /^\/api\/v10\/webhooks\/([^/]+)\/([^/]+)$/.exec(path))) {
      return { status: 200, body: { ...body, id: snowflake(), channel_id: '0' } };
    }
    if (method === 'POST' && (m = /^\/api\/v10\/channels\/([^/]+)\/messages\/([^/]+)\/threads$/.exec(path))) {
      return { status: 201, body: { id: m[2], parent_id: m[1], type: 11, name: body?.name } };
    }
    if (method === 'GET' && (m = /^\/api\/v10\/channels\/([^/]+)$/.exec(path))) {
      return { status: 200, body: { id: m[1], guild_id: guildOfChannel.get(m[1]!) ?? '0', type: 0 } };
    }
    if (method === 'POST' && (m = /^\/api\/v10\/channels\/([^/]+)\/webhooks$/.exec(path))) {
      webhooks += 1;
      return { status: 200, body: { id: `${9000 + webhooks}`, token: `hooktoken${webhooks}`, channel_id: m[1], guild_id: guildOfChannel.get(m[1]!) } };
    }
    if (method === 'POST' && path === '/api/v10/users/@me/channels') return { status: 200, body: { id: `dm${body?.recipient_id}`, type: 1 } };
    if (method === 'POST' && (m = /^\/api\/v10\/channels\/(dm[0-9]+)\/messages$/.exec(path)))
      return { status: 200, body: { ...body, id: snowflake(), channel_id: m[1] } };
    if (method === 'PUT' && /^\/api\/v10\/applications\//.test(path)) return { status: 200, body };
    if (method === 'POST' && path.startsWith('/hooks/')) return { status: 200, body: { ok: true } };
    return { status: 404, body: { message: 'Unknown route', code: 0 } };
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: any = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      const method = req.method ?? 'GET';
      const script = scripts.find((s) => s.method === method && matches(url.pathname, s.path) && s.responses.length > 0);
      const answer = script ? script.responses.shift()! : discordDefault(method, url.pathname, body);
      requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, raw, body, at: Date.now(), status: answer.status });
      res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const find = (method: string, path: string | RegExp) => requests.filter((r) => r.method === method && matches(r.path, path));
  return {
    url,
    apiBase: `${url}/api/v10`,
    requests,
    guildOfChannel,
    channelOfToken,
    script: (method, path, responses) => void scripts.push({ method, path, responses: [...responses] }),
    find,
    async waitFor(method, path, count = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(method, path);
        if (found.length >= count) return found;
        if (Date.now() > deadline)
          throw new Error(`receiver: ${method} ${String(path)} not seen ${count} time(s) within ${timeoutMs} ms (saw ${found.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Runs /link for `user` and signs the page's LinkDiscord message with `signer` (as the link page does). */
export async function linkWallet(
  app: FastifyInstance,
  key: KeyObject,
  user: DiscordMember,
  where: Where,
  signer: { address: string; signTypedData: (domain: any, types: any, message: any) => Promise<string> },
  options: { as?: string } = {},
): Promise<{ status: number; body: any; token: string }> {
  const answer = await interact(app, key, commandInteraction(user, where, 'link'));
  const url: string = answer.body.data.components[0].components[0].url;
  const token = new URL(url).searchParams.get('token')!;
  const pending = await app.inject({ method: 'GET', url: `/api/discord/link/${token}` });
  const { typedData } = pending.json();
  const from = options.as ?? signer.address;
  const message = { from, ...typedData.message };
  const sig = await signer.signTypedData(typedData.domain, { LinkDiscord: typedData.types.LinkDiscord }, message);
  const response = await app.inject({ method: 'POST', url: '/api/discord/link', payload: { address: from, sig, data: { ...typedData, message } } });
  return { status: response.statusCode, body: response.json(), token };
}
