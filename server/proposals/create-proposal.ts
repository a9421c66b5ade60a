/**
 * Proposal messages. Checks, in order: the space, the fields and their limits, the voting type,
 * the execution payload against its signed hash, the snapshot block (mined, and strictly before the
 * latest block), the proposal gate and the author's limit. Then the proposal is stored with the
 * space's rules as they are now, the quorums resolved at the snapshot, and the code hash of every
 * payload target (which the relayer re-checks before schedule and execute).
 */
import { codePointCount } from '../http/text-length.js';
import type pg from 'pg';
import { keccak256, type JsonRpcProvider } from 'ethers';
import { withTransaction } from '../db/transaction.js';
import { ForbiddenError, InvalidInputError, NotFoundError, UpstreamError } from '../errors.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import type { SpaceSettings, StageSettings } from '../spaces/settings.js';
import { BASIC_CHOICES, VOTING_TYPES, type VotingType } from '../tally/types.js';
import type { MulticallReader } from '../chain/multicall.js';
import { totalSupplyAt } from '../chain/token.js';
import type { VotingPowerService } from '../votes/voting-power.js';
import { PROPOSAL_LIMITS } from './limits.js';
import { hashPayload, parsePayload, ZERO_HASH } from './payload.js';
import { findProposal, type ExecutionPayload, type ProposalRecord } from './repository.js';
import { stageVoting, type ProposalRules } from './rules.js';
import { ACTIVE_STATES } from './states.js';
import { checkIdeaPromotion, markIdeaPromoted } from '../ideas/promotion.js';

export interface CreateProposalDeps {
  pool: pg.Pool;
  provider: JsonRpcProvider;
  multicall: MulticallReader;
  power: VotingPowerService;
}

const EXECUTION_MODES = ['', 'timelock', 'governor'] as const;

function invalid(code: string, message: string): InvalidInputError {
  return new InvalidInputError(code, message);
}

function checkFields(message: Submission<'Proposal'>['message']): void {
  const L = PROPOSAL_LIMITS;
  if (message.title.trim().length === 0 || codePointCount(message.title, L.titleMaxChars + 1) > L.titleMaxChars) throw invalid('INVALID_TITLE', `title must be 1 to ${L.titleMaxChars} characters`);
  if (codePointCount(message.body, L.bodyMaxChars + 1) > L.bodyMaxChars) throw invalid('BODY_TOO_LONG', `body must be at most ${L.bodyMaxChars} characters`);
  if (codePointCount(message.discussion, L.discussionMaxChars + 1) > L.discussionMaxChars) throw invalid('INVALID_DISCUSSION', `discussion must be at most ${L.discussionMaxChars} characters`);
  if (message.discussion !== '' && !/^https:\/\/\S+$/.test(message.discussion)) throw invalid('INVALID_DISCUSSION', 'discussion must be an https:// link or empty');
  if (!(VOTING_TYPES as readonly string[]).includes(message.votingType)) {
    throw invalid('INVALID_VOTING_TYPE', `votingType must be one of ${VOTING_TYPES.join(', ')}`);
  }
  if (message.votingType === 'basic') {
    if (message.choices.join('\n') !== BASIC_CHOICES.join('\n')) throw invalid('INVALID_CHOICES', `basic proposals have the choices ${BASIC_CHOICES.join(', ')}`);
    return;
  }
  if (message.choices.length < L.minChoices || message.choices.length > L.maxChoices) throw invalid('INVALID_CHOICES', `a proposal has ${L.minChoices} to ${L.maxChoices} choices`);
  if (message.choices.some((c) => c.trim().length === 0 || codePointCount(c, L.choiceMaxChars + 1) > L.choiceMaxChars)) throw invalid('INVALID_CHOICES', `each choice must be 1 to ${L.choiceMaxChars} characters`);
  if (new Set(message.choices).size !== message.choices.length) throw invalid('INVALID_CHOICES', 'choices must be distinct');
}

function checkExecution(message: Submission<'Proposal'>['message'], envelope: unknown, settings: SpaceSettings): ExecutionPayload | null {
  if (!(EXECUTION_MODES as readonly string[]).includes(message.execution)) {
    throw invalid('INVALID_EXECUTION', `execution must be "", "timelock" or "governor"`);
  }
  const rawPayload = (envelope as { payload?: unknown }).payload;
  if (message.execution === '') {
    if (message.payloadHash !== ZERO_HASH || rawPayload !== undefined) throw invalid('INVALID_PAYLOAD', 'a signal proposal has no payload and a zero payloadHash');
    return null;
  }
  if (!settings.executor) throw invalid('NO_EXECUTOR', 'this space has no executor (timelock) for executable proposals');
  if (message.execution === 'governor' && !settings.governor) throw invalid('NO_GOVERNOR', 'this space has no governor for on-chain votes');
  if (rawPayload === undefined) throw invalid('INVALID_PAYLOAD', 'an executable proposal needs the payload { targets, values, calldatas } beside the message');
  const payload = parsePayload(rawPayload);
  if (hashPayload(payload) !== message.payloadHash.toLowerCase()) {
    throw invalid('PAYLOAD_HASH_MISMATCH', 'keccak256(abi.encode(targets, values, calldatas)) does not equal the signed payloadHash');
  }
  return payload;
}

async function resolveQuorum(stage: StageSettings, token: string, snapshotBlock: bigint, multicall: MulticallReader): Promise<string> {
  if (stage.quorum.kind === 'absolute') return stage.quorum.power;
  const supply = await totalSupplyAt(multicall, token, snapshotBlock);
  return ((supply * BigInt(stage.quorum.bps)) / 10_000n).toString();
}

