/**
 * Turns a notification event into a Discord message (an embed) and into the JSON body of a
 * generic webhook. Rendered once, when the event is fanned out, so every retry sends the same.
 */
import { ButtonStyle, ComponentType, type ActionRow, type Embed, type EmbedField, type MessagePayload } from '../discord/api-types.js';
import { discordTime, formatPower, truncate } from '../discord/format.js';
import type { IdeaRecord } from '../ideas/repository.js';
import { remindButton } from '../discord/remind-button.js';
import type { ProposalRecord } from '../../../core/proposals/repository.js';
import { stageVoting } from '../../../core/proposals/rules.js';
import type { SpaceSettings } from '../../spaces/settings.js';
import type { NotificationEvent, TransitionEvent } from './events.js';

export interface RenderContext {
  proposal: ProposalRecord;
  settings: SpaceSettings;
  idea: IdeaRecord | null;
  publicUrl: string;
}

const COLOR = { open: 0x3498db, passed: 0x2ecc71, defeated: 0xe74c3c, neutral: 0x95a5a6, execution: 0x9b59b6 } as const;
const STAGE_LABEL: Record<number, string> = { 1: 'Temperature check', 2: 'Consensus check' };

/** The proposal's page in the members' app (web/, route /proposals/:id), not the JSON API. */
export function proposalUrl(ctx: Pick<RenderContext, 'publicUrl' | 'proposal'>): string {
  return `${ctx.publicUrl}/proposals/${ctx.proposal.id}`;
}

function tallyFields(event: TransitionEvent, ctx: RenderContext): EmbedField[] {
  const detail = event.detail as { stage?: number; outcome?: string; totalPower?: string; voterCount?: number; scores?: string[] } | null;
  if (!detail?.stage || !detail.scores) return [];
  const decimals = ctx.settings.discord?.powerDecimals ?? 18;
  const { choices } = stageVoting(ctx.proposal, detail.stage);
  const total = BigInt(detail.totalPower ?? '0');
  const lines = detail.scores.map((score, i) => {
    const share = total > 0n ? Number((BigInt(score) * 1000n) / total) / 10 : 0;
    return `**${truncate(choices[i] ?? `#${i + 1}`, 60)}**: ${formatPower(score, decimals)} (${share}%)`;
  });
  const quorum = ctx.proposal.rules.quorum[detail.stage === 1 ? 'temperature' : 'consensus'];
  return [
    { name: 'Result', value: truncate(lines.join('\n') || 'no votes', 1024) },
    { name: 'Voters', value: String(detail.voterCount ?? 0), inline: true },
    { name: 'Total power', value: formatPower(total, decimals), inline: true },
    { name: 'Quorum', value: `${formatPower(quorum, decimals)} (${detail.outcome ?? ''})`, inline: true },
  ];
}

function transitionEmbed(event: TransitionEvent, ctx: RenderContext): Embed {
  const { proposal } = ctx;
  const title = truncate(proposal.title, 200);
  const fields: EmbedField[] = [];
  let heading: string;
  let color: number = COLOR.open;
  // A late quorum keeps the stage open (from = to) and moves its end: not a close.
  const closedStage = event.cause === 'late-quorum' ? null : event.from === 'temperature' ? 1 : event.from === 'consensus' ? 2 : null;
  if (event.cause === 'late-quorum') {
    const detail = event.detail as { stage?: number; end?: string; quorumReachedAt?: string } | null;
    heading = `${STAGE_LABEL[detail?.stage ?? 0] ?? 'Stage'} extended: quorum reached late`;
    if (detail?.quorumReachedAt) fields.push({ name: 'Quorum reached', value: discordTime(new Date(detail.quorumReachedAt)), inline: true });
    if (detail?.end) fields.push({ name: 'Now closes', value: discordTime(new Date(detail.end)), inline: true });
  } else if (closedStage) {
    const passed = event.to !== 'defeated';
    heading = `${STAGE_LABEL[closedStage]} closed: ${passed ? 'passed' : 'defeated'}`;
    color = passed ? COLOR.passed : COLOR.defeated;
    fields.push(...tallyFields(event, ctx));
    if (event.to === 'consensus' && proposal.consensusEnd)
      fields.push({ name: 'Consensus check', value: `open, closes ${discordTime(proposal.consensusEnd)}` });
    if (event.to === 'awaiting-advance') fields.push({ name: 'Next', value: 'waiting for the author to open the consensus check' });
    if (event.to === 'queued') fields.push({ name: 'Next', value: 'queued for on-chain execution' });
  } else if (event.to === 'temperature') {
    heading = 'Temperature check open';
    fields.push({ name: 'Closes', value: discordTime(proposal.temperatureEnd), inline: true });
    fields.push({ name: 'Voting', value: stageVoting(proposal, 1).votingType, inline: true });
  } else if (event.to === 'pending') {
    heading = 'New proposal';
    fields.push({ name: 'Temperature check opens', value: discordTime(proposal.temperatureStart), inline: true });
  } else if (event.to === 'consensus') {
    heading = 'Consensus check open';
    if (proposal.consensusEnd) fields.push({ name: 'Closes', value: discordTime(proposal.consensusEnd), inline: true });
  } else if (event.to === 'cancelled') {
    heading = 'Proposal cancelled';
    color = COLOR.neutral;
  } else {
    heading = `Proposal ${event.to}`;
  }
  if (ctx.idea?.discussionUrl) fields.push({ name: 'From idea', value: `[${truncate(ctx.idea.title, 80)}](${ctx.idea.discussionUrl})` });
  return {
    title: truncate(`${heading}: ${title}`, 256),
    url: proposalUrl(ctx),
    color,
    fields,
    footer: { text: `${proposal.spaceId} · ${proposal.id.slice(0, 10)}…` },
    timestamp: event.at,
  };
}

