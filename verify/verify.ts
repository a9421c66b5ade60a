/**
 * verifyProposal: a member's end-to-end check of one proposal that trusts nothing the server
 * computed. It reads what the server publishes (the proposal, its signed messages, its rules, the
 * space's settings history, the stage results, the log when there is one, and with `anchor` the log's
 * tree heads anchored on chain) and recomputes, with code of its own: every message id and signature,
 * every receipt (its place in the log), each voter's current vote, each
 * voter's power at the snapshot from the chain, both stage tallies and outcomes, and for executable
 * proposals the payload hash, the operation id and the executor's events. Every difference names the
 * message, voter or field.
 */
import { Interface, JsonRpcProvider } from 'ethers';
import { createApi, type Api } from './http-client.js';
import { checkExecution } from './execution.js';
import { checkLog, httpLogSource, type LogSource, type StageCount } from './log-check.js';
import { checkAnchors, readAnchoredHeads } from './anchor-check.js';
import { prefetchLeaves } from './log-prefetch.js';
import { CANONICAL_MULTICALL3, recomputePower, type RecomputedPower } from './power.js';
import { createRecoverPool, type RecoverPool } from './recover-pool.js';
import type { AnchorReport, Difference, Report } from './report.js';
import { stageSignatureProblem } from './stage-signature.js';
import { checkSignature, domainProblems, messageDigest, receiptDigest, recoverSigner, typedDataProblem, type Domain, type SignedData } from './signatures.js';
import { canonicalChoice, countVotes, decide, parseChoice, type Choice, type CountedVote, type Tally, type VotingType } from './tally.js';

export interface VerifyOptions {
  /** The govrelay server, e.g. http://127.0.0.1:3000. */
  server: string;
  proposalId: string;
  /** A JSON-RPC URL of the proposal's chain: without it power, contract wallets and execution are not checked. */
  rpc?: string | undefined;
  /** Multicall3 on that chain (default: the canonical address). */
  multicall?: string | undefined;
  /** The server's accepted window for signed timestamps (MESSAGE_MAX_FUTURE_S, MESSAGE_MAX_AGE_S; defaults 300 and 3600). */
  maxFutureSeconds?: number | undefined;
  maxAgeSeconds?: number | undefined;
  /** Tolerance between a vote's receipt time and its stage's recorded open/close transitions (default 5 s). */
  windowSlackMs?: number | undefined;
  /** Another log source than the server's /api/log endpoints (tests, a mirror). */
  logSource?: LogSource | undefined;
  /**
   * A LogAnchor contract on the chain of `rpc` (needs `rpc`): every tree head it anchored must be a
   * head of the server's log. Take the address from the DAO's records, not from the server checked.
   * Its events are read from `fromBlock` (default 0).
   */
  anchor?: { address: string; fromBlock?: number | undefined } | undefined;
  /** Items per page of the server's lists (default and most: 1,000). Smaller pages give the same report. */
  pageSize?: number | undefined;
}

interface Info {
  domain: Domain;
  types: unknown;
  receiptSigner: string;
  /** Where the server says its log is anchored (a hint: --anchor is what is checked). */
  logAnchor?: { address: string; chainId: number; fromBlock: number } | null;
}

interface Message {
  id: string;
  type: string;
  from: string;
  spaceId: string;
  proposalId: string | null;
  timestamp: string;
  envelope: { address: string; sig: string; data: SignedData };
  signature: string;
  sigKind: string;
  sigBlock: string | null;
  /** Only for messages stored before the log existed: the receipt signature over (id, receivedAt). */
  legacyReceipt: string | null;
  receivedAt: string;
}

interface StageResult {
  stage: number;
  votingType: string;
  choices: string[];
  scores: string[];
  scoresByStrategy: string[][];
  totalPower: string;
  voterCount: number;
  quorum: string;
  quorumReached: boolean;
  passed: boolean;
  winningChoice: number | null;
  outcome: string;
  logTreeSize?: number | null;
  /** The receipt key over the result at logTreeSize (docs/api.md "Signed stage results"); null before the log. */
  signature?: string | null;
}

