/**
 * Proposal messages. Checks, in order: the space and the kind the proposal names, the fields and
 * their limits, the voting type, the execution payload against its signed hash and the kind's
 * permissions and payload limits, the snapshot block (mined, strictly before the latest block, and
 * no older than the space's maxSnapshotAge), the kind's proposal gate and the author's limit. Then
 * the proposal is stored with the space's rules as they are now with its kind applied, the quorums
 * resolved at the snapshot, and the code hash of every payload target (which the relayer re-checks
 * before schedule and execute).
 */
import { codePointCount } from '../http/text-length.js';
import type pg from 'pg';
import { keccak256, type JsonRpcProvider } from 'ethers';
import { ForbiddenError, InvalidInputError, NotFoundError, UpstreamError } from '../../core/errors.js';
import { withTransaction, type Queryable } from '../../core/db/transaction.js';
import { lockAuthorInSpace } from '../../core/db/locks.js';
import { recordMessage, type Submission } from '../messages/submission.js';
import type { MessageHandler } from '../messages/registry.js';
import type { SpaceSettings, StageSettings } from '../spaces/settings.js';
import { BASIC_CHOICES, VOTING_TYPES, type VotingType } from '../../core/tally/types.js';
import type { MulticallReader } from '../../core/chain/multicall.js';
import { totalSupplyAt } from '../../core/chain/token.js';
import type { VotingPowerService } from '../votes/voting-power.js';
import { initialState } from '../../core/lifecycle/state-machine.js';
import { PROPOSAL_LIMITS } from '../../core/proposals/limits.js';
import { hashPayload, parsePayload, ZERO_HASH } from '../../core/proposals/payload.js';
import { countActiveProposals, findProposal, insertProposal, type ExecutionPayload, type ProposalRecord } from '../../core/proposals/repository.js';
import { insertCreatedTransition } from '../../core/db/proposal-transitions.js';
import { stageVoting, type ProposalRules } from '../../core/proposals/rules.js';
import { findSpaceSettings } from '../../core/db/spaces.js';
import { checkKindExecution, checkKindPayload, resolveKind, settingsForKind, type ProposalKind } from '../../core/proposals/kinds.js';
import { snapshotTooOld } from '../../core/chain/snapshot-age.js';

/**
 * A proposal that names an idea (the `idea` field) promotes it. The ideation feature
 * (server/ideation/ideas/promotion.ts) provides this hook; the core knows nothing else about ideas.
 */
export interface IdeaPromotionHook {
  /** Before anything is stored: throws why this proposal may not promote the idea, else answers the promotion to record. */
  check(input: {
    ideaId: string;
    spaceId: string;
    /** The proposal's signer, lowercase. */
    from: string;
    discussion: string;
    settings: SpaceSettings;
    snapshotBlock: bigint;
    snapshotTime: bigint;
  }): Promise<IdeaPromotion>;
}

export interface IdeaPromotion {
  ideaId: string;
  /** Inside the proposal's transaction, before the proposal row: marks the idea promoted, or fails the whole creation. */
  record(client: Queryable, proposalId: string): Promise<void>;
}

/** Hooks other features attach to proposal creation (set once at start, before the first message). */
export interface ProposalHooks {
  promotion?: IdeaPromotionHook;
}

export interface CreateProposalDeps {
  pool: pg.Pool;
  provider: JsonRpcProvider;
  multicall: MulticallReader;
  power: VotingPowerService;
  hooks: ProposalHooks;
}

const EXECUTION_MODES = ['', 'timelock', 'governor'] as const;

function invalid(code: string, message: string): InvalidInputError {
  return new InvalidInputError(code, message);
}

