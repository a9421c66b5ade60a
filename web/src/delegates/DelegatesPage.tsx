/**
 * Off-chain delegation in a space (docs/api.md#delegation): the delegates directory, ranked by the
 * power lent to them at the space's latest proposal, and a delegate's page with their statement,
 * their delegators and the form that signs a Delegate (or Undelegate) message for this space.
 */
import { useState } from 'react';
import { apiGet, type GetResponse } from '../api/client';
import { useApi } from '../api/useApi';
import { loadSpaceTokens } from '../api/tokens';
import { settingsOf, spaceName } from '../api/settings';
import { tokenDisplayOf, type TokenDisplay } from '../format/token';
import { AddressView } from '../components/AddressView';
import { ExternalLink } from '../components/ExternalLink';
import { TokenAmount } from '../components/TokenAmount';
import { ErrorNote, Loading } from '../components/Status';
import { Link } from '../router/Link';
import { delegatePath, delegatesPath, spacePath } from '../router/routes';
import { explain } from '../vote/errors';
import { nextTimestamp, serverInfo, signAndSend, type Receipt } from '../vote/sign';
import { useWallet } from '../vote/useWallet';
import { WalletBar } from '../vote/WalletBar';

type Delegate = GetResponse<'/api/spaces/{id}/delegates'>['items'][number];
type DelegateData = GetResponse<'/api/spaces/{id}/delegates/{address}'>;

function Participation({ delegate }: { delegate: Delegate }) {
  const { proposals, voted } = delegate.participation;
  return (
    <span className="participation">
      voted on {voted} of {proposals} proposal{proposals === 1 ? '' : 's'}
    </span>
  );
}

export default function DelegatesPage({ space, address }: { space: string; address?: string }) {
  const data = useApi(`delegates:${space}:${address ?? ''}`, async (signal) => {
    const [one, tokens] = await Promise.all([apiGet('/api/spaces/{id}', { path: { id: space }, signal }), loadSpaceTokens(space, signal)]);
    const token = tokenDisplayOf(one.settings, tokens);
    if (address) {
      const delegate = await apiGet('/api/spaces/{id}/delegates/{address}', { path: { id: space, address }, signal });
      return { space: one, token, directory: null, delegate };
    }
    return { space: one, token, directory: await apiGet('/api/spaces/{id}/delegates', { path: { id: space }, signal }), delegate: null };
  });
  if (data.status === 'loading') return <Loading what="delegates" />;
  if (data.status === 'error') return <ErrorNote error={data.error} />;
  const { space: s, token, directory, delegate } = data.data;
  const enabled = settingsOf(s).delegation === 'offchain';
  return (
    <article className="delegates">
      <nav aria-label="Breadcrumb" className="crumbs">
        <Link to="/">Spaces</Link> / <Link to={spacePath(s.id)}>{spaceName(s)}</Link>
        {address ? (
          <>
            {' / '}
            <Link to={delegatesPath(s.id)}>Delegates</Link>
          </>
        ) : null}
      </nav>
      {!enabled ? (
        <p className="muted" role="status">
          This space does not count off-chain delegation.
        </p>
      ) : null}
      {directory ? <Directory space={s.id} token={token} items={directory.items} /> : null}
      {delegate && address ? <DelegateView space={s.id} address={address} token={token} data={delegate} enabled={enabled} /> : null}
    </article>
  );
}

