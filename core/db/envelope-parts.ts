/**
 * The parts that nearly every stored envelope repeats: the deployment's EIP-712 `domain` and the
 * canonical `types` of each primary type. A vote's domain and types are more than half of its JSON,
 * and storing them as jsonb once per message was most of PostgreSQL's CPU per vote and a fifth of
 * the database's size. So an envelope is stored with each such part replaced by the id of an
 * envelope_parts row holding it (a JSON string where the received envelope always had an object:
 * never ambiguous), and every reader puts the part back (`expandEnvelopes`).
 *
 * A part's id is its content's: the first 16 bytes of SHA-256 of its JSON text, in hex. So an id
 * means the same part in every database and to every instance, and the cache below, shared by the
 * whole process, can never hand one database's part to another's envelope.
 *
 * A part is replaced only when it is the same JSON value as a registered one (the key order of an
 * object aside: jsonb does not keep it either), so what a reader gets back is the JSON value that was
 * received. Anything else (a chain id as a string, an upper-case salt) is stored as it came. Rows
 * are never changed or deleted (a trigger).
 */
import { hash } from 'node:crypto';
import type { Queryable } from './transaction.js';

/** The envelope fields under `data` that may be stored as a part id. */
const PART_FIELDS = ['domain', 'types'] as const;

/** Part JSON by id: an id names one content, so once read, a part is kept. */
const partsById = new Map<string, unknown>();

/** The id of a part's JSON text. */
export function envelopePartId(text: string): string {
  return hash('sha256', text).slice(0, 32);
}

export class EnvelopeParts {
  /** The registered parts by their sorted keys (a first filter that costs no serialisation), with their ids. */
  private readonly byKeys = new Map<string, { part: unknown; id: string }[]>();

  private constructor(parts: readonly { part: unknown; id: string }[]) {
    for (const entry of parts) {
      const key = keysOf(entry.part);
      if (key === null) continue;
      const list = this.byKeys.get(key) ?? [];
      list.push(entry);
      this.byKeys.set(key, list);
    }
  }

  /**
   * Registers `parts` (objects; each stored once, whichever instance is first) and returns what
   * replaces them in envelopes stored from now on.
   */
  static async register(db: Queryable, parts: readonly unknown[]): Promise<EnvelopeParts> {
    const texts = parts.map((part) => JSON.stringify(part));
    const ids = texts.map(envelopePartId);
    await db.query('INSERT INTO envelope_parts (id, text) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id) DO NOTHING', [ids, texts]);
    // Kept as a reader would read them back: parsed from their text.
    const entries = texts.map((text, i) => ({ part: JSON.parse(text) as unknown, id: ids[i]! }));
    for (const { part, id } of entries) partsById.set(id, part);
    return new EnvelopeParts(entries);
  }

  /**
   * The envelope as it is stored: `data.domain` and `data.types` replaced by their part ids when
   * they are registered parts. `envelope` is a checked envelope (an object whose `data` is one);
   * it is not modified.
   */
  compact(envelope: Record<string, unknown>): Record<string, unknown> {
    const data = envelope.data as Record<string, unknown>;
    let compacted: Record<string, unknown> | undefined;
    for (const field of PART_FIELDS) {
      const id = this.idOf(data[field]);
      if (id !== undefined) (compacted ??= { ...data })[field] = id;
    }
    return compacted ? { ...envelope, data: compacted } : envelope;
  }

  private idOf(value: unknown): string | undefined {
    const key = keysOf(value);
    if (key === null) return undefined;
    return this.byKeys.get(key)?.find((entry) => sameJson(value, entry.part))?.id;
  }
}

/** An object's keys, sorted and joined; null for anything else. */
function keysOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return Object.keys(value).sort().join(',');
}

/** Whether two parsed JSON values are the same value (object key order aside). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function partIdsOf(stored: unknown): string[] {
  const data = (stored as { data?: Record<string, unknown> } | null)?.data;
  if (typeof data !== 'object' || data === null) return [];
  return PART_FIELDS.map((field) => data[field]).filter((value): value is string => typeof value === 'string');
}

/** Reads the parts these stored envelopes name that are not cached yet (one query, or none). */
async function loadParts(db: Queryable, stored: readonly unknown[]): Promise<void> {
  const missing = new Set<string>();
  for (const envelope of stored) for (const id of partIdsOf(envelope)) if (!partsById.has(id)) missing.add(id);
  if (missing.size === 0) return;
  const { rows } = await db.query<{ id: string; text: string }>('SELECT id, text FROM envelope_parts WHERE id = ANY($1::text[])', [[...missing]]);
  for (const row of rows) {
    if (envelopePartId(row.text) !== row.id) throw new Error(`envelope_parts row ${row.id} does not hold the part its id names`);
    partsById.set(row.id, JSON.parse(row.text));
  }
  for (const id of missing) if (!partsById.has(id)) throw new Error(`envelope_parts has no row ${id}, which a stored envelope names`);
}

/** Stored envelopes as they were received: every part id replaced by its part. */
export async function expandEnvelopes(db: Queryable, stored: readonly unknown[]): Promise<unknown[]> {
  await loadParts(db, stored);
  return stored.map((envelope) => {
    const data = (envelope as { data?: Record<string, unknown> } | null)?.data;
    let expanded: Record<string, unknown> | undefined;
    for (const field of PART_FIELDS) {
      const id = data?.[field];
      if (typeof id === 'string') (expanded ??= { ...data })[field] = partsById.get(id);
    }
    return expanded ? { ...(envelope as Record<string, unknown>), data: expanded } : envelope;
  });
}
