/**
 * One guard for text every client sends: route parameters, the query string and the JSON body.
 * PostgreSQL cannot store a NUL character in text or jsonb, nor a lone UTF-16 surrogate in jsonb
 * (node-postgres would silently turn it into U+FFFD in text), and deeply nested JSON costs every
 * recursive reader after the parser. Such input is refused here with a 400 naming the field, before
 * validation and before any handler, so nothing a client sends reaches a writer unchecked (one bad
 * item in a shared group-commit transaction would otherwise fail the other items).
 *
 * The same check is used on JSON that arrives inside a signed string (Space settings).
 */
import fp from 'fastify-plugin';
import { InvalidInputError } from '../../core/errors.js';

/** Deepest JSON nesting accepted (the deepest legitimate body, a batch of envelopes, is 6). */
export const MAX_JSON_DEPTH = 32;

export interface TextProblem {
  /** JSON pointer of the offending value (or key), from the root of what was checked. */
  path: string;
  problem: 'nul' | 'surrogate' | 'depth';
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** A NUL, or a surrogate that is not half of a pair. */
function badCharacter(text: string): 'nul' | 'surrogate' | null {
  if (text.includes('\u0000')) return 'nul';
  // isWellFormed is Node 20+: exactly "no lone surrogates".
  return (text as string & { isWellFormed(): boolean }).isWellFormed() ? null : 'surrogate';
}

/**
 * The first NUL, lone surrogate or too-deep nesting in a parsed JSON value (strings, keys and the
 * nesting of arrays and objects), in document order, or null. It runs on every request, so the scan
 * allocates nothing: the JSON pointer is built only for a problem found, on the way back up.
 * Recursion is bounded by maxDepth, so a hostile depth cannot exhaust the stack.
 */
export function findTextProblem(value: unknown, maxDepth = MAX_JSON_DEPTH, rootPath = ''): TextProblem | null {
  const found = scan(value, 0, maxDepth);
  if (!found) return null;
  const path = rootPath + found.keys.reduceRight((pointer: string, key) => `${pointer}/${escapePointer(String(key))}`, '');
  return { path: path || '/', problem: found.problem };
}

/** A problem and the keys leading to it, innermost first. */
interface Found {
  problem: TextProblem['problem'];
  keys: Array<string | number>;
}

function scan(value: unknown, depth: number, maxDepth: number): Found | null {
  if (typeof value === 'string') {
    const bad = badCharacter(value);
    return bad ? { problem: bad, keys: [] } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (depth >= maxDepth) return { problem: 'depth', keys: [] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = scan(value[i], depth + 1, maxDepth);
      if (found) {
        found.keys.push(i);
        return found;
      }
    }
    return null;
  }
  if (Buffer.isBuffer(value)) return null;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const bad = badCharacter(key);
    const found = bad ? { problem: bad, keys: [] } : scan((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (found) {
      found.keys.push(key);
      return found;
    }
  }
  return null;
}

const DESCRIBE: Record<TextProblem['problem'], string> = {
  nul: 'contains a NUL character (U+0000), which cannot be stored',
  surrogate: 'contains an unpaired UTF-16 surrogate',
  depth: `is nested deeper than ${MAX_JSON_DEPTH} levels`,
};

/** The 400 for a problem found in `where` (body, params, query, or a field holding JSON text). */
export function textProblemError(where: string, found: TextProblem, code?: string): InvalidInputError {
  // A signed field keeps the envelope parser's code and path (INVALID_MESSAGE, /message/<field>).
  if (where === 'body' && found.path.startsWith('/data/message/') && found.problem !== 'depth') {
    const path = found.path.slice('/data'.length);
    return new InvalidInputError('INVALID_MESSAGE', `${path}: ${DESCRIBE[found.problem]}`, { details: { path, problem: found.problem } });
  }
  const field = `${where}${found.path === '/' ? '' : found.path}`;
  const defaultCode = found.problem === 'depth' ? 'JSON_TOO_DEEP' : 'INVALID_CHARACTER';
  return new InvalidInputError(code ?? defaultCode, `${field}: ${DESCRIBE[found.problem]}`, { details: { path: field, problem: found.problem } });
}

/** Throws the 400 if `value` holds a NUL, a lone surrogate or too deep a nesting. */
export function assertCleanText(where: string, value: unknown, code?: string): void {
  const found = findTextProblem(value);
  if (found) throw textProblemError(where, found, code);
}

/**
 * Checks params, query and body of every request before schema validation runs (preValidation:
 * params and query are decoded, the body parsed). Raw-body routes (a Buffer, e.g. Discord's signed
 * interactions) are left to their own parser.
 */
export default fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      assertCleanText('params', request.params);
      assertCleanText('query', request.query);
      if (request.body === undefined || Buffer.isBuffer(request.body)) return;
      // A batch's items are independent: each is checked on its own (MessageService.submit), so one
      // bad item is refused in its result and the others are still written.
      if ((request.routeOptions.config as { inputGuard?: string }).inputGuard === 'per-item' && Array.isArray(request.body)) return;
      assertCleanText('body', request.body);
    });
  },
  { name: 'input-guard' },
);
