/**
 * Interaction responses and the messages govrelay posts in Discord. Every message sets
 * allowed_mentions to nothing: titles and descriptions are user text, and must never ping
 * @everyone or anyone else through the bot.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  ResponseType,
  type ActionRow,
  type Embed,
  type EmbedField,
  type InteractionResponse,
  type MessagePayload,
} from './api-types.js';
import { discordTime, formatPower, shortAddress, truncate } from './format.js';
import type { IdeaRecord, SupportSummary } from '../ideas/repository.js';
import { meetsThreshold, type PromotionThreshold } from '../ideas/promotion.js';
import type { ProposalRecord } from '../../../core/proposals/repository.js';

export const NO_MENTIONS = { parse: [] as string[] };
const COLOR = { idea: 0xf1c40f, promoted: 0x2ecc71, withdrawn: 0x95a5a6, info: 0x3498db, error: 0xe74c3c } as const;

export function reply(payload: MessagePayload, options: { ephemeral?: boolean } = {}): InteractionResponse {
  return {
    type: ResponseType.ChannelMessage,
    data: { ...payload, allowed_mentions: NO_MENTIONS, ...(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) },
  };
}

/** A private answer only the user sees. */
export function ephemeral(content: string): InteractionResponse {
  return reply({ content }, { ephemeral: true });
}

export function deferred(options: { ephemeral?: boolean } = {}): InteractionResponse {
  return { type: ResponseType.DeferredChannelMessage, ...(options.ephemeral ? { data: { flags: MessageFlags.Ephemeral } } : {}) };
}

export function deferredUpdate(): InteractionResponse {
  return { type: ResponseType.DeferredUpdateMessage };
}

export function updateMessage(payload: MessagePayload): InteractionResponse {
  return { type: ResponseType.UpdateMessage, data: { ...payload, allowed_mentions: NO_MENTIONS } };
}

export function pong(): InteractionResponse {
  return { type: ResponseType.Pong };
}

/** Component custom ids: idea:<action>:<ideaId>. */
export const IDEA_ACTIONS = ['support', 'unsupport', 'withdraw'] as const;
export type IdeaAction = (typeof IDEA_ACTIONS)[number];
export const ideaCustomId = (action: IdeaAction, ideaId: string) => `idea:${action}:${ideaId}`;

export interface IdeaView {
  idea: IdeaRecord;
  summary: SupportSummary;
  threshold: PromotionThreshold;
  publicUrl: string;
  decimals: number;
}

function progress(value: string, required: string | null): string {
  return required === null ? value : `${value} / ${required}`;
}

/** The idea's message: what it proposes, its support against the threshold, and its buttons. */
export function ideaMessage(view: IdeaView): MessagePayload {
  const { idea, summary, threshold, publicUrl, decimals } = view;
  const fields: EmbedField[] = [
    { name: 'Author', value: `<@${idea.authorDiscordId}>`, inline: true },
    { name: 'Supporters', value: progress(String(summary.supporters), threshold.minSupporters > 0 ? String(threshold.minSupporters) : null), inline: true },
    {
      name: 'Support power',
      value: progress(formatPower(summary.power, decimals), threshold.minSupportPower > 0n ? formatPower(threshold.minSupportPower, decimals) : null),
      inline: true,
    },
  ];
  const components: ActionRow[] = [];
  let color: number = COLOR.idea;
  if (idea.state === 'open') {
    const ready = meetsThreshold(summary, threshold);
    fields.push({ name: 'Status', value: ready ? 'Ready: the author can turn it into a proposal' : 'Open for support (link your wallet with /link)' });
    components.push({
      type: ComponentType.ActionRow,
      components: [
        { type: ComponentType.Button, style: ButtonStyle.Success, label: 'Support', custom_id: ideaCustomId('support', idea.id) },
        { type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Remove support', custom_id: ideaCustomId('unsupport', idea.id) },
        { type: ComponentType.Button, style: ButtonStyle.Danger, label: 'Withdraw', custom_id: ideaCustomId('withdraw', idea.id) },
      ],
    });
    if (ready) {
      components.push({
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Link, label: 'Turn into a proposal', url: `${publicUrl}/discord/promote?idea=${idea.id}` },
        ],
      });
    }
  } else if (idea.state === 'promoted' && idea.proposalId) {
    color = COLOR.promoted;
    fields.push({ name: 'Status', value: `Promoted to proposal \`${idea.proposalId.slice(0, 10)}…\`` });
    components.push({
      type: ComponentType.ActionRow,
      components: [{ type: ComponentType.Button, style: ButtonStyle.Link, label: 'View proposal', url: `${publicUrl}/proposals/${idea.proposalId}` }],
    });
  } else {
    color = COLOR.withdrawn;
    fields.push({ name: 'Status', value: 'Withdrawn by the author' });
  }
  const embed: Embed = {
    title: truncate(`💡 ${idea.title}`, 256),
    description: truncate(idea.description, 4000),
    color,
    fields,
    footer: { text: `Idea ${idea.id} · ${idea.spaceId}` },
    timestamp: idea.createdAt.toISOString(),
  };
  return { embeds: [embed], components, allowed_mentions: NO_MENTIONS };
}

