/**
 * The log against its on-chain anchor (docs/api.md, "On-chain anchoring"): the tree heads a LogAnchor
 * contract recorded (its TreeHeadAnchored events, read with plain JSON-RPC eth_getLogs) must be heads
 * of the log the server publishes today. For each anchored head of size n:
 *
 * - its signature recovers to the server's receipt signer (what the relayer posted is a head the
 *   server signed, not something the submitter made up);
 * - the server's log of n leaves has the same root: the root the log check computed from the
 *   mirrored leaves at size n when it has it, else the server's RFC 9162 consistency proof from the
 *   anchored root to its latest head must verify;
 * - n is not beyond the server's latest head (a log never shrinks).
 *
 * Any of the last two failing is the named failure "forked log vs chain anchor": the server now
 * presents a history that the chain contradicts. The address to check comes from the user (the DAO's
 * own records), never only from the server being checked.
 */
import { Interface } from 'ethers';
import type { LogSource, TreeHead } from './log-check.js';
import { fromHex, treeHeadDigest, verifyConsistency } from './merkle.js';
import type { Difference } from './report.js';
import { recoverSigner } from './signatures.js';

export const logAnchorEvents = new Interface(['event TreeHeadAnchored(uint64 indexed treeSize, bytes32 rootHash, uint64 timestamp, bytes signature)']);
const TREE_HEAD_ANCHORED = logAnchorEvents.getEvent('TreeHeadAnchored')!.topicHash;

/** The name every difference between the server's log and the chain's anchors starts with. */
export const FORKED_VS_ANCHOR = 'forked log vs chain anchor';

export interface AnchoredHead extends TreeHead {
  blockNumber: number;
  txHash: string;
}

/** eth_getLogs ranges at most this many blocks (providers cap the range). */
const LOG_CHUNK_BLOCKS = 10_000;

let rpcId = 0;

async function rpc<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }),
  });
  const text = await response.text();
  let answer: { result?: T; error?: { message?: string } };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new Error(`${method}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
  if (answer.result === undefined || answer.error) throw new Error(`${method} failed: ${answer.error?.message ?? text.slice(0, 200)}`);
  return answer.result;
}

interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  removed?: boolean;
}

/** Every TreeHeadAnchored event of the contract from `fromBlock` to the latest block, in chain order. */
export async function readAnchoredHeads(rpcUrl: string, address: string, fromBlock: number): Promise<AnchoredHead[]> {
  const latest = Number(BigInt(await rpc<string>(rpcUrl, 'eth_blockNumber', [])));
  const heads: AnchoredHead[] = [];
  for (let start = fromBlock; start <= latest; start += LOG_CHUNK_BLOCKS) {
    const end = Math.min(latest, start + LOG_CHUNK_BLOCKS - 1);
    const logs = await rpc<RpcLog[]>(rpcUrl, 'eth_getLogs', [
      { address, topics: [TREE_HEAD_ANCHORED], fromBlock: `0x${start.toString(16)}`, toBlock: `0x${end.toString(16)}` },
    ]);
    for (const log of logs) {
      if (log.removed) continue;
      const parsed = logAnchorEvents.parseLog({ topics: log.topics, data: log.data });
      if (!parsed) continue;
      heads.push({
        treeSize: Number(parsed.args[0] as bigint),
        rootHash: String(parsed.args[1]).toLowerCase(),
        timestamp: Number(parsed.args[2] as bigint),
        signature: String(parsed.args[3]),
        blockNumber: Number(BigInt(log.blockNumber)),
        txHash: log.transactionHash,
      });
    }
  }
  return heads;
}

export interface AnchorCheckInput {
  anchors: AnchoredHead[];
  receiptSigner: string;
  /** The server's latest signed head (null: it publishes no log). */
  latest: TreeHead | null;
  /** Roots the log check computed from the mirrored leaves, by tree size. */
  mirroredRoots: ReadonlyMap<number, string>;
  /** For consistency proofs where no mirrored root is at hand. */
  source: Pick<LogSource, 'consistency'>;
}

export interface AnchoredHeadResult extends AnchoredHead {
  ok: boolean;
}

export interface AnchorCheck {
  differences: Difference[];
  notes: string[];
  summary: string;
  heads: AnchoredHeadResult[];
}

export async function checkAnchors(input: AnchorCheckInput): Promise<AnchorCheck> {
  const differences: Difference[] = [];
  const notes: string[] = [];
  const heads: AnchoredHeadResult[] = [];
  const { latest } = input;
  for (const anchored of input.anchors) {
    const subject = `anchored tree head ${anchored.treeSize} (block ${anchored.blockNumber}, tx ${anchored.txHash})`;
    const before = differences.length;
    const diff = (detail: string) => differences.push({ check: 'anchor', subject, detail });
    const signer = recoverSigner(treeHeadDigest(anchored.treeSize, anchored.rootHash, anchored.timestamp), anchored.signature);
    if (signer?.toLowerCase() !== input.receiptSigner.toLowerCase()) diff(`not signed by the receipt key (${signer ?? 'no signer'})`);
    if (!latest) diff(`${FORKED_VS_ANCHOR}: the chain anchors a log of ${anchored.treeSize} leaves, the server publishes no log`);
    else if (anchored.treeSize > latest.treeSize)
      diff(`${FORKED_VS_ANCHOR}: the chain anchors ${anchored.treeSize} leaves, the server's latest head has ${latest.treeSize} (its log lost leaves)`);
    else {
      const mirrored = input.mirroredRoots.get(anchored.treeSize);
      if (mirrored !== undefined) {
        if (mirrored.toLowerCase() !== anchored.rootHash)
          diff(`${FORKED_VS_ANCHOR}: root ${anchored.rootHash} on chain, the server's log of ${anchored.treeSize} leaves has root ${mirrored}`);
      } else {
        const { proof } = await input.source.consistency(anchored.treeSize, latest.treeSize);
        if (!verifyConsistency(anchored.treeSize, latest.treeSize, fromHex(anchored.rootHash), fromHex(latest.rootHash), proof.map(fromHex)))
          diff(
            `${FORKED_VS_ANCHOR}: the server's consistency proof from ${anchored.treeSize} to its latest head ${latest.treeSize} does not verify from the anchored root ${anchored.rootHash}`,
          );
      }
    }
    heads.push({ ...anchored, ok: differences.length === before });
  }
  const last = input.anchors.at(-1);
  const summary = last
    ? `${input.anchors.length} anchored tree head(s) (blocks ${input.anchors[0]!.blockNumber}–${last.blockNumber}, the latest of size ${last.treeSize}): ${heads.filter((h) => h.ok).length} signed by the receipt key and heads of the server's log`
    : 'no anchored tree heads';
  if (!last) notes.push('anchor: the contract has no TreeHeadAnchored event in the blocks read: nothing to compare');
  else if (latest && latest.treeSize > last.treeSize)
    notes.push(`anchor: the server's latest ${latest.treeSize - last.treeSize} leaves are not anchored yet (latest anchor: size ${last.treeSize})`);
  return { differences, notes, summary, heads };
}
