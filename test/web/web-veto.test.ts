/// <reference lib="dom" />
/**
 * The proposal page of a passed grant waiting in the timelock (issue 18 in the members' app), in real
 * Chromium against the real stack (in-process relayer scheduling it on the local chain):
 * - its kind and the rules the server reports for it;
 * - the power-spike warning of the consensus result (a voter minted tokens just before the snapshot);
 * - the three payload simulations (phase, success, block, the balance changes as exact signed integers);
 * - the veto council: members, threshold, deadline; a council member signs a Veto with the injected
 *   wallet and sees it recorded (stored with its reason); a non-member is told so and gets no form;
 * - a refused veto (the chain's clock past the veto deadline) shows the server's code and message.
 */
import t, { type Test } from 'tap';
import pg from 'pg';
import { HDNodeWallet } from 'ethers';
import { buttonWithText, injectWallet, openPage, press, type TestLike } from '../helpers/browser.js';
import { startWebStack, type WebStack } from '../helpers/web-stack.js';
import { textOf } from '../helpers/web-flows.js';
import { GRANT, passGrant, setupTreasury, waitForStatus } from '../helpers/relay-flow.js';
import { DEV_MNEMONIC, mineBlocks } from '../../scripts/local-chain.js';
import { TOKEN } from '../helpers/stack.js';

const devAddress = (i: number) => HDNodeWallet.fromPhrase(DEV_MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`).address;
const council = { members: [devAddress(6), devAddress(7), devAddress(8)], threshold: 2 };
// Stages of 8 s, as in test/relayer/veto-council.test.ts.
const stages = {
  temperature: { votingType: 'proposal', period: 8, quorum: { kind: 'absolute', power: (10n * TOKEN).toString() }, passThresholdBps: 5000 },
  consensus: { votingType: 'basic', period: 8, quorum: { kind: 'supply-fraction', bps: 500 }, passThresholdBps: 6000 },
};

let web: WebStack;
let pool: pg.Pool;
t.before(async () => {
  web = await startWebStack({ dao: {} });
  pool = new pg.Pool({ connectionString: web.stack.db.url, max: 2 });
  await setupTreasury(web.stack, { council, powerSpike: { multiple: 2.5, lookbackBlocks: 5 }, ...stages });
  await web.stack.startRelayer();
});
t.teardown(async () => {
  await pool?.end();
  await web?.close();
});

async function openProposal(t: Test, id: string, walletIndex: number, allowErrors: RegExp[] = []) {
  const { page } = await openPage(t as unknown as TestLike, web.browser.browser, { allowErrors });
  await injectWallet(page, web.stack.wallets[walletIndex]!, { chainId: web.stack.chain.chainId });
  await page.goto(`${web.baseUrl}/proposals/${id}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('[data-testid="veto"]');
  await press(page, await buttonWithText(page, 'Connect wallet'));
  await press(page, await buttonWithText(page, 'Connect Test Wallet'));
  return page;
}

t.test('kind, simulations and the veto council of a scheduled grant; a member vetoes from the app, refusals show the server code', async (t) => {
  const { stack } = web;
  // Carol (wallet 3, 25 BTK) receives 100 more just before the proposal: a power spike (125 > 2.5 × 25).
  await mineBlocks(stack.chain.provider, 6);
  await (await stack.token.getFunction('mint')(stack.wallets[3]!.address, 100n * TOKEN)).wait();
  await mineBlocks(stack.chain.provider, 1);
  const grant = await passGrant(stack, 'A grant the council looks at');
  const row = await waitForStatus(pool, grant.id, 'scheduled');
  const page = await openProposal(t, grant.id, 6);

  t.equal(await textOf(page, '[data-testid="kind-name"]'), 'default', 'the kind the server reports');
  t.equal(await textOf(page, '[data-testid="kind-late-quorum"]'), 'off');

  const phases = await page.$$eval('[data-testid="simulations"] li[data-phase]', (els) =>
    els.map((e) => [e.getAttribute('data-phase'), e.getAttribute('data-ok')]),
  );
  t.same(
    phases,
    [
      ['created', 'true'],
      ['consensus', 'true'],
      ['schedule', 'true'],
    ],
    'the three simulations, each a success',
  );
  const api = (await stack.get(`/api/proposals/${grant.id}`)).body;
  const blocks = await page.$$eval('[data-testid="simulations"] [data-testid="sim-block"]', (els) => els.map((e) => e.textContent));
  t.same(
    blocks,
    api.simulations.map((s: { block: string }) => s.block),
    'the block each ran at',
  );
  const deltas = await page.$$eval('[data-phase="created"] [data-testid="delta"]', (els) => els.map((e) => e.textContent));
  t.same(deltas, [(-GRANT).toString(), `+${GRANT}`], 'the balance changes as exact signed base-unit integers');

  await page.waitForSelector('[data-testid="power-spike"]');
  t.same(
    await page.$$eval('[data-testid="spike-power"]', (els) => els.map((e) => e.textContent)),
    [(125n * TOKEN).toString()],
    "the stage result's power-spike warning lists Carol with her power at the snapshot",
  );

  t.equal(await textOf(page, '[data-testid="veto-threshold"]'), '2');
  t.equal(await textOf(page, '[data-testid="veto-status"]'), 'not vetoed');
  t.match(await textOf(page, '[data-testid="veto"]'), /Vetoes accepted until/, 'the deadline is shown');

  // The member signs a Veto with the injected wallet.
  await page.waitForSelector('.veto-flow textarea', { timeout: 15_000 });
  await page.type('.veto-flow textarea', 'the grantee is the proposer');
  await press(page, await buttonWithText(page, 'Veto'));
  await page.waitForSelector('[data-testid="veto-receipt"]', { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="veto-count"]')?.textContent === '1', { timeout: 15_000 });
  const stored = (await stack.get(`/api/proposals/${grant.id}`)).body.veto;
  t.same(
    stored.vetoes.map((v: { member: string; reason: string }) => [v.member, v.reason]),
    [[council.members[0]!.toLowerCase(), 'the grantee is the proposer']],
    'the veto is stored as signed',
  );
  t.match(await textOf(page, '[data-testid="veto-item"]'), /the grantee is the proposer/, 'the page lists it');

  // A non-member: no form, a sentence saying why.
  const outsider = await openProposal(t, grant.id, 2);
  await outsider.waitForFunction(() => document.querySelector('.veto-flow')?.textContent?.includes('not a member'), { timeout: 15_000 });
  t.equal(await outsider.$('.veto-flow textarea'), null, 'no veto form for a non-member');

  // Another member, once the chain's clock is past the deadline: the server's refusal, code and message.
  const late = await openProposal(t, grant.id, 7, [/status of 409/]);
  await late.waitForSelector('.veto-flow textarea', { timeout: 15_000 });
  await stack.chain.provider.send('evm_setNextBlockTimestamp', [row.eta!.getTime() / 1000 - 1]);
  await stack.chain.provider.send('evm_mine', []);
  await late.type('.veto-flow textarea', 'too late');
  await press(late, await buttonWithText(late, 'Veto'));
  await late.waitForSelector('[data-testid="veto-error"]', { timeout: 15_000 });
  t.match(await textOf(late, '[data-testid="veto-error"]'), /^VETO_WINDOW_CLOSED: vetoes were accepted until \S+, 600 s before/);
  t.equal((await stack.get(`/api/proposals/${grant.id}`)).body.veto.vetoes.length, 1, 'nothing stored');
});
