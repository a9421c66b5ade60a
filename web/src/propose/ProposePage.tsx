/**
 * A new proposal: title, Markdown body with preview, choices, the voting type where the space lets
 * the proposal choose, a discussion link, and for executable proposals a payload builder (treasury
 * ERC-20 transfer, ETH transfer, any call from an ABI fragment) whose calls the server decodes and
 * simulates, with the payload hash, before the author signs. The snapshot is a recent settled block
 * from GET /api/chain/info.
 */
import { useState } from 'react';
import { apiGet, apiPost, type GetResponse } from '../api/client';
import { useApi } from '../api/useApi';
import { settingsOf } from '../api/settings';
import { Markdown } from '../components/Markdown';
import { ErrorNote, Loading } from '../components/Status';
import { navigate } from '../router/router';
import { proposalPath } from '../router/routes';
import { explain } from '../vote/errors';
import { nextTimestamp, serverInfo, signAndSend, type Payload } from '../vote/sign';
import { useWallet } from '../vote/useWallet';
import { WalletBar } from '../vote/WalletBar';
import { rowToCall, type CallRow } from './calldata';
import { PayloadCalls } from './PayloadCalls';

const VOTING_TYPES = ['basic', 'single-choice', 'approval', 'weighted', 'quadratic', 'ranked-choice'];
const BASIC = ['For', 'Against', 'Abstain'];
const ZERO_HASH = `0x${'0'.repeat(64)}`;
type Preview = GetResponse<'/api/proposals/{id}/payload'>;