interface Proposal {
  id: string;
  space: string;
  author: string;
  title: string;
  body: string;
  discussion: string;
  choices: string[];
  votingType: string;
  snapshot: string;
  execution: string;
  payloadHash: string;
  payload: { targets: string[]; values: string[]; calldatas: string[] } | null;
  targetCodeHashes: { target: string; codeHash: string }[];
  idea: string | null;
  /** The proposal kind (a space's named rules); "default" for proposals signed before kinds. */
  kind?: string;
  state: string;
  createdAt: string;
  results: StageResult[];
  executionStatus: { status?: string; operationId?: string | null } | null;
}

interface Rules {
  stages: {
    stage: number;
    votingType: string;
    choices: string[];
    quorum: string;
    quorumRule: { kind: string; power?: string; bps?: number };
    passThresholdBps: number;
  }[];
  settings: {
    strategies: { name: string; params: Record<string, unknown>; weight?: number }[];
    token?: string;
    executor?: string;
    governor?: string;
    admins: string[];
  };
}

interface ServerVote {
  voter: string;
  stage: number;
  choice: unknown;
  reason: string;
  timestamp: string;
  power: string;
  messageId: string;
}

interface Transition {
  from: string | null;
  to: string;
  at: string;
}

interface SpaceChange {
  messageId: string;
  actor: string;
  at: string;
  previous: unknown;
  settings: { admins?: string[] } & Record<string, unknown>;
}

const STAGE_STATE: Record<number, string> = { 1: 'temperature', 2: 'consensus' };

