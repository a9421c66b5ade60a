/**
 * Last-resort handlers for the scripts that start processes (demo, deploy, chaos): an error nobody
 * awaited (a child's stream, a socket, a timer) still prints its cause and stops what the script
 * started before the process exits, instead of dying with a bare exit code and an orphaned chain.
 */
import { inspect } from 'node:util';

/** Short cause for a person: the message, then the cause chain; the stack only when asked (DEBUG). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : inspect(error);
  const parts = [error.message || error.name];
  let cause = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    parts.push(cause instanceof Error ? cause.message : String(cause));
    cause = cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined;
  }
  const code = (error as { code?: unknown }).code;
  const text = parts.filter(Boolean).join(': caused by ') + (typeof code === 'string' && !parts[0]!.includes(code) ? ` (${code})` : '');
  return process.env.DEBUG ? `${text}\n${error.stack ?? ''}` : text;
}

/**
 * On uncaughtException / unhandledRejection: print `<name> failed: <cause>` to stderr, run cleanUp
 * (bounded by timeoutMs, so a cleanup that hangs cannot keep the process alive), exit 1.
 */
export function installFailSafe(name: string, cleanUp: () => Promise<unknown>, options: { timeoutMs?: number } = {}): void {
  let failing = false;
  const fail = (kind: string) => (error: unknown) => {
    if (failing) {
      console.error(`${name}: another ${kind} while stopping: ${describeError(error)}`);
      return;
    }
    failing = true;
    console.error(`\n${name} failed (${kind}): ${describeError(error)}`);
    const timer = setTimeout(() => {
      console.error(`${name}: cleanup did not finish within ${(options.timeoutMs ?? 30_000) / 1000} s; exiting`);
      process.exit(1);
    }, options.timeoutMs ?? 30_000);
    timer.unref();
    void Promise.resolve()
      .then(cleanUp)
      .catch((cleanupError: unknown) => console.error(`${name}: cleanup failed: ${describeError(cleanupError)}`))
      .finally(() => process.exit(1));
  };
  process.on('uncaughtException', fail('uncaught exception'));
  process.on('unhandledRejection', fail('unhandled rejection'));
}
