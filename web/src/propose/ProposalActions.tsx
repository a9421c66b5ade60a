/**
 * Moderators, admins and the author cancel a proposal; the author advances it to the consensus check
 * when the space says so (advance = author). Signed CancelProposal / AdvanceProposal messages.
 */
import { useState } from 'react';
import { explain } from '../vote/errors';
import { nextTimestamp, serverInfo, signAndSend } from '../vote/sign';
import { useApi } from '../api/useApi';
import { useWallet } from '../vote/useWallet';
import { WalletBar } from '../vote/WalletBar';

export default function ProposalActions({
  proposal,
  settings,
  onDone,
}: {
  proposal: { id: string; space: string; author: string; state: string };
  settings: { admins?: string[]; moderators?: string[] };
  onDone: () => void;
}) {
  const info = useApi('info', () => serverInfo());
  const chainId = info.status === 'ready' ? info.data.domain.chainId : null;
  const wallet = useWallet(chainId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const closed = ['accepted', 'queued', 'defeated', 'cancelled'].includes(proposal.state);
  if (closed || chainId === null) return null;
  const me = wallet.account;
  const isAuthor = me === proposal.author.toLowerCase();
  const mayCancel =
    me !== null && (isAuthor || (settings.moderators ?? []).some((a) => a.toLowerCase() === me) || (settings.admins ?? []).some((a) => a.toLowerCase() === me));
  const mayAdvance = isAuthor && proposal.state === 'awaiting-advance';

  async function act(type: 'CancelProposal' | 'AdvanceProposal', label: string) {
    if (!wallet.provider || !me) return;
    setBusy(true);
    setError(null);
    try {
      await signAndSend(wallet.provider, me, type, { from: me, space: proposal.space, proposal: proposal.id, timestamp: nextTimestamp() });
      setDone(label);
      onDone();
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="actions-heading" className="proposal-actions">
      <h2 id="actions-heading">Manage</h2>
      {me ? null : <WalletBar wallet={wallet} wantChainId={chainId} />}
      {me && !wallet.wrongNetwork ? (
        <>
          {mayAdvance ? (
            <button type="button" disabled={busy} onClick={() => void act('AdvanceProposal', 'The consensus check is open.')}>
              Sign: open the consensus check
            </button>
          ) : null}
          {mayCancel ? (
            <button type="button" disabled={busy} onClick={() => void act('CancelProposal', 'The proposal is cancelled.')}>
              Sign: cancel this proposal
            </button>
          ) : (
            !mayAdvance && <p className="muted">Only the author, a moderator or an admin can manage this proposal.</p>
          )}
        </>
      ) : null}
      {done ? <p role="status">{done}</p> : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