export async function verifyProposal(options: VerifyOptions): Promise<Report> {
  if (options.anchor && !options.rpc) throw new Error('--anchor needs --rpc (the chain the anchor contract is on)');
  const api = createApi(options.server, options.pageSize);
  const id = options.proposalId.toLowerCase();
  const differences: Difference[] = [];
  const notes: string[] = [];
  const checked: Record<string, string> = {};
  let anchorReport: AnchorReport | undefined;
  const diff = (check: Difference['check'], subject: string, detail: string) => differences.push({ check, subject, detail });

  const provider = options.rpc ? new JsonRpcProvider(options.rpc, undefined, { staticNetwork: true, batchMaxCount: 1 }) : null;
  const pool = createRecoverPool();
  // The log's leaves are read ahead (4 pages at a time) while the proposal's messages are paged.
  const logSource = prefetchLeaves(options.logSource ?? httpLogSource(api));
  /** Work started before the step that awaits it: a failure meanwhile must not be an unhandled rejection. */
  const early = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => undefined);
    return promise;
  };
  try {
    logSource.start();
    const infoRead = early(api.get<Info>('/api/info'));
    const proposalRead = early(api.get<Proposal>(`/api/proposals/${id}`));
    const rulesRead = early(api.get<Rules>(`/api/proposals/${id}/rules`));
    const chainIdRead = early(provider ? provider.getNetwork().then((n) => Number(n.chainId)) : infoRead.then((i) => Number(i.domain.chainId)));
    const domainRead = early(
      Promise.all([infoRead, chainIdRead]).then(([i, chainId]): Domain => ({ name: i.domain.name, version: i.domain.version, chainId, salt: i.domain.salt })),
    );
    const spaceRead = early(proposalRead.then((p) => api.get<{ items: SpaceChange[] }>(`/api/spaces/${encodeURIComponent(p.space)}/history`)));
    // Each page of messages as it arrives (the messages list is one keyset chain, read page after page):
    // its digests and recoveries go to the workers, and the chain reads of step 6 start for the
    // vote senders it brings (every voter who signed a vote; the current votes are a subset), so the
    // chain and the cores work while the next pages are read.
    const recovering: Promise<(Recovered | undefined)[]>[] = [];
    const powerReads: Promise<Map<string, RecomputedPower>>[] = [];
    const voteSenders = new Set<string>();
    const onMessages = (page: Message[]) => {
      recovering.push(early(domainRead.then((domain) => recoverAll(page, domain, pool))));
      if (!provider) return;
      const fresh: string[] = [];
      for (const m of page) {
        const sender = m.from.toLowerCase();
        if (m.type !== 'Vote' || voteSenders.has(sender)) continue;
        voteSenders.add(sender);
        fresh.push(sender);
      }
      if (fresh.length === 0) return;
      const context = Promise.all([proposalRead, rulesRead]);
      powerReads.push(
        early(
          context.then(([p, r]) =>
            recomputePower(
              { provider, rpcUrl: options.rpc, multicallAddress: options.multicall ?? CANONICAL_MULTICALL3, snapshot: Number(p.snapshot) },
              r.settings.strategies,
              fresh,
            ),
          ),
        ),
      );
    };
    const [info, proposal, rules, messages, history, serverVotes, spaceHistory] = await Promise.all([
      infoRead,
      proposalRead,
      rulesRead,
      api.all<Message>(`/api/proposals/${id}/messages`, onMessages),
      api.get<{ items: Transition[] }>(`/api/proposals/${id}/history`),
      api.all<ServerVote>(`/api/proposals/${id}/votes`),
      spaceRead.then((h) => h.items),
    ]);
    const chainId = await chainIdRead;
    if (!provider) notes.push('no --rpc: voting power, contract-wallet signatures and the executor were not read from the chain');

    // 1. The domain and types the server publishes against the verifier's own constants.
    for (const problem of domainProblems(info, chainId)) diff('domain', 'GET /api/info', problem);
    const domain = await domainRead;

    // 2. Every message: id = digest of what was signed, signature (its receipt is its place in the
    // log, step 8; a message from before the log has a receipt signature, checked here).
    const spaceMessages = await Promise.all(spaceHistory.map((change) => api.find<Message>(`/api/messages/${change.messageId}`)));
    const found = spaceMessages.filter((m): m is Message => m !== null);
    const allMessages = [...messages, ...found];
    let signaturesOk = 0;
    const recovered = [...(await Promise.all(recovering)).flat(), ...(await recoverAll(found, domain, pool))];
    for (const [i, m] of allMessages.entries()) {
      const problem = await messageProblem(m, domain, info.receiptSigner, provider, recovered[i]);
      if (problem && 'note' in problem) notes.push(`${m.id}: ${problem.note}`);
      else if (problem) diff(problem.check, m.id, problem.detail);
      else signaturesOk++;
    }
    spaceMessages.forEach((m, i) => {
      if (!m) diff('space', spaceHistory[i]!.messageId, 'a settings change whose signed message the server does not serve');
    });
    const legacy = allMessages.filter((m) => m.legacyReceipt !== null).length;
    checked.messages =
      `${allMessages.length} signed messages (${messages.length} of the proposal, ${spaceMessages.length} settings changes): ${signaturesOk} ids and signatures check out` +
      (legacy > 0 ? ` (with ${legacy} receipt signatures from before the log)` : '');

    // 3. The space settings the proposal runs under: signed by an admin, and the ones in force at creation.
    checkSpaceHistory(spaceHistory, allMessages, proposal, rules, diff);

    // 4. The proposal message itself.
    const proposalMessage = messages.find((m) => m.id.toLowerCase() === id && m.type === 'Proposal');
    if (!proposalMessage) diff('proposal', id, 'the signed Proposal message is not among the proposal messages');
    else checkProposalFields(proposal, proposalMessage, diff);

    // Cancels and advances: only those the rules allow may have signed them.
    for (const m of messages.filter((x) => x.type === 'CancelProposal' || x.type === 'AdvanceProposal')) {
      const signer = m.from.toLowerCase();
      const settings = rules.settings as Rules['settings'] & { moderators?: string[] };
      const allowed = m.type === 'AdvanceProposal' ? [proposal.author] : [proposal.author, ...(settings.moderators ?? []), ...settings.admins];
      if (!allowed.some((a) => a.toLowerCase() === signer))
        diff('message', m.id, `${m.type} signed by ${m.from}, who may not ${m.type === 'AdvanceProposal' ? 'advance' : 'cancel'} it`);
    }

    // 5. Current votes from the signed messages, checked against the server's votes.
    const windows = stageWindows(history.items);
    const maxFuture = (options.maxFutureSeconds ?? 300) * 1000;
    const maxAge = (options.maxAgeSeconds ?? 3600) * 1000;
    const slack = options.windowSlackMs ?? 5000;
    const current = new Map<string, { message: Message; choice: Choice }>();
    // Receipt times parsed once, not twice per comparison (100,000 votes: millions of Date.parse).
    const voteMessages = messages
      .filter((m) => m.type === 'Vote')
      .map((m) => ({ m, at: Date.parse(m.receivedAt) }))
      .sort((a, b) => a.at - b.at)
      .map(({ m }) => m);
    for (const m of voteMessages) {
      const v = m.envelope.data.message as { space: string; proposal: string; stage: number; timestamp: number; choice: string };
      const stageRules = rules.stages.find((s) => s.stage === v.stage);
      if (v.proposal.toLowerCase() !== id || v.space !== proposal.space || !stageRules) {
        diff('vote', m.id, `signed for proposal ${v.proposal}, space ${v.space}, stage ${v.stage}: not this proposal's`);
        continue;
      }
      const parsed = parseChoice(stageRules.votingType as VotingType, v.choice, stageRules.choices.length);
      if (typeof parsed === 'string') {
        diff('vote', m.id, `stage ${v.stage}: ${parsed}`);
        continue;
      }
      const received = Date.parse(m.receivedAt);
      const signedAt = v.timestamp * 1000;
      if (signedAt > received + maxFuture || signedAt < received - maxAge)
        diff('vote', m.id, `signed at ${new Date(signedAt).toISOString()}, received ${m.receivedAt}: outside the accepted window (back-dated receipt time?)`);
      const window = windows.get(v.stage);
      if (!window?.open || received < window.open - slack || (window.close !== null && received > window.close + slack)) {
        diff(
          'vote',
          m.id,
          `received ${m.receivedAt}, outside stage ${v.stage}'s open period (${window?.open ? new Date(window.open).toISOString() : 'never opened'} – ${window?.close ? new Date(window.close).toISOString() : 'open'})`,
        );
      }
      const key = `${v.stage}:${m.from.toLowerCase()}`;
      const previous = current.get(key);
      if (previous && Number((previous.message.envelope.data.message as { timestamp: number }).timestamp) >= v.timestamp) {
        diff('vote', m.id, `stage ${v.stage} vote of ${m.from} is not newer than its previous vote ${previous.message.id}, yet was accepted`);
        continue;
      }
      current.set(key, { message: m, choice: parsed });
    }
    const serverByKey = new Map(serverVotes.map((v) => [`${v.stage}:${v.voter.toLowerCase()}`, v]));
    for (const [key, { message, choice }] of current) {
      const [stage, voter] = key.split(':');
      const server = serverByKey.get(key);
      if (!server) diff('vote', voter!, `stage ${stage}: signed vote ${message.id} is missing from the server's current votes`);
      else {
        if (server.messageId.toLowerCase() !== message.id.toLowerCase())
          diff('vote', voter!, `stage ${stage}: the server's current vote is ${server.messageId}, the latest signed one is ${message.id}`);
        if (JSON.stringify(server.choice) !== canonicalChoice(choice))
          diff('vote', voter!, `stage ${stage}: choice ${JSON.stringify(server.choice)} published, ${canonicalChoice(choice)} signed (message ${message.id})`);
        const signed = message.envelope.data.message as { reason: string; timestamp: number };
        if (server.reason !== signed.reason) diff('vote', voter!, `stage ${stage}: the published reason differs from the signed one (message ${message.id})`);
        if (server.timestamp !== String(signed.timestamp))
          diff('vote', voter!, `stage ${stage}: timestamp ${server.timestamp} published, ${signed.timestamp} signed (message ${message.id})`);
      }
    }
    for (const [key, v] of serverByKey) {
      if (!current.has(key))
        diff('vote', v.voter, `stage ${v.stage}: the server counts vote ${v.messageId}, which is not among the proposal's signed messages`);
    }
    checked.votes = `${voteMessages.length} signed votes, ${current.size} current (voter, stage) votes`;

    // 6. Voting power at the snapshot, from the chain.
    const voters = [...new Set([...current.keys()].map((k) => k.split(':')[1]!))];
    const strategies = rules.settings.strategies;
    const power = new Map<string, bigint[]>();
    const serverPower = new Map(serverVotes.map((v) => [v.voter.toLowerCase(), BigInt(v.power)]));
    if (provider) {
      const recomputed = new Map<string, RecomputedPower>();
      for (const reads of await Promise.all(powerReads)) for (const [voter, r] of reads) recomputed.set(voter, r);
      const offChain = new Set<string>();
      for (const voter of voters) {
        const r = recomputed.get(voter)!;
        const parts = await completeParts(api, id, voter, r, offChain);
        power.set(voter, parts);
        const total = parts.reduce((a, b) => a + b, 0n);
        const published = serverPower.get(voter);
        if (published !== undefined && published !== total)
          diff('power', voter, `power at block ${proposal.snapshot}: the server counts ${published}, the chain gives ${total}`);
        if (total === 0n) diff('power', voter, `has no power at block ${proposal.snapshot}, yet a vote was accepted`);
      }
      for (const why of offChain) notes.push(`power: ${why}; that part is the server's figure, not recomputed`);
      checked.power = `${voters.length} voters recomputed from the chain at block ${proposal.snapshot} (${strategies.map((s) => s.name).join(', ')})`;
    } else {
      for (const voter of voters) power.set(voter, strategies.length === 1 ? [serverPower.get(voter) ?? 0n] : await serverParts(api, id, voter));
      checked.power = 'not recomputed (no --rpc): the server power is used for the tallies';
    }

    // 7. Both stage tallies with the verifier's counting code, against the published results.
    const stageCounts: StageCount[] = [];
    const tallies: string[] = [];
    for (const stageRules of rules.stages) {
      const counted: CountedVote[] = [];
      const ids: string[] = [];
      for (const [key, { message, choice }] of current) {
        const [stage, voter] = key.split(':');
        if (Number(stage) !== stageRules.stage) continue;
        counted.push({ voter: voter!, choice, powerByStrategy: power.get(voter!) ?? [] });
        ids.push(message.id);
      }
      await checkQuorum(provider, stageRules, rules.settings.token, Number(proposal.snapshot), diff);
      const result = proposal.results.find((r) => r.stage === stageRules.stage);
      if (!result) {
        tallies.push(`stage ${stageRules.stage}: no final result published (${counted.length} votes)`);
        continue;
      }
      const votingType = stageRules.votingType as VotingType;
      const tally = countVotes(votingType, stageRules.choices.length, strategies.length, counted);
      const outcome = decide(votingType, tally, BigInt(stageRules.quorum), stageRules.passThresholdBps);
      compareResult(stageRules.stage, result, tally, outcome, stageRules, diff);
      const unsigned = stageSignatureProblem(id, stageRules.stage, result, info.receiptSigner);
      if (unsigned) diff('tally', `stage ${stageRules.stage} signature`, `the published result ${unsigned}`);
      if (typeof result.logTreeSize === 'number') stageCounts.push({ stage: stageRules.stage, logTreeSize: result.logTreeSize, messageIds: ids });
      const signedAt = !unsigned && result.signature ? ` (result signed at log size ${result.logTreeSize})` : '';
      tallies.push(`stage ${stageRules.stage}: ${counted.length} votes recounted, ${outcome.outcome}${signedAt}`);
    }
    checked.tallies = tallies.join('; ');
    checkLifecycle(proposal, history.items, diff);

    // 8. The log, when the server publishes one; with --anchor, the chain's anchored heads are read
    // first so the mirror reports its roots at their sizes.
    const anchors = options.anchor ? await readAnchoredHeads(options.rpc!, options.anchor.address, options.anchor.fromBlock ?? 0) : null;
    const log = await checkLog(logSource, {
      proposalId: id,
      receiptSigner: info.receiptSigner,
      messages: messages.map(loggedMessage),
      settingsMessages: spaceMessages.filter((m): m is Message => m !== null).map(loggedMessage),
      stages: stageCounts,
      rootsAt: anchors?.map((a) => a.treeSize),
    });
    differences.push(...log.differences);
    notes.push(...log.notes);
    checked.log = log.summary;
    // A message's receipt is its leaf: without a log, only one from before the log has a receipt.
    if (!log.checked) {
      for (const m of allMessages)
        if (m.legacyReceipt === null) diff('receipt', m.id, 'no receipt: the server publishes no log to place it in, and it has no receipt signature');
    }

    // 9. The log's on-chain anchor.
    const announced = info.logAnchor ?? null;
    if (options.anchor && anchors) {
      const anchor = await checkAnchors({ anchors, receiptSigner: info.receiptSigner, latest: log.latest, mirroredRoots: log.roots, source: logSource });
      differences.push(...anchor.differences);
      notes.push(...anchor.notes);
      checked.anchor = anchor.summary;
      anchorReport = {
        address: options.anchor.address,
        fromBlock: options.anchor.fromBlock ?? 0,
        heads: anchor.heads.map(({ treeSize, rootHash, timestamp, blockNumber, txHash, ok }) => ({ treeSize, rootHash, timestamp, blockNumber, txHash, ok })),
      };
      if (!announced) notes.push('anchor: the server names no anchor (GET /api/info logAnchor is null)');
      else if (announced.address.toLowerCase() !== options.anchor.address.toLowerCase() || announced.chainId !== chainId)
        notes.push(`anchor: the server names another anchor (${announced.address} on chain ${announced.chainId}) than the one checked`);
    } else if (announced) {
      notes.push(
        `anchor: the server says its log is anchored at ${announced.address} on chain ${announced.chainId} from block ${announced.fromBlock}; not checked (--anchor <address> --rpc <url>, the address from the DAO's records)`,
      );
    }

    // 10. Execution.
    if (proposal.execution !== '') {
      const signed = proposalMessage ? String((proposalMessage.envelope.data.message as { payloadHash: string }).payloadHash) : null;
      const execution = await checkExecution(provider, proposal, signed, rules.settings);
      differences.push(...execution.differences);
      notes.push(...execution.notes);
      checked.execution = `operation ${execution.operationId ?? '?'}: ${execution.executed ? 'executed' : execution.scheduled ? 'scheduled' : 'not scheduled'} (${proposal.execution} path)`;
    }
  } finally {
    provider?.destroy();
    await pool.close();
  }
  return {
    proposalId: id,
    server: options.server,
    ok: differences.length === 0,
    checked,
    differences,
    notes,
    ...(anchorReport ? { anchor: anchorReport } : {}),
  };
}