export function ideasListMessage(spaceId: string, items: { idea: IdeaRecord; summary: SupportSummary }[], decimals: number): MessagePayload {
  const lines = items.map(({ idea, summary }) => {
    const where = idea.discussionUrl ? ` · [discussion](${idea.discussionUrl})` : '';
    return `**${truncate(idea.title, 80)}** (\`${idea.id}\`): ${summary.supporters} supporters, ${formatPower(summary.power, decimals)} power${where}`;
  });
  return {
    embeds: [
      {
        title: `Open ideas in ${spaceId}`,
        description: truncate(lines.join('\n') || 'No open ideas. Post one with /idea.', 4000),
        color: COLOR.info,
      },
    ],
    allowed_mentions: NO_MENTIONS,
  };
}

export function linkMessage(url: string, expiry: number, current: string | null): MessagePayload {
  return {
    content: [
      current ? `Your Discord account is linked to \`${shortAddress(current)}\`; signing again replaces that link.` : 'Link your wallet to take part in ideas.',
      `Open the page below and sign the LinkDiscord message with your wallet. The link works once and expires ${discordTime(new Date(expiry * 1000))}.`,
    ].join('\n'),
    components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Link, label: 'Link my wallet', url }] }],
    allowed_mentions: NO_MENTIONS,
  };
}

export interface StatusView {
  proposal: ProposalRecord;
  stage: 1 | 2 | null;
  live: boolean;
  choices: string[];
  scores: string[];
  totalPower: string;
  voterCount: number;
  quorum: string | null;
  closesAt: Date | null;
  url: string;
  decimals: number;
}

export function proposalStatusMessage(view: StatusView): MessagePayload {
  const { proposal, decimals } = view;
  const total = BigInt(view.totalPower);
  const lines = view.choices.map((choice, i) => {
    const score = BigInt(view.scores[i] ?? '0');
    const share = total > 0n ? Number((score * 1000n) / total) / 10 : 0;
    return `**${truncate(choice, 60)}**: ${formatPower(score, decimals)} (${share}%)`;
  });
  const stageName = view.stage === 1 ? 'Temperature check' : view.stage === 2 ? 'Consensus check' : 'No stage';
  const fields: EmbedField[] = [
    { name: 'State', value: proposal.state, inline: true },
    { name: 'Stage', value: `${stageName}${view.stage ? (view.live ? ' (live)' : ' (final)') : ''}`, inline: true },
  ];
  if (view.closesAt) fields.push({ name: 'Time left', value: `closes ${discordTime(view.closesAt)}`, inline: true });
  if (view.stage) {
    fields.push({ name: 'Tally', value: truncate(lines.join('\n') || 'no votes yet', 1024) });
    fields.push({ name: 'Voters', value: String(view.voterCount), inline: true });
    fields.push({
      name: 'Power',
      value: view.quorum ? `${formatPower(total, decimals)} / quorum ${formatPower(view.quorum, decimals)}` : formatPower(total, decimals),
      inline: true,
    });
  }
  return {
    embeds: [{ title: truncate(proposal.title, 256), url: view.url, color: COLOR.info, fields, footer: { text: `${proposal.spaceId} · ${proposal.id}` } }],
    allowed_mentions: NO_MENTIONS,
  };
}
