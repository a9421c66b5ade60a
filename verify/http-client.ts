/** The verifier's reads of the govrelay API: plain fetch, JSON, keyset pages followed to the end. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    readonly body: unknown,
  ) {
    super(`GET ${path}: HTTP ${status} ${JSON.stringify(body).slice(0, 200)}`);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  /** The answer, or null on 404 (something the server does not publish or does not have). */
  find<T>(path: string): Promise<T | null>;
  /**
   * Every item of a paginated list (`{ items, nextCursor }`), `pageSize` per request. `onPage` sees
   * each page as it arrives, in order (to start work on it while the next one is read).
   */
  all<T>(path: string, onPage?: (items: T[]) => void): Promise<T[]>;
}

/** The most items the server gives per page, and what the verifier asks for unless told otherwise. */
export const MAX_PAGE_SIZE = 1000;

export function createApi(server: string, pageSize = MAX_PAGE_SIZE): Api {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    throw new Error(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE} (got ${pageSize})`);
  const base = server.replace(/\/+$/, '');
  const request = async (path: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${base}${path}`, { headers: { accept: 'application/json' } });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the error message.
    }
    return { status: response.status, body };
  };
  const api: Api = {
    async get<T>(path: string) {
      const { status, body } = await request(path);
      if (status !== 200) throw new ApiError(status, path, body);
      return body as T;
    },
    async find<T>(path: string) {
      const { status, body } = await request(path);
      if (status === 404) return null;
      if (status !== 200) throw new ApiError(status, path, body);
      return body as T;
    },
    async all<T>(path: string, onPage?: (items: T[]) => void) {
      const items: T[] = [];
      const join = path.includes('?') ? '&' : '?';
      let cursor: string | null = null;
      do {
        const page: { items: T[]; nextCursor: string | null } = await api.get(
          `${path}${join}limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        items.push(...page.items);
        onPage?.(page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
  };
  return api;
}
