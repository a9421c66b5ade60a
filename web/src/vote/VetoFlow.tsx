/**
 * A council member's veto: the connected wallet signs the `Veto` EIP-712 message (types from
 * GET /api/info) and it is posted like a vote. Refusals are shown with the server's code and message
 * (VETO_WINDOW_CLOSED names the deadline). Shown only to a connected member who has not vetoed yet.
 */
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/useApi';
import { explainWithCode } from './errors';
import { nextTimestamp, serverInfo, signAndSend, type Receipt } from './sign';
import { useWallet } from './useWallet';
import { WalletBar } from './WalletBar';

export default function VetoFlow({
  proposal,
  members,
  vetoed,
  onVetoed,
}: {
  proposal: { id: string; space: string };
  members: string[];
  vetoed: string[];
  onVetoed: () => void;
}) {
  const info = useApi('info', () => serverInfo());
  const chainId = info.status === 'ready' ? info.data.domain.chainId : null;
  const wallet = useWallet(chainId);
  const account = wallet.account;
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!wallet.provider || !account) return;
    setSending(true);
    setError(null);
    try {
      const message = { from: account, space: proposal.space, proposal: proposal.id, timestamp: nextTimestamp(), reason };
      setReceipt(await signAndSend(wallet.provider, account, 'Veto', message));
      onVetoed();
    } catch (e) {
      setError(explainWithCode(e));
    } finally {
      setSending(false);
    }
  }

  const member = account !== null && members.includes(account);
  if (chainId === null) return null;
  return (
    <div className="veto-flow">
      <WalletBar wallet={wallet} wantChainId={chainId} />
      {receipt ? (
        <p role="status" data-testid="veto-receipt">
          Your veto is recorded{receipt.verified ? ' (receipt checked)' : ''}.
        </p>
      ) : account && !wallet.wrongNetwork && member && !vetoed.includes(account) ? (
        <form onSubmit={(e) => void submit(e)}>
          <label>
            Reason for the veto
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={5000} />
          </label>
          <button type="submit" disabled={sending}>
            {sending ? 'Signing…' : 'Veto'}
          </button>
        </form>
      ) : account && !member ? (
        <p className="muted">The connected address is not a member of this proposal’s council.</p>
      ) : null}
      {error ? (
        <p className="error" role="alert" data-testid="veto-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
