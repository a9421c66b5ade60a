/**
 * Stored envelopes name their repeated parts (the deployment's domain, the canonical types) by
 * envelope_parts id, and every reader puts them back: on the real stack, each accepted form (types
 * with and without EIP712Domain, another key order, a chain id as a string, an upper-case salt, a
 * batch) is published as the JSON value it was posted as; only registered parts are replaced; a
 * second instance reuses the same rows; the rows cannot be changed.
 */
import t, { type Test } from 'tap';
import pg from 'pg';
import { createProposal, createSpace, startStack, TOKEN, type TestStack } from '../helpers/stack.js';
import { envelopeFor, nowSeconds, testDomain } from '../helpers/messages.js';
import { MESSAGE_TYPES, typesFor, type MessageByType } from '../../server/eip712/types.js';
import { envelopePartId } from '../../core/db/envelope-parts.js';

let stack: TestStack;
let db: pg.Client;
let proposalId: string;

t.before(async () => {
  stack = await startStack({ holders: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [i + 1, TOKEN])) });
  db = new pg.Client({ connectionString: stack.db.url });
  await db.connect();
  await createSpace(stack);
  proposalId = await createProposal(stack, 'envelope parts');
});
t.teardown(async () => {
  await db?.end();
  await stack?.close();
});

function voteOf(index: number, reason: string): MessageByType['Vote'] {
  const wallet = stack.wallets[index]!;
  return { from: wallet.address, space: 'blocktrack', proposal: proposalId, stage: 1, timestamp: nowSeconds(), choice: '1', reason };
}

async function signVote(index: number, reason: string) {
  const message = voteOf(index, reason);
  const sig = await stack.wallets[index]!.signTypedData(testDomain(), { Vote: [...MESSAGE_TYPES.Vote] }, message);
  return envelopeFor('Vote', message, sig);
}

async function storedData(id: string): Promise<{ domain: unknown; types: unknown }> {
  const { rows } = await db.query<{ e: { data: { domain: unknown; types: unknown } } }>('SELECT envelope AS e FROM signed_messages WHERE id = $1', [id]);
  return rows[0]!.e.data;
}

async function published(id: string): Promise<{ one: unknown; listed: unknown }> {
  const one = await stack.get(`/api/messages/${id}`);
  const page = await stack.get(`/api/proposals/${proposalId}/messages?limit=100`);
  return { one: one.body.envelope, listed: page.body.items.find((m: { id: string }) => m.id === id)?.envelope };
}

/**
 * Posts each envelope; checks which parts were stored as part ids, and that both readers publish
 * the JSON value that was posted.
 */
async function postAndCheck(t: Test, cases: { name: string; envelope: unknown; compact: { domain: boolean; types: boolean } }[]) {
  for (const { name, envelope, compact } of cases) {
    const response = await stack.submit(envelope);
    t.equal(response.status, 200, `${name}: accepted`);
    const stored = await storedData(response.body.id);
    t.equal(typeof stored.domain === 'string', compact.domain, `${name}: domain ${compact.domain ? 'as a part id' : 'stored in full'}`);
    t.equal(typeof stored.types === 'string', compact.types, `${name}: types ${compact.types ? 'as a part id' : 'stored in full'}`);
    const { one, listed } = await published(response.body.id);
    const posted = JSON.parse(JSON.stringify(envelope));
    t.strictSame(one, posted, `${name}: GET /api/messages/:id gives the posted envelope back`);
    t.strictSame(listed, posted, `${name}: GET /api/proposals/:id/messages gives it back`);
  }
}

t.test('the forms clients send are stored compact and published as posted', async (t) => {
  const canonical = await signVote(1, 'canonical');
  const withoutDomainType = await signVote(2, 'types without EIP712Domain');
  withoutDomainType.data.types = { Vote: MESSAGE_TYPES.Vote } as never;
  // jsonb keeps no key order, so a part in another key order is the same part.
  const reordered = await signVote(5, 'types and domain in another key order');
  reordered.data.types = { Vote: MESSAGE_TYPES.Vote, EIP712Domain: reordered.data.types.EIP712Domain } as never;
  const { name, version, chainId, salt } = reordered.data.domain;
  reordered.data.domain = { salt, chainId, version, name };
  const cases = [
    { name: 'types with EIP712Domain (typesFor)', envelope: canonical, compact: { domain: true, types: true } },
    { name: 'types without EIP712Domain', envelope: withoutDomainType, compact: { domain: true, types: true } },
    { name: 'types and domain in another key order', envelope: reordered, compact: { domain: true, types: true } },
  ];
  await postAndCheck(t, cases);
});

t.test('other accepted forms are stored as they came, and published as they came', async (t) => {
  const chainIdString = await signVote(3, 'chain id as a string');
  (chainIdString.data.domain as { chainId: unknown }).chainId = String(chainIdString.data.domain.chainId);
  const upperSalt = await signVote(4, 'upper-case salt');
  upperSalt.data.domain = { ...upperSalt.data.domain, salt: `0x${upperSalt.data.domain.salt.slice(2).toUpperCase()}` };
  const cases = [
    { name: 'chain id as a string', envelope: chainIdString, compact: { domain: false, types: true } },
    { name: 'upper-case salt', envelope: upperSalt, compact: { domain: false, types: true } },
  ];
  await postAndCheck(t, cases);
});

t.test('batch items are stored compact and published as posted', async (t) => {
  const envelopes = [await signVote(6, 'batch one'), await signVote(7, 'batch two')];
  const response = await stack.app.inject({ method: 'POST', url: '/api/messages/batch', payload: envelopes });
  t.equal(response.statusCode, 200);
  const results = response.json().results as { ok: boolean; id: string }[];
  t.same(
    results.map((r) => r.ok),
    [true, true],
  );
  for (const [i, result] of results.entries()) {
    const stored = await storedData(result.id);
    t.ok(typeof stored.domain === 'string' && typeof stored.types === 'string', `item ${i}: domain and types as part ids`);
    t.same((await published(result.id)).one, envelopes[i], `item ${i}: published as posted`);
  }
});

t.test('a second instance reuses the parts; the rows cannot change', async (t) => {
  const before = (await db.query<{ n: string }>('SELECT count(*)::text AS n FROM envelope_parts')).rows[0]!.n;
  const second = await stack.startApp();
  t.equal((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM envelope_parts')).rows[0]!.n, before, 'no new rows');
  const response = await stack.submit(await signVote(8, 'through the second instance'), second);
  t.equal(response.status, 200);
  const stored = await storedData(response.body.id);
  const first = await storedData(
    (await db.query<{ id: string }>(`SELECT id FROM signed_messages WHERE type = 'Vote' ORDER BY received_at LIMIT 1`)).rows[0]!.id,
  );
  t.equal(stored.domain, first.domain, 'the same domain part id');
  t.equal(stored.types, first.types, 'the same types part id');
  // An id is the part's content (SHA-256 of its text): the same in every database.
  t.equal(stored.domain, envelopePartId(JSON.stringify(testDomain())), "the domain's id is the hash of its text");
  t.equal(stored.types, envelopePartId(JSON.stringify(typesFor('Vote'))), "the types' id is the hash of their text");
  await t.rejects(db.query(`UPDATE envelope_parts SET text = '{}'`), /append-only|not allowed|rejected/i, 'a part cannot be changed');
  await t.rejects(db.query('DELETE FROM envelope_parts'), /append-only|not allowed|rejected/i, 'a part cannot be deleted');
});
