/** Spaces are created and changed by signed admin messages; every change is kept with who and when. */
import t from 'tap';
import { createSpace, spaceSettings, startStack } from '../helpers/stack.js';
import { nowSeconds } from '../helpers/messages.js';

t.test('spaces, settings changes, history and sub-spaces', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const [admin, alice, , , , moderator] = stack.wallets as any[];

  const created = await createSpace(stack, 'blocktrack');
  t.equal(created.status, 200);
  const space = (await stack.get('/api/spaces/blocktrack')).body;
  t.equal(space.settings.name, 'Blocktrack DAO');
  t.same(space.settings.admins, [admin.address.toLowerCase()], 'addresses are stored lowercase');
  t.equal(space.settings.maxActiveProposalsPerAuthor, 10, 'defaults are filled in');
  t.equal(space.settings.advance, 'auto');

  // The admin hands over to a new admin team and renames the space.
  const update = await stack.submit(
    await stack.sign(admin, 'Space', {
      from: admin.address,
      space: 'blocktrack',
      timestamp: nowSeconds() + 1,
      settings: JSON.stringify(spaceSettings(stack, { name: 'Blocktrack', admins: [admin.address, alice.address] })),
    }),
  );
  t.equal(update.status, 200, JSON.stringify(update.body));
  const history = (await stack.get('/api/spaces/blocktrack/history')).body.items;
  t.equal(history.length, 2);
  t.equal(history[0].previous, null);
  t.equal(history[1].actor, admin.address.toLowerCase());
  t.equal(history[1].previous.name, 'Blocktrack DAO');
  t.equal(history[1].settings.name, 'Blocktrack');
  t.equal(history[1].messageId, update.body.id);
  t.ok(Date.parse(history[1].at) >= Date.parse(history[0].at));

  // A sub-DAO is created by an admin of its parent, and listed under it.
  const notParentAdmin = await stack.submit(
    await stack.sign(moderator, 'Space', {
      from: moderator.address,
      space: 'edu.blocktrack',
      timestamp: nowSeconds(),
      settings: JSON.stringify(spaceSettings(stack, { name: 'Education', parent: 'blocktrack', admins: [moderator.address] })),
    }),
  );
  t.equal(notParentAdmin.status, 403);
  t.equal(notParentAdmin.body.code, 'NOT_PARENT_ADMIN');
  const sub = await stack.submit(
    await stack.sign(alice, 'Space', {
      from: alice.address,
      space: 'edu.blocktrack',
      timestamp: nowSeconds(),
      settings: JSON.stringify(spaceSettings(stack, { name: 'Education', parent: 'blocktrack', admins: [alice.address] })),
    }),
  );
  t.equal(sub.status, 200, JSON.stringify(sub.body));
  const children = (await stack.get('/api/spaces?parent=blocktrack')).body.items;
  t.same(
    children.map((s: any) => s.id),
    ['edu.blocktrack'],
  );
  const all = await stack.get('/api/spaces?limit=1');
  t.equal(all.body.items.length, 1);
  const second = await stack.get(`/api/spaces?limit=1&cursor=${all.body.nextCursor}`);
  t.not(second.body.items[0].id, all.body.items[0].id, 'pagination moves on');

  t.equal((await stack.get('/api/spaces/nope')).body.code, 'SPACE_NOT_FOUND');
  t.equal((await stack.get('/docs/json')).status, 200, 'OpenAPI document is served');
  const openapi = (await stack.get('/docs/json')).body;
  t.ok(openapi.paths['/api/messages'].post.requestBody, 'the message route documents its body');
  t.ok(openapi.paths['/api/proposals/{id}/tally'].get.responses['200'], 'routes document their responses');
  const health = await stack.get('/health');
  t.same(health.body, { status: 'ok', checks: { database: 'ok', redis: 'ok', chain: 'ok' } });
});
