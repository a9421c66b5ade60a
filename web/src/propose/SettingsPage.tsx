/**
 * An admin edits the space's settings: the settings JSON, checked by the server's own parser
 * (POST /api/spaces/settings/validate: the browser holds no copy of the schema) as often as the admin
 * asks and always before signing, then signed as a Space message.
 */
import { useState } from 'react';
import { apiGet, apiPost } from '../api/client';
import { useApi } from '../api/useApi';
import { settingsOf } from '../api/settings';
import { ErrorNote, Loading } from '../components/Status';
import { Link } from '../router/Link';
import { spacePath } from '../router/routes';
import { explain } from '../vote/errors';
import { nextTimestamp, serverInfo, signAndSend } from '../vote/sign';
import { useWallet } from '../vote/useWallet';
import { WalletBar } from '../vote/WalletBar';

type Check = { valid: boolean; problems: string[] };

export default function SettingsPage({ space }: { space: string }) {
  const data = useApi(`settings:${space}`, async (signal) => {
    const [s, info] = await Promise.all([apiGet('/api/spaces/{id}', { path: { id: space }, signal }), serverInfo()]);
    return { space: s, info };
  });
  const chainId = data.status === 'ready' ? data.data.info.domain.chainId : null;
  const wallet = useWallet(chainId);
  const [text, setText] = useState<string | null>(null);
  const [check, setCheck] = useState<Check | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  if (data.status === 'loading') return <Loading what="space" />;
  if (data.status === 'error') return <ErrorNote error={data.error} />;
  const settings = settingsOf(data.data.space);
  const json = text ?? JSON.stringify(data.data.space.settings, null, 2);
  const isAdmin = wallet.account !== null && (settings.admins ?? []).some((a) => a.toLowerCase() === wallet.account);

  const validate = async () => {
    const answer = await apiPost<Check>('/api/spaces/settings/validate', { settings: json });
    setCheck(answer);
    return answer;
  };

  async function run(sign: boolean) {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const answer = await validate();
      if (sign && answer.valid && wallet.provider && wallet.account) {
        await signAndSend(wallet.provider, wallet.account, 'Space', { from: wallet.account, space, timestamp: nextTimestamp(), settings: json });
        setSaved(true);
        data.reload();
        setText(null);
      }
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="settings">
      <p className="crumbs">
        <Link to={spacePath(space)}>{settings.name ?? space}</Link> / settings
      </p>
      <h1>Settings of {settings.name ?? space}</h1>
      <p className="muted">
        The settings are public and signed by an admin. Every field is explained in the API documentation (space settings). The server checks them exactly as it
        checks a signed change.
      </p>
      <WalletBar wallet={wallet} wantChainId={chainId!} />
      {wallet.account && !isAdmin ? (
        <p className="error" role="alert">
          Only an admin of this space may change its settings; the connected address is not one.
        </p>
      ) : null}
      <label>
        Settings (JSON)
        <textarea
          name="settings"
          rows={24}
          spellCheck={false}
          value={json}
          onChange={(e) => {
            setText(e.target.value);
            setCheck(null);
            setSaved(false);
          }}
        />
      </label>
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void run(false)}>
          Check with the server
        </button>
        <button type="button" disabled={busy || !isAdmin || wallet.wrongNetwork} onClick={() => void run(true)}>
          Sign and save
        </button>
      </div>
      {check ? (
        check.valid ? (
          <p className="settings-valid" role="status">
            The server accepts these settings.
          </p>
        ) : (
          <div className="error settings-problems" role="alert">
            <p>The server refuses these settings:</p>
            <ul>
              {check.problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          </div>
        )
      ) : null}
      {saved ? (
        <p className="settings-saved" role="status">
          Saved: the new settings apply to new proposals.
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </article>
  );
}
