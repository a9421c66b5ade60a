import type { Proposal } from '../api/types';
import { Link } from '../router/Link';
import { proposalPath } from '../router/routes';
import { AddressView } from './AddressView';
import { StateBadge } from './StateBadge';
import { Time } from './Time';

export function ProposalRow({ proposal }: { proposal: Proposal }) {
  return (
    <li className="proposal-row">
      <StateBadge state={proposal.state} />
      <Link to={proposalPath(proposal.id)} className="title">
        {proposal.title}
      </Link>
      <span className="meta">
        by <AddressView address={proposal.author} /> · <Time at={proposal.createdAt} />
      </span>
    </li>
  );
}
