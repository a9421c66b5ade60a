/**
 * The reminder emails: subject, plain text and HTML, and the headers every one carries. Each email
 * has a one-click unsubscribe (RFC 8058: List-Unsubscribe with an https URI and
 * List-Unsubscribe-Post: List-Unsubscribe=One-Click; mail clients POST to the URI) and the same
 * link in its body. X-Govrelay-Delivery names the email (its delivery key) so a reader can tell
 * two emails apart from one.
 */
import type { ProposalRecord } from '../../core/proposals/repository.js';
import type { StageResultRecord } from '../../core/db/stage-results.js';
import type { SubscriptionRecord } from './subscriptions.js';

export interface Email {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface Links {
  publicUrl: string;
}

const STAGE_LABEL: Record<number, string> = { 1: 'temperature check', 2: 'consensus check' };

export const confirmUrl = (links: Links, sub: Pick<SubscriptionRecord, 'confirmToken'>) => `${links.publicUrl}/api/reminders/confirm/${sub.confirmToken}`;
export const unsubscribeUrl = (links: Links, sub: Pick<SubscriptionRecord, 'unsubscribeToken'>) =>
  `${links.publicUrl}/api/reminders/unsubscribe/${sub.unsubscribeToken}`;
export const proposalPageUrl = (links: Links, proposalId: string) => `${links.publicUrl}/proposals/${proposalId}`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Titles are user text: one line, bounded, in a subject. */
function subjectText(text: string): string {
  const line = text.replace(/[\r\n\t]+/g, ' ').trim();
  return line.length <= 120 ? line : `${line.slice(0, 119)}…`;
}

function compose(sub: SubscriptionRecord, links: Links, key: string, subject: string, paragraphs: string[], action: { label: string; url: string }): Email {
  const stop = unsubscribeUrl(links, sub);
  const footer = `You get this because ${sub.subscriber} subscribed this address to ${sub.spaceId} on govrelay. Unsubscribe: ${stop}`;
  const text = [...paragraphs, `${action.label}: ${action.url}`, '', '--', footer, ''].join('\n');
  const html = [
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>`,
    `<hr><p style="font-size:small">You get this because ${escapeHtml(sub.subscriber)} subscribed this address to ${escapeHtml(sub.spaceId)} on govrelay. ` +
      `<a href="${escapeHtml(stop)}">Unsubscribe</a></p>`,
  ].join('\n');
  return {
    subject: subjectText(subject),
    text,
    html,
    headers: { 'List-Unsubscribe': `<${stop}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Govrelay-Delivery': key },
  };
}

export function confirmationEmail(sub: SubscriptionRecord, links: Links, key: string): Email {
  return compose(
    sub,
    links,
    key,
    `Confirm your govrelay reminders for ${sub.spaceId}`,
    [
      `The wallet ${sub.subscriber} asked govrelay to email this address about ${sub.spaceId}: ${describeEvents(sub)}.`,
      'Nothing is sent until you confirm. If you did not ask for this, ignore this email.',
    ],
    { label: 'Confirm', url: confirmUrl(links, sub) },
  );
}

function describeEvents(sub: SubscriptionRecord): string {
  const parts: string[] = [];
  if (sub.events.includes('proposal')) parts.push('new proposals');
  if (sub.events.includes('closing')) parts.push(`a reminder ${sub.closingHours} hours before a vote closes if the wallet has not voted`);
  if (sub.events.includes('results')) parts.push('results');
  return parts.join(', ');
}

export function newProposalEmail(sub: SubscriptionRecord, links: Links, key: string, proposal: ProposalRecord): Email {
  return compose(
    sub,
    links,
    key,
    `New proposal in ${proposal.spaceId}: ${proposal.title}`,
    [`A new proposal was posted in ${proposal.spaceId}: "${proposal.title}".`, `Its temperature check closes ${proposal.temperatureEnd.toISOString()}.`],
    { label: 'Read and vote', url: proposalPageUrl(links, proposal.id) },
  );
}

export function closingEmail(sub: SubscriptionRecord, links: Links, key: string, proposal: ProposalRecord, stage: number, end: Date): Email {
  const hours = Math.max(1, Math.round((end.getTime() - Date.now()) / 3_600_000));
  return compose(
    sub,
    links,
    key,
    `Closes in ${hours} h and you have not voted: ${proposal.title}`,
    [
      `The ${STAGE_LABEL[stage]} of "${proposal.title}" in ${proposal.spaceId} closes ${end.toISOString()} (in about ${hours} h).`,
      `${sub.subscriber} has not voted in it yet.`,
    ],
    { label: 'Vote', url: proposalPageUrl(links, proposal.id) },
  );
}

export function resultsEmail(sub: SubscriptionRecord, links: Links, key: string, proposal: ProposalRecord, result: StageResultRecord): Email {
  const choices = Array.isArray(result.choices) ? (result.choices as string[]) : proposal.choices;
  const scores = Array.isArray(result.scores) ? (result.scores as string[]) : [];
  const lines = scores.map((score, i) => `${choices[i] ?? `#${i + 1}`}: ${score}`);
  return compose(
    sub,
    links,
    key,
    `${result.passed ? 'Passed' : 'Defeated'}: ${proposal.title} (${STAGE_LABEL[result.stage]})`,
    [
      `The ${STAGE_LABEL[result.stage]} of "${proposal.title}" in ${proposal.spaceId} closed: ${result.outcome}.`,
      `Voters: ${result.voterCount}. Total power: ${result.totalPower} (quorum ${result.quorum}, ${result.quorumReached ? 'reached' : 'not reached'}).`,
      ...lines,
    ],
    { label: 'See the results', url: proposalPageUrl(links, proposal.id) },
  );
}
