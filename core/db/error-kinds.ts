/**
 * What a database error says about its cause: the data of one statement (a value PostgreSQL
 * refuses, a constraint), or the database itself being away (connection lost, server shutting
 * down, out of resources). The first is worth retrying without the offending item; the second is
 * a retryable 503 for the client.
 */

/** SQLSTATE classes that are about the server or the connection, not about the data sent. */
const UNAVAILABLE_CLASSES = new Set(['08', '53', '57', '58']);

/** node-postgres / net errors raised when the connection cannot be made or is lost. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery)|terminating connection|Cannot use a pool after calling end|timeout exceeded when trying to connect/i;

function sqlState(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The database is unreachable or refusing work for reasons of its own (retry later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const state = sqlState(current);
    if (state && UNAVAILABLE_CLASSES.has(state.slice(0, 2))) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)$/.test(code)) return true;
    if (current instanceof Error && CONNECTION_MESSAGES.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** PostgreSQL refused the statement because of the data in it (SQLSTATE with a data class): another item's write could succeed. */
export function isStatementDataError(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && !UNAVAILABLE_CLASSES.has(state.slice(0, 2));
}