type MessageProblem = { check: Difference['check']; detail: string } | { note: string } | null;

const loggedMessage = (m: Message) => ({ id: m.id, type: m.type, signature: m.signature, receivedAtMs: Date.parse(m.receivedAt) });

/** A message's digest and the signers recovered from its signature and (before the log) its receipt. */
interface Recovered {
  digest: string;
  signer: string | null;
  receiptBy: string | null;
}

/**
 * The digests and the recoveries (its signature; before the log, its receipt's) of every message whose typed data passes messageProblem's first
 * checks, on every core (recover-pool.ts); undefined for the others (messageProblem says why).
 */
async function recoverAll(messages: Message[], domain: Domain, pool: RecoverPool): Promise<(Recovered | undefined)[]> {
  const digests = messages.map((m) => {
    const data = m.envelope?.data;
    if (!data || typedDataProblem(data, domain) || data.primaryType !== m.type) return undefined;
    const digest = messageDigest(data, domain);
    return digest === m.id.toLowerCase() ? digest : undefined;
  });
  const pairs: { digest: string; signature: string }[] = [];
  digests.forEach((digest, i) => {
    if (digest === undefined) return;
    const m = messages[i]!;
    pairs.push({ digest, signature: m.signature });
    if (m.legacyReceipt !== null) pairs.push({ digest: receiptDigest(m.id, Date.parse(m.receivedAt)), signature: m.legacyReceipt });
  });
  const signers = await pool.recover(pairs);
  let next = 0;
  return digests.map((digest, i) => {
    if (digest === undefined) return undefined;
    const signer = signers[next++]!;
    const receiptBy = messages[i]!.legacyReceipt !== null ? signers[next++]! : null;
    return { digest, signer, receiptBy };
  });
}

