/**
 * A minimal Discord REST client over fetch. The API base is configurable (DISCORD_API_BASE), so
 * tests point it at a local receiver. Errors are typed: a 429 carries Discord's retry_after, so
 * the notification queue can wait exactly that long; 5xx and network failures are retryable.
 */
import { GovrelayError } from '../../../core/errors.js';
import type { DiscordChannel, DiscordMessage, DiscordWebhookObject, MessagePayload } from './api-types.js';

const USER_AGENT = 'DiscordBot (https://github.com/govrelay/govrelay, 0.1.0)';

export class DiscordApiError extends GovrelayError {
  override name = 'DiscordApiError';
  constructor(
    readonly status: number,
    /** Discord's JSON error code (e.g. 10015 Unknown Webhook), when the body had one. */
    readonly discordCode: number | null,
    message: string,
    /** 5xx and network failures (status 0) may succeed later; other 4xx will not. */
    retryable = status === 0 || status >= 500,
  ) {
    super(message, { retryable, details: { status, discordCode } });
  }
}

export class DiscordRateLimitError extends DiscordApiError {
  override name = 'DiscordRateLimitError';
  constructor(
    readonly retryAfterMs: number,
    readonly global: boolean,
    message: string,
  ) {
    super(429, null, message, true);
  }
}

export interface DiscordRestOptions {
  apiBase: string;
  botToken?: string | undefined;
  timeoutMs?: number;
}

interface RequestOptions {
  body?: unknown;
  /** Bot requests carry the bot token; interaction and webhook requests authenticate by the token in their path. */
  bot?: boolean;
  query?: Record<string, string>;
}

/** Seconds (Discord sends floats) to milliseconds, from the JSON body or the Retry-After header. */
function retryAfterMs(body: unknown, header: string | null): number {
  const fromBody = typeof body === 'object' && body !== null ? (body as { retry_after?: unknown }).retry_after : undefined;
  const seconds = typeof fromBody === 'number' ? fromBody : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000;
}

export class DiscordRest {
  private readonly base: string;

  constructor(private readonly options: DiscordRestOptions) {
    this.base = options.apiBase.replace(/\/+$/, '');
  }

  get hasBotToken(): boolean {
    return Boolean(this.options.botToken);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.bot) {
      if (!this.options.botToken) throw new DiscordApiError(0, null, 'DISCORD_BOT_TOKEN is not set');
      headers.authorization = `Bot ${this.options.botToken}`;
    }
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}${query}`, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // Never put the path in the message: interaction and webhook paths contain tokens.
      throw new DiscordApiError(0, null, `Discord ${method} request failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (response.status === 429) {
      const global = Boolean((body as { global?: unknown } | null)?.global);
      const wait = retryAfterMs(body, response.headers.get('retry-after'));
      throw new DiscordRateLimitError(wait, global, `Discord rate limit: retry after ${wait} ms${global ? ' (global)' : ''}`);
    }
    if (!response.ok) {
      const code = typeof (body as { code?: unknown } | null)?.code === 'number' ? (body as { code: number }).code : null;
      const detail = typeof (body as { message?: unknown } | null)?.message === 'string' ? (body as { message: string }).message : text.slice(0, 200);
      throw new DiscordApiError(response.status, code, `Discord ${method} answered ${response.status}: ${detail}`);
    }
    return body as T;
  }

  // ---- Interaction webhooks (authenticated by the interaction token, valid for 15 minutes) ----

  editOriginal(applicationId: string, token: string, message: MessagePayload): Promise<DiscordMessage> {
    return this.request('PATCH', `/webhooks/${applicationId}/${token}/messages/@original`, { body: message });
  }

  followUp(applicationId: string, token: string, message: MessagePayload): Promise<DiscordMessage> {
    return this.request('POST', `/webhooks/${applicationId}/${token}`, { body: message });
  }

  // ---- Bot requests ----

  getChannel(channelId: string): Promise<DiscordChannel> {
    return this.request('GET', `/channels/${channelId}`, { bot: true });
  }

  /** Starts a public thread on a message; the thread's id is the message's id. */
  startThread(channelId: string, messageId: string, name: string): Promise<DiscordChannel> {
    return this.request('POST', `/channels/${channelId}/messages/${messageId}/threads`, { bot: true, body: { name, auto_archive_duration: 10080 } });
  }

  createWebhook(channelId: string, name: string): Promise<DiscordWebhookObject> {
    return this.request('POST', `/channels/${channelId}/webhooks`, { bot: true, body: { name } });
  }

  /** The bot's direct-message channel with a user (Discord returns the existing one). */
  openDm(userId: string): Promise<DiscordChannel> {
    return this.request('POST', '/users/@me/channels', { bot: true, body: { recipient_id: userId } });
  }

  sendMessage(channelId: string, message: MessagePayload): Promise<DiscordMessage> {
    return this.request('POST', `/channels/${channelId}/messages`, { bot: true, body: message });
  }

  executeWebhook(webhookId: string, token: string, message: MessagePayload): Promise<DiscordMessage> {
    return this.request('POST', `/webhooks/${webhookId}/${token}`, { body: message, query: { wait: 'true' } });
  }

  /** Replaces the application's commands: global, or in one guild (guild commands update at once). */
  putCommands(applicationId: string, commands: unknown[], guildId?: string): Promise<unknown[]> {
    const path = guildId ? `/applications/${applicationId}/guilds/${guildId}/commands` : `/applications/${applicationId}/commands`;
    return this.request('PUT', path, { bot: true, body: commands });
  }
}

/**
 * For requests that cannot go through the notification queue (interaction follow-ups, which must
 * land within the token's 15 minutes): retries 429 after its retry_after and 5xx after a short
 * backoff, a few times.
 */
export async function withDiscordRetries<T>(run: () => Promise<T>, attempts = 4, maxWaitMs = 15_000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof DiscordApiError) || !error.retryable || attempt >= attempts) throw error;
      const wait = error instanceof DiscordRateLimitError ? error.retryAfterMs : 250 * 2 ** (attempt - 1);
      if (wait > maxWaitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
