/**
 * The log part of the verification, against any LogSource (the server's /api/log endpoints, or a
 * tree a test builds): every tree head seen is signed by the receipt key and consistent with the
 * latest one (RFC 9162 consistency proofs), the whole log is mirrored and rehashed to each head's
 * root, each of the proposal's messages is a leaf committing to its id, signature and receipt time
 * (and its inclusion proof verifies), every vote a stage result counted sits below the tree size the
 * result names, and no leaf between the proposal's first message and its last counted size belongs
 * to a message the server no longer publishes.
 */
import { fromHex, leafHash, leafInput, messageLeafHash, StreamingRoot, toHex, treeHeadDigest, uint64be, verifyConsistency, verifyInclusion } from './merkle.js';
import { keccak256Hex } from './bytes.js';
import type { Difference } from './report.js';
import { recoverSigner } from './signatures.js';

export interface TreeHead {
  treeSize: number;
  rootHash: string;
  timestamp: number;
  signature: string;
}

export interface LogLeaf {
  index: number;
  messageId: string;
  signatureHash: string;
  receivedAt: number;
  leafHash: string;
}

export interface LogSource {
  head(): Promise<TreeHead | null>;
  headAt(treeSize: number): Promise<TreeHead | null>;
  inclusion(messageId: string, treeSize: number): Promise<{ leafIndex: number; treeSize: number; leafHash: string; auditPath: string[] } | null>;
  consistency(from: number, to: number): Promise<{ from: number; to: number; proof: string[] }>;
  /** Leaves [start, end), at most 1,000. */
  leaves(start: number, end: number): Promise<LogLeaf[]>;
  /** A message by id (null: the server does not have it). */
  message(messageId: string): Promise<{ proposalId: string | null } | null>;
  /**
   * The ids of every message another proposal's messages list serves (optional): a leaf found to be
   * one of that proposal's makes the verifier read that list once (1,000 per request) instead of one
   * request per leaf of it in the range.
   */
  proposalMessageIds?(proposalId: string): Promise<string[]>;
}

export interface LoggedMessage {
  id: string;
  type: string;
  signature: string;
  receivedAtMs: number;
}

export interface StageCount {
  stage: number;
  logTreeSize: number;
  /** The votes the verifier counts for the stage. */
  messageIds: string[];
}

export interface LogCheckInput {
  proposalId: string;
  receiptSigner: string;
  messages: LoggedMessage[];
  /** The space settings changes the proposal runs under: each must be a leaf too (their receipts). */
  settingsMessages?: LoggedMessage[];
  stages: StageCount[];
  /**
   * Inclusion proofs fetched from the server, at most this many (default 1,000), of messages spread
   * evenly over the proposal's, its first and last included. The mirror already places every message
   * under every head's root; the proofs check what the server's proof endpoint answers, and each
   * costs the server a request (10,000 of them were most of a 10,000-vote proposal's verify time).
   */
  maxInclusionProofs?: number;
  /** Tree sizes whose roots the mirror should report (the chain's anchored heads: anchor-check.ts). */
  rootsAt?: readonly number[] | undefined;
}

export interface LogCheck {
  checked: boolean;
  differences: Difference[];
  notes: string[];
  summary: string;
  /** The server's latest signed head (null: no published log). */
  latest: TreeHead | null;
  /** The mirrored leaves' root at each size of `rootsAt` the mirror reached. */
  roots: Map<number, string>;
}