async function messageProblem(
  m: Message,
  domain: Domain,
  receiptSigner: string,
  provider: JsonRpcProvider | null,
  recovered: Recovered | undefined,
): Promise<MessageProblem> {
  const data = m.envelope?.data;
  if (!data) return { check: 'message', detail: 'no signed envelope' };
  const problem = typedDataProblem(data, domain);
  if (problem) return { check: 'message', detail: problem };
  if (data.primaryType !== m.type) return { check: 'message', detail: `published as ${m.type}, signed as ${data.primaryType}` };
  const digest = recovered?.digest ?? messageDigest(data, domain);
  if (digest !== m.id.toLowerCase()) return { check: 'message', detail: `id is not the digest of its signed data (${digest})` };
  const from = String(data.message.from);
  if (from.toLowerCase() !== m.from.toLowerCase() || m.envelope.address.toLowerCase() !== m.from.toLowerCase())
    return { check: 'message', detail: `signed from ${from}, published from ${m.from}` };
  if (m.envelope.sig.toLowerCase() !== m.signature.toLowerCase()) return { check: 'message', detail: 'the envelope signature differs from the published one' };
  if (m.legacyReceipt !== null) {
    const receiptBy = recovered ? recovered.receiptBy : recoverSigner(receiptDigest(m.id, Date.parse(m.receivedAt)), m.legacyReceipt);
    if (receiptBy?.toLowerCase() !== receiptSigner.toLowerCase())
      return { check: 'receipt', detail: `receipt over (id, receivedAt ${m.receivedAt}) is not signed by the receipt key ${receiptSigner}` };
  }
  if (provider) {
    const verdict = await checkSignature(provider, from, digest, m.signature, m.sigBlock, recovered?.signer);
    if (verdict.ok === false) return { check: 'signature', detail: verdict.problem };
    if (verdict.ok === null) return { note: verdict.note };
    return null;
  }
  if ((recovered ? recovered.signer : recoverSigner(digest, m.signature))?.toLowerCase() === from.toLowerCase()) return null;
  // A contract wallet's signature needs the chain at the recorded block.
  if (m.sigBlock !== null) return { note: `${m.sigKind} signature not checked without --rpc` };
  return { check: 'signature', detail: 'not a valid ECDSA signature of its signer' };
}