export default function ProposePage({ space }: { space: string }) {
  const data = useApi(`propose:${space}`, async (signal) => {
    const [s, info] = await Promise.all([apiGet('/api/spaces/{id}', { path: { id: space }, signal }), serverInfo()]);
    return { space: s, info };
  });
  const chainId = data.status === 'ready' ? data.data.info.domain.chainId : null;
  const wallet = useWallet(chainId);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState(false);
  const [discussion, setDiscussion] = useState('');
  const [votingType, setVotingType] = useState('basic');
  const [choices, setChoices] = useState('For\nAgainst\nAbstain');
  const [execution, setExecution] = useState<'' | 'timelock' | 'governor'>('');
  const [chosenKind, setKind] = useState<string | null>(null);
  const [rows, setRows] = useState<CallRow[]>([]);
  const [built, setBuilt] = useState<{ payload: Payload; described: Pick<Preview, 'calls' | 'payloadHash' | 'simulation'> } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (data.status === 'loading') return <Loading what="space" />;
  if (data.status === 'error') return <ErrorNote error={data.error} />;
  const settings = settingsOf(data.data.space);
  // A space without kinds has one, "default"; with kinds, the proposal must name one of them.
  const kinds = settings.kinds ? Object.keys(settings.kinds) : ['default'];
  const kind = chosenKind !== null && kinds.includes(chosenKind) ? chosenKind : kinds[0]!;
  const temperature = settings.kinds?.[kind]?.temperature ?? settings.temperature;
  const typeIsOpen = temperature?.votingType === 'proposal';
  const effectiveType = execution ? 'basic' : typeIsOpen ? votingType : (temperature?.votingType ?? 'basic');
  const choiceList =
    effectiveType === 'basic'
      ? BASIC
      : choices
          .split('\n')
          .map((c) => c.trim())
          .filter(Boolean);

  const setRow = (i: number, row: CallRow) => {
    setRows((r) => r.map((x, j) => (j === i ? row : x)));
    setBuilt(null);
  };

  async function buildPayload(): Promise<NonNullable<typeof built>> {
    const decimals = new Map<string, number>();
    const decimalsOf = async (token: string) => {
      if (!decimals.has(token)) {
        const meta = await apiGet('/api/chain/tokens/{address}', { path: { address: token } });
        if (meta.decimals === null) throw new Error(`${token} has no decimals(): not an ERC-20 token`);
        decimals.set(token, meta.decimals);
      }
      return decimals.get(token)!;
    };
    const calls = [];
    for (const row of rows) calls.push(await rowToCall(row, decimalsOf));
    const payload = { targets: calls.map((c) => c.target), values: calls.map((c) => c.value), calldatas: calls.map((c) => c.data) };
    const described = await apiPost<Pick<Preview, 'calls' | 'payloadHash' | 'simulation'>>('/api/payload/preview', { space, payload });
    return { payload, described };
  }

  async function check() {
    setBusy(true);
    setError(null);
    try {
      setBuilt(await buildPayload());
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!wallet.provider || !wallet.account) return;
    setBusy(true);
    setError(null);
    try {
      const payload = execution ? (built ?? (await buildPayload())) : null;
      if (payload) setBuilt(payload);
      const chain = await apiGet('/api/chain/info');
      const message = {
        from: wallet.account,
        space,
        timestamp: nextTimestamp(),
        title,
        body,
        discussion,
        choices: choiceList,
        votingType: effectiveType,
        snapshot: Number(chain.settledBlock),
        execution,
        payloadHash: payload ? payload.described.payloadHash : ZERO_HASH,
        idea: '',
        kind,
      };
      const receipt = await signAndSend(wallet.provider, wallet.account, 'Proposal', message, payload?.payload);
      navigate(proposalPath(receipt.id));
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="propose">
      <h1>New proposal in {settings.name ?? space}</h1>
      <WalletBar wallet={wallet} wantChainId={chainId!} />
      <form onSubmit={(e) => void submit(e)}>
        <label>
          Title
          <input name="title" required maxLength={256} value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <div className="stage-tabs" role="group" aria-label="Body view">
          <button type="button" className="chip" aria-pressed={!preview} onClick={() => setPreview(false)}>
            Write
          </button>
          <button type="button" className="chip" aria-pressed={preview} onClick={() => setPreview(true)}>
            Preview
          </button>
        </div>
        {preview ? (
          <div className="body-preview">
            <Markdown source={body} />
          </div>
        ) : (
          <label>
            Description (Markdown)
            <textarea name="body" rows={8} maxLength={10000} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
        )}
        <label>
          Discussion link (https://, optional)
          <input name="discussion" type="url" value={discussion} onChange={(e) => setDiscussion(e.target.value)} />
        </label>
        {settings.kinds ? (
          <label>
            Kind
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {settings.kinds?.[k]?.description ? `${k}: ${settings.kinds?.[k]?.description ?? ''}` : k}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {settings.executor ? (
          <label>
            Execution
            <select name="execution" value={execution} onChange={(e) => setExecution(e.target.value as typeof execution)}>
              <option value="">Signal only (nothing runs on chain)</option>
              <option value="timelock">Execute through the treasury timelock</option>
              {settings.governor ? <option value="governor">Execute through the Governor’s on-chain vote</option> : null}
            </select>
          </label>
        ) : null}
        {!execution && typeIsOpen ? (
          <label>
            Voting type
            <select name="votingType" value={votingType} onChange={(e) => setVotingType(e.target.value)}>
              {VOTING_TYPES.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p className="muted">
            Voting type: {effectiveType}
            {execution ? ' (executable proposals vote For / Against / Abstain)' : ''}
          </p>
        )}
        {effectiveType === 'basic' ? (
          <p className="muted">Choices: For, Against, Abstain</p>
        ) : (
          <label>
            Choices (one per line)
            <textarea name="choices" rows={4} value={choices} onChange={(e) => setChoices(e.target.value)} />
          </label>
        )}
        {execution ? (
          <fieldset className="payload-builder">
            <legend>On-chain calls</legend>
            {rows.map((row, i) => (
              <div key={i} className="call-row" role="group" aria-label={`Call ${i + 1}`}>
                {row.kind === 'erc20-transfer' ? (
                  <>
                    <strong>Token transfer from the treasury</strong>
                    <label>
                      Token
                      <input value={row.token} onChange={(e) => setRow(i, { ...row, token: e.target.value })} />
                    </label>
                    <label>
                      Recipient
                      <input name={`to-${i}`} value={row.to} onChange={(e) => setRow(i, { ...row, to: e.target.value })} />
                    </label>
                    <label>
                      Amount (token units)
                      <input name={`amount-${i}`} inputMode="decimal" value={row.amount} onChange={(e) => setRow(i, { ...row, amount: e.target.value })} />
                    </label>
                  </>
                ) : row.kind === 'eth-transfer' ? (
                  <>
                    <strong>ETH transfer from the treasury</strong>
                    <label>
                      Recipient
                      <input name={`to-${i}`} value={row.to} onChange={(e) => setRow(i, { ...row, to: e.target.value })} />
                    </label>
                    <label>
                      Amount (ETH)
                      <input name={`amount-${i}`} inputMode="decimal" value={row.amount} onChange={(e) => setRow(i, { ...row, amount: e.target.value })} />
                    </label>
                  </>
                ) : (
                  <>
                    <strong>Contract call</strong>
                    <label>
                      Target
                      <input value={row.target} onChange={(e) => setRow(i, { ...row, target: e.target.value })} />
                    </label>
                    <label>
                      Function (ABI fragment)
                      <input
                        placeholder="function pay(address to, uint256 amount)"
                        value={row.fragment}
                        onChange={(e) => setRow(i, { ...row, fragment: e.target.value })}
                      />
                    </label>
                    <label>
                      Arguments (one per line; integers in base units)
                      <textarea rows={3} value={row.args} onChange={(e) => setRow(i, { ...row, args: e.target.value })} />
                    </label>
                    <label>
                      ETH sent (optional)
                      <input value={row.value} onChange={(e) => setRow(i, { ...row, value: e.target.value })} />
                    </label>
                  </>
                )}
                <button
                  type="button"
                  onClick={() => {
                    setRows((r) => r.filter((_, j) => j !== i));
                    setBuilt(null);
                  }}
                >
                  Remove call {i + 1}
                </button>
              </div>
            ))}
            <div className="add-calls">
              <button type="button" onClick={() => setRows((r) => [...r, { kind: 'erc20-transfer', token: settings.token ?? '', to: '', amount: '' }])}>
                Add token transfer
              </button>
              <button type="button" onClick={() => setRows((r) => [...r, { kind: 'eth-transfer', to: '', amount: '' }])}>
                Add ETH transfer
              </button>
              <button type="button" onClick={() => setRows((r) => [...r, { kind: 'call', target: '', fragment: '', args: '', value: '' }])}>
                Add contract call
              </button>
            </div>
            <button type="button" disabled={busy || rows.length === 0} onClick={() => void check()}>
              Check calls (decode and simulate)
            </button>
            {built ? (
              <div className="payload-preview" role="status">
                <PayloadCalls calls={built.described.calls} block={built.described.simulation?.block ?? null} />
                <p>
                  Payload hash <code className="hash">{built.described.payloadHash}</code>
                </p>
              </div>
            ) : null}
          </fieldset>
        ) : null}
        <button type="submit" disabled={busy || !wallet.account || wallet.wrongNetwork || !title || (execution !== '' && rows.length === 0)}>
          {busy ? 'Working…' : 'Sign and publish the proposal'}
        </button>
        {error ? (
          <p className="error propose-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </article>
  );
}