export async function checkLog(source: LogSource, input: LogCheckInput): Promise<LogCheck> {
  const differences: Difference[] = [];
  const diff = (subject: string, detail: string) => differences.push({ check: 'log', subject, detail });
  const latest = await source.head();
  const rootsAt = new Set(input.rootsAt ?? []);
  const mirroredRoots = new Map<number, string>();
  if (!latest)
    return {
      checked: false,
      differences,
      notes: ['log: the server publishes no log (GET /api/log/head): inclusion and consistency not checked'],
      summary: 'not published',
      latest: null,
      roots: mirroredRoots,
    };

  // Every head seen: the latest and the one each stage result names.
  const heads = new Map<number, TreeHead>([[latest.treeSize, latest]]);
  for (const stage of input.stages) {
    if (heads.has(stage.logTreeSize)) continue;
    const head = await source.headAt(stage.logTreeSize);
    if (head) heads.set(stage.logTreeSize, head);
    else diff(`stage ${stage.stage} logTreeSize`, `no signed tree head published at size ${stage.logTreeSize}`);
  }
  const sorted = [...heads.values()].sort((a, b) => a.treeSize - b.treeSize);
  for (const head of sorted) {
    const signer = recoverSigner(treeHeadDigest(head.treeSize, head.rootHash, head.timestamp), head.signature);
    if (signer?.toLowerCase() !== input.receiptSigner.toLowerCase())
      diff(`tree head ${head.treeSize}`, `not signed by the receipt key (${signer ?? 'no signer'})`);
  }
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [older, newer] = [sorted[i]!, sorted[i + 1]!];
    if (older.timestamp > newer.timestamp) diff(`tree head ${newer.treeSize}`, `timestamp ${newer.timestamp} is before the smaller head's ${older.timestamp}`);
  }
  for (const head of sorted.slice(0, -1)) {
    const { proof } = await source.consistency(head.treeSize, latest.treeSize);
    if (!verifyConsistency(head.treeSize, latest.treeSize, fromHex(head.rootHash), fromHex(latest.rootHash), proof.map(fromHex))) {
      diff(`tree heads ${head.treeSize} → ${latest.treeSize}`, 'not consistent: the log was rewritten (a fork) between these heads');
    }
  }

  // Mirror the log and rehash it: each head's root must be what its leaves give.
  const roots = new StreamingRoot();
  const byId = new Map<string, LogLeaf>();
  const byIndex: string[] = [];
  for (let start = 0; start < latest.treeSize; start += 1000) {
    const page = await source.leaves(start, Math.min(start + 1000, latest.treeSize));
    for (const leaf of page) {
      if (leaf.index !== roots.size) {
        diff(`leaf ${roots.size}`, `the leaves endpoint answered index ${leaf.index}`);
        return { checked: true, differences, notes: [], summary: 'mirror failed', latest, roots: mirroredRoots };
      }
      const input = new Uint8Array(72);
      input.set(fromHex(leaf.messageId), 0);
      input.set(fromHex(leaf.signatureHash), 32);
      input.set(uint64be(leaf.receivedAt), 64);
      const hash = leafHash(input);
      if (toHex(hash) !== leaf.leafHash.toLowerCase()) diff(`leaf ${leaf.index}`, `leafHash ${leaf.leafHash} is not the hash of its fields (${toHex(hash)})`);
      roots.append(hash);
      byId.set(leaf.messageId.toLowerCase(), leaf);
      byIndex.push(leaf.messageId.toLowerCase());
      if (rootsAt.has(roots.size)) mirroredRoots.set(roots.size, toHex(roots.root()));
      const head = heads.get(roots.size);
      if (head && toHex(roots.root()) !== head.rootHash.toLowerCase())
        diff(`tree head ${head.treeSize}`, `root ${head.rootHash}, the mirrored leaves give ${toHex(roots.root())}`);
    }
    if (page.length === 0) break;
  }
  if (roots.size !== latest.treeSize) diff(`tree head ${latest.treeSize}`, `the leaves endpoint served ${roots.size} leaves`);

  // The proposal's messages: each a leaf with its own id, signature and receipt time.
  const ours = new Set(input.messages.map((m) => m.id.toLowerCase()));
  let first = Infinity;
  let last = -1;
  let proofs = 0;
  const proofChecks: (() => Promise<void>)[] = [];
  const proved = spread(input.messages.length, input.maxInclusionProofs ?? 1000);
  /** The message's leaf, its receipt time and signature compared with what is published (undefined: no leaf). */
  const leafOf = (m: LoggedMessage, what: string): LogLeaf | undefined => {
    const leaf = byId.get(m.id.toLowerCase());
    if (!leaf) {
      diff(m.id, `${what} is not in the log (size ${latest.treeSize})`);
      return undefined;
    }
    if (leaf.receivedAt !== m.receivedAtMs)
      diff(m.id, `receivedAt ${new Date(m.receivedAtMs).toISOString()} as published, ${new Date(leaf.receivedAt).toISOString()} in its log leaf ${leaf.index}`);
    if (leaf.signatureHash.toLowerCase() !== keccak256Hex(fromHex(m.signature))) diff(m.id, `its log leaf ${leaf.index} commits to another signature`);
    return leaf;
  };
  for (const [position, m] of input.messages.entries()) {
    const leaf = leafOf(m, `${m.type} message`);
    if (!leaf) continue;
    first = Math.min(first, leaf.index);
    last = Math.max(last, leaf.index);
    if (proved.has(position)) {
      proofs++;
      proofChecks.push(async () => {
        const proof = await source.inclusion(m.id, latest.treeSize);
        const audit = proof?.auditPath.map(fromHex) ?? [];
        const expected = messageLeafHash(m.id, m.signature, m.receivedAtMs);
        const ok =
          proof !== null && proof.leafIndex === leaf.index && verifyInclusion(proof.leafIndex, latest.treeSize, expected, audit, fromHex(latest.rootHash));
        if (!ok) diff(m.id, `inclusion proof at size ${latest.treeSize} does not verify`);
      });
    }
  }
  await runLimited(proofChecks, 8);
  for (const m of input.settingsMessages ?? []) leafOf(m, `${m.type} message (a settings change)`);
  // Counted votes must be in the log below the size the stage result was counted at.
  for (const stage of input.stages) {
    for (const id of stage.messageIds) {
      const leaf = byId.get(id.toLowerCase());
      if (leaf && leaf.index >= stage.logTreeSize)
        diff(id, `counted in stage ${stage.stage}, but appended at leaf ${leaf.index}, after the result's tree size ${stage.logTreeSize}`);
    }
  }
  // Leaves in the proposal's range that the server no longer publishes (or publishes elsewhere).
  const end = Math.max(last + 1, ...input.stages.map((s) => s.logTreeSize));
  const lookups: (() => Promise<void>)[] = [];
  // Messages served in another proposal's list: served, and not this proposal's (a range can hold
  // hundreds of thousands of other proposals' votes: one list read each, not one request per leaf).
  const servedElsewhere = new Set<string>();
  const listed = new Map<string, Promise<void>>();
  const readList = (proposalId: string): Promise<void> => {
    let reading = listed.get(proposalId);
    if (!reading) {
      reading = source.proposalMessageIds!(proposalId)
        .then((ids) => ids.forEach((x) => servedElsewhere.add(x.toLowerCase())))
        // Unread, the leaves of that proposal are looked up one by one as before.
        .catch(() => undefined);
      listed.set(proposalId, reading);
    }
    return reading;
  };
  for (let index = Number.isFinite(first) ? first : end; index < end && index < byIndex.length; index++) {
    const id = byIndex[index]!;
    if (ours.has(id)) continue;
    lookups.push(async () => {
      if (servedElsewhere.has(id)) return;
      const found = await source.message(id);
      const other = found?.proposalId?.toLowerCase();
      if (other && other !== input.proposalId.toLowerCase() && source.proposalMessageIds) await readList(other);
      if (!found) diff(`leaf ${index}`, `message ${id} is in the log but the server does not serve it (deleted)`);
      else if (found.proposalId?.toLowerCase() === input.proposalId.toLowerCase())
        diff(`leaf ${index}`, `message ${id} of this proposal is missing from its messages`);
    });
  }
  await runLimited(lookups, 8);
  return {
    checked: true,
    differences,
    notes: [],
    summary: `${sorted.length} tree head(s) up to size ${latest.treeSize} signed and consistent, ${input.messages.length} messages in the log, ${proofs} inclusion proofs`,
    latest,
    roots: mirroredRoots,
  };
}