function checkSpaceHistory(
  changes: SpaceChange[],
  messages: Message[],
  proposal: Proposal,
  rules: Rules,
  diff: (c: Difference['check'], s: string, d: string) => void,
): void {
  const byId = new Map(messages.map((m) => [m.id.toLowerCase(), m]));
  let previousAdmins: string[] | null = null;
  let inForce: SpaceChange | null = null;
  for (const change of changes) {
    const m = byId.get(change.messageId.toLowerCase());
    const signer = (m?.from ?? change.actor).toLowerCase();
    const admins = (previousAdmins ?? change.settings.admins ?? []).map((a) => a.toLowerCase());
    if (!admins.includes(signer)) diff('space', change.messageId, `settings changed by ${signer}, not an admin of the settings it replaced`);
    if (m && m.type !== 'Space') diff('space', change.messageId, `a settings change made by a ${m.type} message`);
    previousAdmins = change.settings.admins ?? [];
    if (Date.parse(change.at) <= Date.parse(proposal.createdAt)) inForce = change;
  }
  if (!inForce) diff('space', proposal.space, 'no settings change before the proposal was created');
  else if (JSON.stringify(inForce.settings) !== JSON.stringify(rules.settings))
    diff('space', 'rules.settings', `the proposal's rules are not the space settings in force at its creation (change ${inForce.messageId})`);
}

