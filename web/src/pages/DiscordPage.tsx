/**
 * The two pages a Discord member is sent to (the server's /discord/link and /discord/promote answer
 * this app; the query parameters stay):
 *   /discord/link?token=…    sign LinkDiscord (GET /api/discord/link/:token gives the typed data) and
 *                            post it to POST /api/discord/link
 *   /discord/promote?idea=…  sign the Proposal that promotes an idea (GET /api/ideas/:id/proposal-draft)
 *                            and post it to POST /api/messages, then open the new proposal's page
 * The server writes the typed data; the app adds only `from` (the connected wallet) and signs it.
 */
import { useState } from 'react';
import { apiGet, apiPost } from '../api/client';
import { useApi } from '../api/useApi';
import { AddressView } from '../components/AddressView';
import { ErrorNote, Loading } from '../components/Status';
import { Link } from '../router/Link';
import { proposalPath } from '../router/routes';
import { explain } from '../vote/errors';
import { useWallet } from '../vote/useWallet';
import { WalletBar } from '../vote/WalletBar';
import { signTypedData } from '../wallet/eip1193';

type Mode = 'link' | 'promote';
interface TypedData {
  domain: unknown;
  types: unknown;
  primaryType: string;
  message: unknown;
}
interface Draft {
  what: string;
  typedData: TypedData;
  postTo: '/api/discord/link' | '/api/messages';
}

async function loadDraft(mode: Mode, search: URLSearchParams, signal: AbortSignal): Promise<Draft> {
  if (mode === 'link') {
    const token = search.get('token') ?? '';
    const d = await apiGet('/api/discord/link/{token}', { path: { token }, signal });
    return {
      what: `Link a wallet to the Discord account ${d.username} (${d.discordUserId}), for every space of this server. The request expires ${new Date(d.expiry * 1000).toLocaleString()}.`,
      typedData: d.typedData as TypedData,
      postTo: '/api/discord/link',
    };
  }
  const idea = search.get('idea') ?? '';
  const d = await apiGet('/api/ideas/{id}/proposal-draft', { path: { id: idea }, signal });
  const message = d.typedData.message as { title?: string; space?: string };
  return {
    what: `Turn the idea "${message.title ?? ''}" into a proposal in ${message.space ?? ''}. Sign with the wallet you linked to your Discord account; the temperature check opens at once.`,
    typedData: d.typedData as TypedData,
    postTo: '/api/messages',
  };
}

export default function DiscordPage({ mode }: { mode: Mode }) {
  const search = new URLSearchParams(window.location.search);
  const key = `${mode}:${search.get(mode === 'link' ? 'token' : 'idea') ?? ''}`;
  const draft = useApi(`discord:${key}`, (signal) => loadDraft(mode, search, signal));
  const domainChain = draft.status === 'ready' ? Number((draft.data.typedData.domain as { chainId?: unknown }).chainId) : NaN;
  const chainId = Number.isInteger(domainChain) ? domainChain : null;
  const wallet = useWallet(chainId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ address?: string; id?: string } | null>(null);
  const title = mode === 'link' ? 'Link your wallet' : 'Promote an idea';

  if (draft.status === 'loading') return <Loading what={mode === 'link' ? 'link request' : 'idea'} />;
  if (draft.status === 'error')
    return (
      <article className="discord">
        <h1>{title}</h1>
        <ErrorNote error={draft.error} />
      </article>
    );

  const sign = async () => {
    if (!wallet.provider || !wallet.account) return;
    setBusy(true);
    setError(null);
    try {
      const typed = draft.data.typedData;
      const data = { ...typed, message: { from: wallet.account, ...(typed.message as object) } };
      const sig = await signTypedData(
        wallet.provider,
        wallet.account,
        data as { domain: object; types: Record<string, unknown>; primaryType: string; message: object },
      );
      const answer = await apiPost<{ address?: string; id?: string }>(draft.data.postTo, { address: wallet.account, sig, data });
      setDone(answer);
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="discord">
      <h1>{title}</h1>
      <p className="what">{draft.data.what}</p>
      {done ? (
        <p role="status" className="ok">
          {mode === 'link' ? (
            <>
              Linked <AddressView address={done.address ?? wallet.account ?? ''} />. You can close this page.
            </>
          ) : (
            <>
              Proposal created: <Link to={proposalPath(done.id ?? '')}>open its page</Link>.
            </>
          )}
        </p>
      ) : (
        <>
          <WalletBar wallet={wallet} wantChainId={chainId ?? 0} />
          {wallet.account && !wallet.wrongNetwork ? (
            <button type="button" disabled={busy} onClick={() => void sign()}>
              {mode === 'link' ? 'Sign the link' : 'Sign the proposal'}
            </button>
          ) : null}
          {error ? (
            <p className="error" role="alert">
              {error}
            </p>
          ) : null}
        </>
      )}
    </article>
  );
}
