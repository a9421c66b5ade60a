import { apiGet } from '../api/client';
import { useApi } from '../api/useApi';
import type { Proposal } from '../api/types';
import { ExternalLink } from './ExternalLink';

/** The discussion link and, for a promoted Discord idea, the idea's message in Discord. */
export function ProposalLinks({ proposal }: { proposal: Proposal }) {
  const idea = useApi(`idea:${proposal.idea ?? ''}`, (signal) =>
    proposal.idea ? apiGet('/api/ideas/{id}', { path: { id: proposal.idea }, signal }) : Promise.resolve(null),
  );
  const ideaData = idea.status === 'ready' ? idea.data : null;
  const ideaUrl = ideaData?.discord.messageId
    ? `https://discord.com/channels/${ideaData.discord.guildId}/${ideaData.discord.channelId}/${ideaData.discord.messageId}`
    : (ideaData?.discussion ?? null);
  if (!proposal.discussion && !proposal.idea) return null;
  return (
    <p className="links">
      {proposal.discussion ? <ExternalLink href={proposal.discussion}>Discussion</ExternalLink> : null}
      {proposal.idea ? (
        ideaUrl ? (
          <ExternalLink href={ideaUrl}>Discord idea “{ideaData?.title}”</ExternalLink>
        ) : (
          <span>Discord idea {proposal.idea}</span>
        )
      ) : null}
    </p>
  );
}