function checkProposalFields(proposal: Proposal, m: Message, diff: (c: Difference['check'], s: string, d: string) => void): void {
  const signed = m.envelope.data.message as Record<string, unknown>;
  const published: Record<string, unknown> = {
    from: proposal.author,
    space: proposal.space,
    title: proposal.title,
    body: proposal.body,
    discussion: proposal.discussion,
    choices: proposal.choices,
    votingType: proposal.votingType,
    snapshot: Number(proposal.snapshot),
    execution: proposal.execution,
    payloadHash: proposal.payloadHash,
    idea: proposal.idea ?? '',
  };
  for (const [field, value] of Object.entries(published)) {
    const a = typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value) ? value.toLowerCase() : JSON.stringify(value);
    const b =
      typeof signed[field] === 'string' && /^0x[0-9a-fA-F]+$/.test(signed[field]) ? (signed[field] as string).toLowerCase() : JSON.stringify(signed[field]);
    if (a !== b) diff('proposal', field, `published ${String(a).slice(0, 80)}, signed ${String(b).slice(0, 80)}`);
  }
  // A Proposal signed before kinds carries no kind: it is "default".
  const signedKind = typeof signed.kind === 'string' ? signed.kind : 'default';
  if ((proposal.kind ?? 'default') !== signedKind) diff('proposal', 'kind', `published ${proposal.kind}, signed ${signedKind}`);
}

/** Open and close times of each stage from the lifecycle history. */
function stageWindows(transitions: Transition[]): Map<number, { open: number | null; close: number | null }> {
  const out = new Map<number, { open: number | null; close: number | null }>();
  for (const [stage, state] of Object.entries(STAGE_STATE)) {
    const open = transitions.find((t) => t.to === state);
    const close = transitions.find((t) => t.from === state);
    out.set(Number(stage), { open: open ? Date.parse(open.at) : null, close: close ? Date.parse(close.at) : null });
  }
  return out;
}