function checkFields(message: Submission<'Proposal'>['message']): void {
  const L = PROPOSAL_LIMITS;
  if (message.title.trim().length === 0 || codePointCount(message.title, L.titleMaxChars + 1) > L.titleMaxChars)
    throw invalid('INVALID_TITLE', `title must be 1 to ${L.titleMaxChars} characters`);
  if (codePointCount(message.body, L.bodyMaxChars + 1) > L.bodyMaxChars) throw invalid('BODY_TOO_LONG', `body must be at most ${L.bodyMaxChars} characters`);
  if (codePointCount(message.discussion, L.discussionMaxChars + 1) > L.discussionMaxChars)
    throw invalid('INVALID_DISCUSSION', `discussion must be at most ${L.discussionMaxChars} characters`);
  if (message.discussion !== '' && !/^https:\/\/\S+$/.test(message.discussion))
    throw invalid('INVALID_DISCUSSION', 'discussion must be an https:// link or empty');
  if (!(VOTING_TYPES as readonly string[]).includes(message.votingType)) {
    throw invalid('INVALID_VOTING_TYPE', `votingType must be one of ${VOTING_TYPES.join(', ')}`);
  }
  if (message.votingType === 'basic') {
    if (message.choices.join('\n') !== BASIC_CHOICES.join('\n'))
      throw invalid('INVALID_CHOICES', `basic proposals have the choices ${BASIC_CHOICES.join(', ')}`);
    return;
  }
  if (message.choices.length < L.minChoices || message.choices.length > L.maxChoices)
    throw invalid('INVALID_CHOICES', `a proposal has ${L.minChoices} to ${L.maxChoices} choices`);
  if (message.choices.some((c) => c.trim().length === 0 || codePointCount(c, L.choiceMaxChars + 1) > L.choiceMaxChars))
    throw invalid('INVALID_CHOICES', `each choice must be 1 to ${L.choiceMaxChars} characters`);
  if (new Set(message.choices).size !== message.choices.length) throw invalid('INVALID_CHOICES', 'choices must be distinct');
}

function checkExecution(message: Submission<'Proposal'>['message'], envelope: unknown, settings: SpaceSettings, kind: ProposalKind): ExecutionPayload | null {
  if (!(EXECUTION_MODES as readonly string[]).includes(message.execution)) {
    throw invalid('INVALID_EXECUTION', `execution must be "", "timelock" or "governor"`);
  }
  checkKindExecution(kind, message.execution);
  const rawPayload = (envelope as { payload?: unknown }).payload;
  if (message.execution === '') {
    if (message.payloadHash !== ZERO_HASH || rawPayload !== undefined)
      throw invalid('INVALID_PAYLOAD', 'a signal proposal has no payload and a zero payloadHash');
    return null;
  }
  if (!settings.executor) throw invalid('NO_EXECUTOR', 'this space has no executor (timelock) for executable proposals');
  if (message.execution === 'governor' && !settings.governor) throw invalid('NO_GOVERNOR', 'this space has no governor for on-chain votes');
  if (rawPayload === undefined) throw invalid('INVALID_PAYLOAD', 'an executable proposal needs the payload { targets, values, calldatas } beside the message');
  const payload = parsePayload(rawPayload);
  if (hashPayload(payload) !== message.payloadHash.toLowerCase()) {
    throw invalid('PAYLOAD_HASH_MISMATCH', 'keccak256(abi.encode(targets, values, calldatas)) does not equal the signed payloadHash');
  }
  checkKindPayload(kind, payload, settings.executor);
  return payload;
}

async function resolveQuorum(stage: StageSettings, token: string, snapshotBlock: bigint, multicall: MulticallReader): Promise<string> {
  if (stage.quorum.kind === 'absolute') return stage.quorum.power;
  const supply = await totalSupplyAt(multicall, token, snapshotBlock);
  return ((supply * BigInt(stage.quorum.bps)) / 10_000n).toString();
}

function promotionHook(deps: CreateProposalDeps, ideaId: string): IdeaPromotionHook {
  // Without the ideation feature no idea exists to promote.
  if (!deps.hooks.promotion) throw new NotFoundError('IDEA_NOT_FOUND', `idea ${ideaId} does not exist (ideas are not enabled on this server)`);
  return deps.hooks.promotion;
}

