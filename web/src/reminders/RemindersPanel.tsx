/**
 * Email reminders for a space (docs/api.md#reminders): the connected wallet signs a `Subscribe`
 * (the address travels beside it, the message signs only its salted hash) or an `Unsubscribe`, both
 * through the same signAndSend as votes. The server owns every rule (address syntax, the bounds of
 * N, REMINDERS_DISABLED); its refusals are shown as `CODE: message`.
 */
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/useApi';
import { explainWithCode } from '../vote/errors';
import { nextTimestamp, serverInfo, signAndSend } from '../vote/sign';
import { useWallet } from '../vote/useWallet';
import { WalletBar } from '../vote/WalletBar';
import { emailCommitment, newSalt } from './emailCommitment';
import { ReminderEvents, type EventChoice } from './ReminderEvents';

type Outcome = { kind: 'subscribed'; email: string } | { kind: 'unsubscribed' } | null;

export function RemindersPanel({ space }: { space: string }) {
  const info = useApi('info', () => serverInfo());
  const chainId = info.status === 'ready' ? info.data.domain.chainId : null;
  const wallet = useWallet(chainId);
  const [email, setEmail] = useState('');
  const [events, setEvents] = useState<EventChoice>({ proposal: true, closing: true, results: false, closingHours: '24' });
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function send(action: () => Promise<Outcome>) {
    setSending(true);
    setError(null);
    try {
      setOutcome(await action());
    } catch (e) {
      setError(explainWithCode(e));
    } finally {
      setSending(false);
    }
  }

  function subscribe(event: FormEvent) {
    event.preventDefault();
    const { provider, account } = wallet;
    if (!provider || !account) return;
    void send(async () => {
      const salt = newSalt();
      const message = {
        from: account,
        space,
        timestamp: nextTimestamp(),
        emailHash: emailCommitment(email, salt),
        events: (['proposal', 'closing', 'results'] as const).filter((name) => events[name]),
        // Sent as typed; the server refuses what is out of bounds (INVALID_CLOSING_HOURS).
        closingHours: events.closingHours === '' ? 0 : Number(events.closingHours),
      };
      await signAndSend(provider, account, 'Subscribe', message, undefined, { address: email, salt });
      return { kind: 'subscribed', email };
    });
  }

  function unsubscribe() {
    const { provider, account } = wallet;
    if (!provider || !account) return;
    void send(async () => {
      await signAndSend(provider, account, 'Unsubscribe', { from: account, space, timestamp: nextTimestamp() });
      return { kind: 'unsubscribed' };
    });
  }

  if (chainId === null) return null;
  const ready = wallet.account !== null && !wallet.wrongNetwork;
  return (
    <section aria-labelledby="reminders-heading" className="reminders">
      <h2 id="reminders-heading">Email reminders</h2>
      <WalletBar wallet={wallet} wantChainId={chainId} />
      {outcome?.kind === 'subscribed' ? (
        <p role="status" data-testid="reminders-pending">
          Check your email: a confirmation link was sent to {outcome.email}. Nothing else is sent until you confirm.
        </p>
      ) : outcome?.kind === 'unsubscribed' ? (
        <p role="status" data-testid="reminders-ended">
          You are unsubscribed from this space’s reminders.
        </p>
      ) : null}
      {ready ? (
        <form onSubmit={subscribe} noValidate>
          <label>
            Email
            <input type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <ReminderEvents value={events} onChange={setEvents} />
          <button type="submit" disabled={sending}>
            {sending ? 'Signing…' : 'Sign and subscribe'}
          </button>{' '}
          <button type="button" disabled={sending} onClick={unsubscribe}>
            Unsubscribe
          </button>
        </form>
      ) : null}
      {error ? (
        <p className="error" role="alert" data-testid="reminders-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