function compareResult(
  stage: number,
  result: StageResult,
  tally: Tally,
  outcome: ReturnType<typeof decide>,
  rules: Rules['stages'][number],
  diff: (c: Difference['check'], s: string, d: string) => void,
): void {
  const field = (name: string, published: unknown, recomputed: unknown) => {
    if (JSON.stringify(published) !== JSON.stringify(recomputed))
      diff('tally', `stage ${stage} ${name}`, `published ${JSON.stringify(published)}, recounted from the signed messages ${JSON.stringify(recomputed)}`);
  };
  field('votingType', result.votingType, rules.votingType);
  field('choices', result.choices, rules.choices);
  field('quorum', result.quorum, rules.quorum);
  field('voterCount', result.voterCount, tally.voterCount);
  field('totalPower', result.totalPower, tally.totalPower.toString());
  tally.scores.forEach((score, i) => field(`scores[${i}]`, result.scores[i], score.toString()));
  if (result.scores.length !== tally.scores.length) field('scores.length', result.scores.length, tally.scores.length);
  tally.scoresByStrategy.forEach((row, i) => field(`scoresByStrategy[${i}]`, result.scoresByStrategy[i], row.map(String)));
  field('quorumReached', result.quorumReached, outcome.quorumReached);
  field('passed', result.passed, outcome.passed);
  field('winningChoice', result.winningChoice, outcome.winningChoice);
  field('outcome', result.outcome, outcome.outcome);
}

const supplyReader = new Interface(['function totalSupply() view returns (uint256)']);

/** A quorum as the rules resolved it: the absolute power, or bps of the token's supply at the snapshot block (read from the chain). */
async function checkQuorum(
  provider: JsonRpcProvider | null,
  stage: Rules['stages'][number],
  token: string | undefined,
  snapshot: number,
  diff: (c: Difference['check'], s: string, d: string) => void,
): Promise<void> {
  const rule = stage.quorumRule;
  let expected: string | null = null;
  if (rule.kind === 'absolute') expected = String(rule.power);
  else if (rule.kind === 'supply-fraction' && provider && token) {
    const answer = await provider.call({ to: token, data: supplyReader.encodeFunctionData('totalSupply'), blockTag: snapshot });
    const supply = BigInt(supplyReader.decodeFunctionResult('totalSupply', answer)[0] as bigint);
    expected = ((supply * BigInt(rule.bps ?? 0)) / 10_000n).toString();
  }
  if (expected !== null && expected !== stage.quorum)
    diff(
      'tally',
      `stage ${stage.stage} quorum`,
      `the rules resolved ${stage.quorum}, ${rule.kind === 'absolute' ? 'the setting says' : `${rule.bps} bps of the supply at block ${snapshot} is`} ${expected}`,
    );
}

/** The state must follow the results: a stage that passed opens the next step, one that failed defeats the proposal. */
function checkLifecycle(proposal: Proposal, transitions: Transition[], diff: (c: Difference['check'], s: string, d: string) => void): void {
  for (const result of proposal.results) {
    const state = STAGE_STATE[result.stage];
    const next = transitions.find((t) => t.from === state);
    if (!next || next.to === 'cancelled') continue;
    const defeated = next.to === 'defeated';
    if (defeated === result.passed)
      diff('tally', `stage ${result.stage} outcome`, `the stage ${result.passed ? 'passed' : 'failed'} but the proposal moved to ${next.to}`);
  }
}

/** Strategy parts the chain cannot give (off-chain ledger) are taken from the server, and said so. */
async function completeParts(api: Api, id: string, voter: string, r: RecomputedPower, offChain: Set<string>): Promise<bigint[]> {
  if (r.byStrategy.every((p) => p !== null)) return r.byStrategy as bigint[];
  r.unavailable.forEach((why) => why && offChain.add(why));
  const server = await serverParts(api, id, voter);
  return r.byStrategy.map((p, i) => p ?? server[i] ?? 0n);
}

async function serverParts(api: Api, id: string, voter: string): Promise<bigint[]> {
  const answer = await api.get<{ byStrategy: string[] }>(`/api/proposals/${id}/power/${voter}`);
  return answer.byStrategy.map(BigInt);
}
