/**
 * Two tiny pages served by the server, so members need nothing but a browser wallet:
 *   /discord/link?token=…    signs LinkDiscord and posts it to POST /api/discord/link
 *   /discord/promote?idea=…  signs the Proposal that promotes an idea and posts it to POST /api/messages
 * They use window.ethereum (eth_requestAccounts, eth_signTypedData_v4) and relative URLs, so they
 * also work behind a path prefix. No user text is ever written as HTML (textContent only), and a
 * nonce-based Content-Security-Policy allows only this inline script.
 */
import { randomBytes } from 'node:crypto';

const SCRIPT = String.raw`
const $ = (id) => document.getElementById(id);
const show = (text, kind) => { $('status').textContent = text; $('status').className = kind || ''; };
async function api(path, init) {
  const response = await fetch(path, init);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || ('HTTP ' + response.status));
  return body;
}
async function wallet() {
  if (!window.ethereum) throw new Error('No wallet found: open this page in a browser with an Ethereum wallet.');
  const [account] = await window.ethereum.request({ method: 'eth_requestAccounts' });
  return account;
}
async function signAndPost(draft, postTo) {
  const from = await wallet();
  const typedData = { ...draft.typedData, message: { from, ...draft.typedData.message } };
  show('Check the message in your wallet and sign it.');
  const sig = await window.ethereum.request({ method: 'eth_signTypedData_v4', params: [from, JSON.stringify(typedData)] });
  return api(postTo, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: from, sig, data: typedData }) });
}
async function main() {
  const mode = document.body.dataset.mode;
  const params = new URLSearchParams(location.search);
  if (mode === 'link') {
    const draft = await api('../api/discord/link/' + encodeURIComponent(params.get('token') || ''));
    $('what').textContent = 'Link a wallet to the Discord account ' + draft.username + ' (' + draft.discordUserId + '), for every space of this server. Expires ' + new Date(draft.expiry * 1000).toLocaleString() + '.';
    $('go').textContent = 'Connect wallet and sign';
    $('go').onclick = () => signAndPost(draft, '../api/discord/link').then((r) => r && show('Linked ' + r.address + '. You can close this page.', 'ok'), (e) => show(e.message, 'bad'));
  } else {
    const draft = await api('../api/ideas/' + encodeURIComponent(params.get('idea') || '') + '/proposal-draft');
    $('what').textContent = 'Turn the idea "' + draft.typedData.message.title + '" into a proposal in ' + draft.typedData.message.space + '. Sign with the wallet you linked to your Discord account; the temperature check opens at once.';
    $('go').textContent = 'Connect wallet and sign the proposal';
    $('go').onclick = () => signAndPost(draft, '../api/messages').then((r) => r && show('Proposal created: ' + r.id, 'ok'), (e) => show(e.message, 'bad'));
  }
  $('go').hidden = false;
}
main().catch((e) => show(e.message, 'bad'));
`;

export function renderPage(mode: 'link' | 'promote'): { html: string; csp: string } {
  const nonce = randomBytes(16).toString('base64');
  const title = mode === 'link' ? 'Link your wallet' : 'Promote an idea';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>govrelay · ${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.6rem 1rem;cursor:pointer}.bad{color:#b00020}.ok{color:#1b7f3b}#status{margin-top:1rem;word-break:break-all}</style>
</head><body data-mode="${mode}">
<h1>${title}</h1>
<p id="what">Loading…</p>
<button id="go" hidden></button>
<p id="status" role="status"></p>
<script nonce="${nonce}">${SCRIPT}</script>
</body></html>`;
  const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
  return { html, csp };
}
