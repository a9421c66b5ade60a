/**
 * Voting, loaded on demand (the wallet and signing code stay out of the first bundle): connect a
 * wallet, be on the community's network, see your power at the snapshot per strategy before signing,
 * fill the ballot, add a reason, sign (eth_signTypedData_v4 with the server's domain and types), and
 * get a receipt checked in the browser. A previous vote is shown and becomes the starting ballot.
 */
import { useEffect, useState } from 'react';
import { apiGet } from '../api/client';
import { useApi } from '../api/useApi';
import type { StageRules } from '../api/types';
import { choiceText } from '../format/choice';
import type { TokenDisplay } from '../format/token';
import { TokenAmount } from '../components/TokenAmount';
import { Time } from '../components/Time';
import { ballotFromChoice, emptyBallot, encodeBallot, type Ballot } from './choice';
import { BallotForm } from './Ballot';
import { ERROR_SENTENCES, WALLET_SENTENCES, explain } from './errors';
import { nextTimestamp, serverInfo, signAndSend, type Receipt } from './sign';
import { useWallet } from './useWallet';
import { WalletBar } from './WalletBar';

export interface VotePanelProps {
  proposal: { id: string; space: string; snapshot: string; state: string };
  rules: StageRules;
  strategies: { name: string }[];
  token: TokenDisplay;
  /** Each strategy's own unit (format/token.ts): a token's symbol, or "votes". */
  strategyUnits?: TokenDisplay[];
  onVoted?: () => void;
}

export default function VotePanel({ proposal, rules, strategies, token, strategyUnits, onVoted }: VotePanelProps) {
  const info = useApi('info', () => serverInfo());
  const chainId = info.status === 'ready' ? info.data.domain.chainId : null;
  const wallet = useWallet(chainId);
  const account = wallet.account;
  const stage = rules.stage;
  const [round, setRound] = useState(0);

  const mine = useApi(`mine:${proposal.id}:${account ?? ''}:${round}`, async (signal) => {
    if (!account) return null;
    const [power, votes] = await Promise.all([
      apiGet('/api/proposals/{id}/power/{address}', { path: { id: proposal.id, address: account }, signal }),
      apiGet('/api/proposals/{id}/votes/{address}', { path: { id: proposal.id, address: account }, signal }),
    ]);
    return { power, previous: votes.items.find((v) => v.stage === stage) ?? null };
  });

  const [ballot, setBallot] = useState<Ballot>(() => emptyBallot(rules.votingType, rules.choices.length));
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);

  const previous = mine.status === 'ready' ? (mine.data?.previous ?? null) : null;
  useEffect(() => {
    if (previous) {
      setBallot(ballotFromChoice(rules.votingType, rules.choices.length, previous.choice));
      setReason(previous.reason);
    }
  }, [previous?.messageId]);

  if (info.status === 'error')
    return (
      <p className="error" role="alert">
        {explain(info.error)}
      </p>
    );
  if (chainId === null) return null;

  const power = mine.status === 'ready' ? (mine.data?.power ?? null) : null;
  // With delegation on, a delegate may vote with power lent to them only (docs/api.md#delegation).
  const received = power ? BigInt(power.receivedTotal.total) : 0n;
  const noPower = power !== null && BigInt(power.power) === 0n && received === 0n;
  const encoded = encodeBallot(ballot);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!wallet.provider || !account || !encoded) return;
    setSending(true);
    setError(null);
    setReceipt(null);
    try {
      const message = {
        from: account,
        space: proposal.space,
        proposal: proposal.id,
        stage,
        timestamp: nextTimestamp(previous?.timestamp),
        choice: encoded,
        reason,
      };
      const answer = await signAndSend(wallet.provider, account, 'Vote', message);
      setReceipt(answer);
      setRound((r) => r + 1);
      onVoted?.();
    } catch (e) {
      setError(explain(e));
    } finally {
      setSending(false);
    }
  }

  return (
    <section aria-labelledby="vote-heading" className="vote-panel">
      <h2 id="vote-heading">Vote</h2>
      <WalletBar wallet={wallet} wantChainId={chainId} />
      {account && !wallet.wrongNetwork ? (
        <form onSubmit={(e) => void submit(e)}>
          {mine.status === 'error' ? (
            <p className="error" role="alert">
              {explain(mine.error)}
            </p>
          ) : null}
          {power ? (
            <div className="power" aria-live="polite">
              <p>
                Your voting power at snapshot block {power.snapshot}:{' '}
                <strong>
                  <TokenAmount value={power.power} token={token} />
                </strong>
              </p>
              {received > 0n ? (
                <p className="delegated">
                  Lent to you by {power.received.length} delegator{power.received.length === 1 ? '' : 's'}:{' '}
                  <TokenAmount value={power.receivedTotal.total} token={token} /> (a delegator who votes in this stage takes their share back)
                </p>
              ) : null}
              {BigInt(power.givenTotal.total) > 0n ? (
                <p className="delegated">
                  You lent <TokenAmount value={power.givenTotal.total} token={token} /> to delegates; voting yourself counts all of your power and takes it back
                  from them in this stage.
                </p>
              ) : null}
              {power.byStrategy.length > 1 || strategies.length > 1 ? (
                <ul className="by-strategy">
                  {power.byStrategy.map((p, i) => (
                    <li key={i}>
                      {strategies[i]?.name ?? `strategy ${i + 1}`}: <TokenAmount value={p} token={strategyUnits?.[i] ?? token} />
                    </li>
                  ))}
                </ul>
              ) : null}
              {noPower ? (
                <p className="error no-power" role="alert">
                  {ERROR_SENTENCES.ZERO_POWER}
                </p>
              ) : null}
            </div>
          ) : (
            <p className="muted" role="status">
              Reading your voting power…
            </p>
          )}
          {previous ? (
            <p className="previous-vote">
              You voted <strong>{choiceText(previous.choice, rules.votingType, rules.choices)}</strong> (<Time at={previous.receivedAt} />
              ). Signing again replaces that vote.
            </p>
          ) : null}
          <BallotForm ballot={ballot} choices={rules.choices} votingType={rules.votingType} onChange={setBallot} />
          <label className="reason-field">
            Reason (optional, public)
            <textarea value={reason} maxLength={5000} rows={3} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" disabled={sending || !encoded}>
            {sending ? 'Waiting for your signature…' : previous ? 'Sign and change my vote' : 'Sign and vote'}
          </button>
          {error ? (
            <p className="error vote-error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
      {receipt ? (
        <div className="receipt" role="status">
          <p>
            <strong>Your vote is recorded.</strong> Message <code className="hash">{receipt.id}</code>, received <Time at={receipt.receivedAt} />.
          </p>
          {receipt.verified ? (
            <p className="receipt-ok">
              Receipt verified: leaf {receipt.receipt.leafIndex} of the server’s log, in the tree head of size {receipt.receipt.treeHead.treeSize} signed by its
              receipt key {receipt.receiptSigner}.
            </p>
          ) : (
            <p className="error" role="alert">
              {WALLET_SENTENCES.RECEIPT_INVALID}
            </p>
          )}
        </div>
      ) : null}
    </section>
  );
}