/** At most `max` of the positions 0 … count-1, evenly spread, the first and the last included. */
function spread(count: number, max: number): Set<number> {
  if (count <= max) return new Set(Array.from({ length: count }, (_, i) => i));
  const out = new Set<number>();
  if (max < 1) return out;
  for (let k = 0; k < max - 1; k++) out.add(Math.floor((k * (count - 1)) / (max - 1)));
  out.add(count - 1);
  return out;
}

/** Runs the tasks, at most `limit` at a time (requests to one server: a few in flight, not thousands). */
async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}

/** The server's /api/log endpoints (docs/api.md) as a LogSource. */
export function httpLogSource(api: {
  find<T>(path: string): Promise<T | null>;
  get<T>(path: string): Promise<T>;
  all<T>(path: string): Promise<T[]>;
}): LogSource {
  return {
    head: () => api.find<TreeHead>('/api/log/head'),
    headAt: (size) => api.find<TreeHead>(`/api/log/heads/${size}`),
    inclusion: (id, size) => api.find(`/api/log/proof/inclusion?id=${id}&treeSize=${size}`),
    consistency: (from, to) => api.get(`/api/log/proof/consistency?from=${from}&to=${to}`),
    leaves: async (start, end) => (await api.get<{ leaves: LogLeaf[] }>(`/api/log/leaves?start=${start}&end=${end}`)).leaves,
    message: (id) => api.find(`/api/messages/${id}`),
    proposalMessageIds: async (proposalId) => (await api.all<{ id: string }>(`/api/proposals/${proposalId}/messages`)).map((m) => m.id),
  };
}

/** Exposed for tests: the leaf hash of a message as the log contract defines it. */
export const leafHashOfMessage = (m: LoggedMessage): string => toHex(leafHash(leafInput(m.id, m.signature, m.receivedAtMs)));
