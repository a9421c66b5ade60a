/**
 * The typed API client. Every type comes from schema.d.ts, generated from the server's OpenAPI
 * document (npm run api:types): nothing about the API is written twice.
 */
import type { paths } from './schema';

type GetPath = { [P in keyof paths]: paths[P] extends { get: { responses: { 200: unknown } } } ? P : never }[keyof paths];
type GetOp<P extends GetPath> = paths[P] extends { get: infer O } ? O : never;
export type GetResponse<P extends GetPath> = GetOp<P> extends { responses: { 200: { content: { 'application/json': infer R } } } } ? R : never;
type Params<P extends GetPath> = GetOp<P> extends { parameters: infer X } ? X : never;
type PathParams<P extends GetPath> = Params<P> extends { path: infer X } ? (X extends Record<string, unknown> ? X : never) : never;
type QueryParams<P extends GetPath> = Params<P> extends { query?: infer X } ? X : never;

export interface GetOptions<P extends GetPath> {
  path?: PathParams<P>;
  query?: QueryParams<P>;
  signal?: AbortSignal;
}

/** What every 4xx/5xx answer carries: a machine-readable code and a message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function urlFor(template: string, path?: Record<string, unknown>, query?: Record<string, unknown>): string {
  const filled = template.replace(/\{(\w+)\}/g, (_m, key: string) => encodeURIComponent(String(path?.[key] ?? '')));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${filled}?${qs}` : filled;
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, 'INVALID_RESPONSE', `the server answered ${response.status} with something that is not JSON`);
  }
  if (!response.ok) {
    const error = (body ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    throw new ApiError(response.status, error.code ?? 'HTTP_ERROR', error.message ?? `HTTP ${response.status}`, error.details);
  }
  return body as T;
}

export async function apiGet<P extends GetPath>(template: P, options: GetOptions<P> = {}): Promise<GetResponse<P>> {
  const response = await fetch(urlFor(template, options.path as Record<string, unknown>, options.query as Record<string, unknown>), {
    headers: { accept: 'application/json' },
    signal: options.signal ?? null,
  });
  return parse<GetResponse<P>>(response);
}

/** POST JSON (signed messages); the answer's type is the caller's, taken from schema.d.ts. */
export async function apiPost<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: signal ?? null,
  });
  return parse<T>(response);
}

type PagedPath = '/api/spaces' | '/api/proposals/{id}/votes' | '/api/proposals';
export type ItemOf<P extends PagedPath> = GetResponse<P> extends { items: (infer I)[] } ? I : never;

/** Follows nextCursor until the end (or `max` items): lists the UI shows whole (spaces, votes). */
export async function apiGetAll<P extends PagedPath>(template: P, options: GetOptions<P> & { max?: number }): Promise<ItemOf<P>[]> {
  const items: ItemOf<P>[] = [];
  let cursor: string | null | undefined;
  const max = options.max ?? 100_000;
  do {
    const query = { ...((options.query ?? {}) as object), limit: 1000, ...(cursor ? { cursor } : {}) };
    const page = (await apiGet(template, { ...options, query } as GetOptions<P>)) as unknown as { items: ItemOf<P>[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}