function Directory({ space, token, items }: { space: string; token: TokenDisplay; items: Delegate[] }) {
  return (
    <section aria-labelledby="delegates-heading">
      <h1 id="delegates-heading">Delegates</h1>
      {items.length === 0 ? (
        <p className="muted">Nobody has been lent power here yet.</p>
      ) : (
        <table className="delegates-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Delegate</th>
              <th scope="col">Power lent</th>
              <th scope="col">Delegators</th>
              <th scope="col">Participation</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d, i) => (
              <tr key={d.address} data-delegate={d.address}>
                <td>{i + 1}</td>
                <td>
                  <Link to={delegatePath(space, d.address)}>
                    <AddressView address={d.address} />
                  </Link>
                  {d.statement ? <p className="statement-excerpt">{d.statement.statement.slice(0, 140)}</p> : null}
                </td>
                <td>
                  <TokenAmount value={d.received} token={token} />
                </td>
                <td>{d.delegators}</td>
                <td>
                  <Participation delegate={d} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DelegateView({ space, address, token, data, enabled }: { space: string; address: string; token: TokenDisplay; data: DelegateData; enabled: boolean }) {
  const d = data.delegate;
  return (
    <section aria-labelledby="delegate-heading">
      <h1 id="delegate-heading">
        Delegate <AddressView address={address} />
      </h1>
      <p>
        Power lent at the latest proposal: <TokenAmount value={d.received} token={token} /> from {d.delegators} delegator{d.delegators === 1 ? '' : 's'} ·{' '}
        <Participation delegate={d} />
      </p>
      {d.statement ? (
        <div className="statement">
          <p>{d.statement.statement}</p>
          {d.statement.links.length > 0 ? (
            <ul className="statement-links">
              {d.statement.links.map((link) => (
                <li key={link}>
                  <ExternalLink href={link}>{link}</ExternalLink>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : (
        <p className="muted">No statement yet.</p>
      )}
      {data.delegators.length > 0 ? (
        <>
          <h2>Delegators</h2>
          <ul className="delegators">
            {data.delegators.map((x) => (
              <li key={x.address}>
                <AddressView address={x.address} /> — {x.bps / 100} % · <TokenAmount value={x.power} token={token} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {enabled ? <DelegateForm space={space} address={address} /> : null}
    </section>
  );
}

/** Signs a Delegate of a share of the member's power in this space to this delegate, or an Undelegate. */
function DelegateForm({ space, address }: { space: string; address: string }) {
  const info = useApi('info', () => serverInfo());
  const chainId = info.status === 'ready' ? info.data.domain.chainId : null;
  const wallet = useWallet(chainId);
  const [percent, setPercent] = useState('100');
  const [sending, setSending] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);
  const bps = Math.round(Number(percent) * 100);
  const valid = Number.isFinite(bps) && bps >= 1 && bps <= 10_000;

  async function send(kind: 'Delegate' | 'Undelegate') {
    if (!wallet.provider || !wallet.account) return;
    setSending(true);
    setError(null);
    setReceipt(null);
    try {
      const base = { from: wallet.account, space, timestamp: nextTimestamp() };
      const message = kind === 'Delegate' ? { ...base, delegates: [address], shares: [bps], expiry: 0 } : base;
      setReceipt(await signAndSend(wallet.provider, wallet.account, kind, message));
    } catch (e) {
      setError(explain(e));
    } finally {
      setSending(false);
    }
  }

  if (chainId === null) return null;
  return (
    <section aria-labelledby="delegate-form-heading" className="delegate-form">
      <h2 id="delegate-form-heading">Delegate to this address</h2>
      <WalletBar wallet={wallet} wantChainId={chainId} />
      {wallet.account && !wallet.wrongNetwork ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (valid) void send('Delegate');
          }}
        >
          <label>
            Share of your voting power in this space (%){' '}
            <input type="number" min="0.01" max="100" step="0.01" value={percent} onChange={(e) => setPercent(e.target.value)} />
          </label>
          <p className="muted">
            It counts from the next proposal’s snapshot. Voting yourself always counts all of your power and takes your share back for that vote.
          </p>
          <button type="submit" disabled={sending || !valid}>
            Sign and delegate
          </button>{' '}
          <button type="button" disabled={sending} onClick={() => void send('Undelegate')}>
            Sign and undelegate
          </button>
        </form>
      ) : null}
      {receipt ? (
        <p className={receipt.verified ? 'receipt receipt-ok' : 'receipt error'} role="status">
          {receipt.type} recorded: {receipt.id}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