export async function handleProposalMessage(submission: Submission<'Proposal'>, deps: CreateProposalDeps): Promise<ProposalRecord> {
  const { message, from } = submission;
  const { rows } = await deps.pool.query<{ settings: SpaceSettings }>('SELECT settings FROM spaces WHERE id = $1', [message.space]);
  const settings = rows[0]?.settings;
  if (!settings) throw new NotFoundError('SPACE_NOT_FOUND', `space ${message.space} does not exist`);

  checkFields(message);
  const payload = checkExecution(message, submission.envelope, settings);

  // Flash-loan defence: power is read at a block that was already mined before this proposal.
  let latest: number;
  let snapshotBlock;
  try {
    // Ask the node directly: ethers caches getBlockNumber() for a moment, which would refuse a
    // snapshot at a block mined just before.
    latest = Number(await deps.provider.send('eth_blockNumber', []));
    snapshotBlock = message.snapshot <= latest ? await deps.provider.getBlock(message.snapshot) : null;
  } catch (error) {
    throw new UpstreamError('RPC_ERROR', 'could not read the snapshot block', { cause: error });
  }
  if (!snapshotBlock) throw invalid('SNAPSHOT_NOT_MINED', `snapshot block ${message.snapshot} is not mined yet (latest is ${latest})`);
  if (message.snapshot >= latest) throw invalid('SNAPSHOT_NOT_PAST', `snapshot block ${message.snapshot} must be before the latest block ${latest}`);

  const rules: ProposalRules = { settings, quorum: { temperature: '0', consensus: '0' } };
  const draft = { votingType: message.votingType, choices: message.choices, rules };
  if (payload && stageVoting(draft, 2).votingType !== 'basic') {
    throw invalid('INVALID_VOTING_TYPE', 'an executable proposal needs a basic (For/Against/Abstain) consensus check');
  }

  const subject = {
    spaceId: message.space,
    snapshotBlock: BigInt(message.snapshot),
    snapshotTime: BigInt(snapshotBlock.timestamp),
    strategies: settings.strategies,
  };
  if (settings.proposalGate.kind === 'members') {
    if (!settings.members.includes(from) && !settings.admins.includes(from)) throw new ForbiddenError('NOT_A_MEMBER', `${from} is not a member of ${message.space}`);
  } else if (BigInt(settings.proposalGate.minPower) > 0n) {
    const [authorPower] = await deps.power.compute(subject, [from]);
    if (authorPower!.total < BigInt(settings.proposalGate.minPower)) {
      throw new ForbiddenError('BELOW_PROPOSAL_THRESHOLD', `proposing needs ${settings.proposalGate.minPower} voting power at the snapshot; ${from} has ${authorPower!.total}`);
    }
  }
  // A proposal that names an idea promotes it: author's linked wallet, thread link, threshold (server/ideas/promotion.ts).
  const promotion = message.idea === ''
    ? null
    : await checkIdeaPromotion(deps, {
        ideaId: message.idea, spaceId: message.space, from, discussion: message.discussion, settings,
        snapshotBlock: subject.snapshotBlock, snapshotTime: subject.snapshotTime,
      });

  const [temperatureQuorum, consensusQuorum, codeHashes] = await Promise.all([
    resolveQuorum(settings.temperature, settings.token, subject.snapshotBlock, deps.multicall),
    resolveQuorum(settings.consensus, settings.token, subject.snapshotBlock, deps.multicall),
    Promise.all((payload?.targets ?? []).map(async (target) => ({ target, codeHash: keccak256(await deps.provider.getCode(target)) }))),
  ]);
  rules.quorum = { temperature: temperatureQuorum, consensus: consensusQuorum };

  const created = submission.receivedAt;
  const temperatureStart = new Date(created.getTime() + settings.votingDelay * 1000);
  const temperatureEnd = new Date(temperatureStart.getTime() + settings.temperature.period * 1000);
  const state = settings.votingDelay > 0 ? 'pending' : 'temperature';

  await withTransaction(deps.pool, async (client) => {
    // Serialise one author's creations in a space, so two concurrent ones cannot both pass the limit.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 1))', [`${message.space}/${from}`]);
    const active = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM proposals WHERE space_id = $1 AND author = $2 AND state = ANY($3)',
      [message.space, from, ACTIVE_STATES],
    );
    if (active.rows[0]!.n >= settings.maxActiveProposalsPerAuthor) {
      throw new ForbiddenError('PROPOSAL_LIMIT_REACHED', `${from} already has ${active.rows[0]!.n} active proposals in ${message.space} (limit ${settings.maxActiveProposalsPerAuthor})`);
    }
    await recordMessage(client, submission, { spaceId: message.space, proposalId: submission.id });
    if (promotion) await markIdeaPromoted(client, promotion.idea.id, submission.id, promotion.promotion);
    await client.query(
      `INSERT INTO proposals (id, space_id, author, title, body, discussion, choices, voting_type, snapshot_block, snapshot_time,
         execution_mode, payload_hash, payload, target_code_hashes, idea_id, state, created_at, temperature_start, temperature_end,
         rules, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$20,$15,$16,$17,$18,$19,$16)`,
      [
        submission.id, message.space, from, message.title, message.body, message.discussion, JSON.stringify(message.choices),
        message.votingType as VotingType, String(message.snapshot), String(snapshotBlock.timestamp), message.execution,
        message.payloadHash.toLowerCase(), payload ? JSON.stringify(payload) : null, JSON.stringify(codeHashes), state, created,
        temperatureStart, temperatureEnd, JSON.stringify(rules), promotion?.idea.id ?? null,
      ],
    );
    await client.query(
      `INSERT INTO proposal_transitions (proposal_id, from_state, to_state, at, cause, message_id) VALUES ($1, NULL, $2, $3, 'created', $1)`,
      [submission.id, state, created],
    );
  });
  return (await findProposal(deps.pool, submission.id))!;
}