function executionEmbed(event: Extract<NotificationEvent, { type: 'proposal.execution' }>, ctx: RenderContext): Embed {
  const headings: Record<string, string> = {
    scheduled: 'Scheduled in the timelock',
    executed: 'Executed on chain',
    failed: 'Execution failed',
    cancelled: 'Execution cancelled',
  };
  const fields: EmbedField[] = Object.entries(event.detail)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
    .slice(0, 10)
    .map(([name, value]) => ({ name, value: truncate(String(value), 1024), inline: true }));
  return {
    title: truncate(`${headings[event.status] ?? `Execution ${event.status}`}: ${ctx.proposal.title}`, 256),
    url: proposalUrl(ctx),
    color: event.status === 'failed' ? COLOR.defeated : COLOR.execution,
    fields,
    footer: { text: `${ctx.proposal.spaceId} · ${ctx.proposal.id.slice(0, 10)}…` },
    timestamp: event.at,
  };
}

/**
 * A stage that opens: its announcement carries a Vote button to the proposal page of the members'
 * app, and "Remind me by DM" (members with a linked wallet; discord/remind-button.ts).
 */
function voteButton(event: NotificationEvent, ctx: RenderContext): ActionRow[] {
  if (event.type !== 'proposal.transition' || (event.to !== 'temperature' && event.to !== 'consensus')) return [];
  const stage = event.to === 'temperature' ? 1 : 2;
  return [
    {
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Link, label: 'Vote', url: proposalUrl(ctx) }, remindButton(ctx.proposal.id, stage)],
    },
  ];
}

function warningEmbed(event: Extract<NotificationEvent, { type: 'proposal.warning' }>, ctx: RenderContext): Embed {
  const detail = event.detail as { multiple?: number; lookbackBlocks?: number; voters?: { address: string; power: string; earlierPower: string }[] };
  const decimals = ctx.settings.discord?.powerDecimals ?? 18;
  const voters = detail.voters ?? [];
  const lines = voters.slice(0, 15).map((v) => `\`${v.address}\`: ${formatPower(v.earlierPower, decimals)} → ${formatPower(v.power, decimals)}`);
  if (voters.length > 15) lines.push(`… and ${voters.length - 15} more`);
  return {
    title: truncate(`Power spike in the ${STAGE_LABEL[event.stage]?.toLowerCase() ?? `stage ${event.stage}`}: ${ctx.proposal.title}`, 256),
    url: proposalUrl(ctx),
    color: COLOR.defeated,
    description: truncate(
      `${voters.length} voter(s) had more than ${detail.multiple ?? '?'}× their power of ${detail.lookbackBlocks ?? '?'} blocks before the snapshot. They are counted; this is a warning.`,
      4096,
    ),
    fields: [{ name: 'Voters (earlier → at the snapshot)', value: truncate(lines.join('\n') || 'none', 1024) }],
    footer: { text: `${ctx.proposal.spaceId} · ${ctx.proposal.id.slice(0, 10)}…` },
    timestamp: event.at,
  };
}

export function discordNotification(event: NotificationEvent, ctx: RenderContext): MessagePayload {
  const embed =
    event.type === 'proposal.transition'
      ? transitionEmbed(event, ctx)
      : event.type === 'proposal.warning'
        ? warningEmbed(event, ctx)
        : executionEmbed(event, ctx);
  const components = voteButton(event, ctx);
  // Titles are user text: never let them mention @everyone or anyone else.
  return { embeds: [embed], ...(components.length > 0 ? { components } : {}), allowed_mentions: { parse: [] } };
}

/** The JSON a generic webhook receives (docs/api.md#notifications). */
export function webhookPayload(event: NotificationEvent, ctx: RenderContext) {
  const { proposal } = ctx;
  return {
    id: event.id,
    type: event.type,
    space: proposal.spaceId,
    proposal: {
      id: proposal.id,
      title: proposal.title,
      author: proposal.author,
      state: proposal.state,
      discussion: proposal.discussion,
      idea: proposal.ideaId,
      url: proposalUrl(ctx),
    },
    ...(event.type === 'proposal.transition'
      ? { transition: { from: event.from, to: event.to, at: event.at, cause: event.cause, detail: event.detail } }
      : event.type === 'proposal.warning'
        ? { warning: { kind: event.kind, stage: event.stage, at: event.at, detail: event.detail } }
        : { execution: { status: event.status, at: event.at, detail: event.detail } }),
  };
}