export async function handleProposalMessage(submission: Submission<'Proposal'>, deps: CreateProposalDeps): Promise<ProposalRecord> {
  const { message, from } = submission;
  const spaceSettings = await findSpaceSettings(deps.pool, message.space);
  if (!spaceSettings) throw new NotFoundError('SPACE_NOT_FOUND', `space ${message.space} does not exist`);
  const kind = resolveKind(spaceSettings, message.kind);
  // From here on the proposal's rules are the space's with its kind applied: gate, stages, extension.
  const settings = settingsForKind(spaceSettings, kind);

  checkFields(message);
  const payload = checkExecution(message, submission.envelope, settings, kind);

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
  // Power held long ago, or bought for a block known in advance, must not vote: the snapshot is recent.
  let oldest;
  try {
    oldest = await snapshotTooOld(deps.provider, latest, message.snapshot, settings.maxSnapshotAge);
  } catch (error) {
    throw new UpstreamError('RPC_ERROR', 'could not read the average block time', { cause: error });
  }
  if (oldest) {
    throw new InvalidInputError(
      'SNAPSHOT_TOO_OLD',
      `snapshot block ${message.snapshot} is too old: the oldest allowed is block ${oldest.block} (${oldest.maxAge} blocks before the latest ${latest}, ${oldest.source})`,
      { details: { snapshot: message.snapshot, oldestAllowed: oldest.block, maxSnapshotAge: oldest.maxAge, latest, source: oldest.source } },
    );
  }

  const rules: ProposalRules = { settings, kind, quorum: { temperature: '0', consensus: '0' } };
  const draft = { votingType: message.votingType as VotingType, choices: message.choices, rules };
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
    if (!settings.members.includes(from) && !settings.admins.includes(from))
      throw new ForbiddenError('NOT_A_MEMBER', `${from} is not a member of ${message.space}`);
  } else if (BigInt(settings.proposalGate.minPower) > 0n) {
    const [authorPower] = await deps.power.compute(subject, [from]);
    if (authorPower!.total < BigInt(settings.proposalGate.minPower)) {
      throw new ForbiddenError(
        'BELOW_PROPOSAL_THRESHOLD',
        `proposing needs ${settings.proposalGate.minPower} voting power at the snapshot; ${from} has ${authorPower!.total}`,
      );
    }
  }
  // A proposal that names an idea promotes it: author's linked wallet, thread link, threshold (the ideation feature's hook).
  const promotion =
    message.idea === ''
      ? null
      : await promotionHook(deps, message.idea).check({
          ideaId: message.idea,
          spaceId: message.space,
          from,
          discussion: message.discussion,
          settings,
          snapshotBlock: subject.snapshotBlock,
          snapshotTime: subject.snapshotTime,
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
  const state = initialState(settings.votingDelay);

  await withTransaction(deps.pool, async (client) => {
    // Serialise one author's creations in a space, so two concurrent ones cannot both pass the limit.
    await lockAuthorInSpace(client, message.space, from);
    const active = await countActiveProposals(client, message.space, from);
    if (active >= settings.maxActiveProposalsPerAuthor) {
      throw new ForbiddenError(
        'PROPOSAL_LIMIT_REACHED',
        `${from} already has ${active} active proposals in ${message.space} (limit ${settings.maxActiveProposalsPerAuthor})`,
      );
    }
    await recordMessage(client, submission, { spaceId: message.space, proposalId: submission.id });
    if (promotion) await promotion.record(client, submission.id);
    await insertProposal(client, {
      id: submission.id,
      spaceId: message.space,
      author: from,
      title: message.title,
      body: message.body,
      discussion: message.discussion,
      choices: message.choices,
      votingType: message.votingType as VotingType,
      snapshotBlock: String(message.snapshot),
      snapshotTime: String(snapshotBlock.timestamp),
      executionMode: message.execution,
      payloadHash: message.payloadHash.toLowerCase(),
      payload,
      targetCodeHashes: codeHashes,
      ideaId: promotion?.ideaId ?? null,
      kind: kind.name,
      state,
      createdAt: created,
      temperatureStart,
      temperatureEnd,
      rules,
    });
    await insertCreatedTransition(client, submission.id, state, created);
  });
  return (await findProposal(deps.pool, submission.id))!;
}

/** The Proposal entry of the message registry (server/messages/registry.ts). */
export function createProposalHandler(deps: CreateProposalDeps): MessageHandler<'Proposal', ProposalRecord> {
  return { type: 'Proposal', handle: (submission) => handleProposalMessage(submission, deps) };
}
