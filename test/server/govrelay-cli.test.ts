/**
 * The admin CLI (scripts/govrelay.ts) against a real server: a space created and updated from a
 * settings file, a proposal created from a proposal file (payload hash computed, snapshot from the
 * chain), the typed data printed for an external wallet and submitted with its signature, refusals
 * reported with the server's code; and `npm run govrelay` as a child process.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Interface, Wallet } from 'ethers';
import { runCli } from '../../scripts/govrelay.js';
import { MESSAGE_TYPES } from '../../server/eip712/types.js';
import { hashPayload } from '../../core/proposals/payload.js';
import { spaceSettings, startStack } from '../helpers/stack.js';
import { runCommand } from '../helpers/run-command.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

t.test('space create/update and proposal create, signed from the environment or by an external wallet', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  const address = stack.app.server.address() as { port: number };
  const server = `http://127.0.0.1:${address.port}`;
  const dir = mkdtempSync(join(tmpdir(), 'govrelay-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const [admin, alice, outsider] = stack.wallets as Wallet[];
  const settingsFile = join(dir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify(spaceSettings(stack)));

  const noKey = capture();
  t.equal(await runCli(['space', 'create', '--id', 'clidao', '--file', settingsFile, '--server', server], noKey.io, {}), 2, 'no key: usage error');
  t.match(noKey.err.join('\n'), /set GOVRELAY_PRIVATE_KEY/);

  const created = capture();
  t.equal(
    await runCli(['space', 'create', '--id', 'clidao', '--file', settingsFile, '--server', server], created.io, { GOVRELAY_PRIVATE_KEY: admin!.privateKey }),
    0,
    created.err.join('\n'),
  );
  t.match(JSON.parse(created.out.join('\n')).id, /^0x[0-9a-f]{64}$/, 'prints the receipt with the message id');
  t.equal((await stack.get('/api/spaces/clidao')).body.settings.name, 'Blocktrack DAO', 'the space exists');

  const again = capture();
  t.equal(
    await runCli(['space', 'create', '--id', 'clidao', '--file', settingsFile, '--server', server], again.io, { GOVRELAY_PRIVATE_KEY: admin!.privateKey }),
    1,
  );
  t.match(again.err.join('\n'), /already exists: use space update/);

  writeFileSync(settingsFile, JSON.stringify(spaceSettings(stack, { name: 'CLI DAO' })));
  const refused = capture();
  t.equal(
    await runCli(
      ['space', 'update', '--id', 'clidao', '--file', settingsFile, '--server', server, '--timestamp', String(Math.floor(Date.now() / 1000) + 1)],
      refused.io,
      { GOVRELAY_PRIVATE_KEY: outsider!.privateKey },
    ),
    1,
    'a non-admin is refused',
  );
  t.match(refused.err.join('\n'), /refused \(403\): \S+/, 'with the server status and code');
  const updated = capture();
  t.equal(
    await runCli(
      ['space', 'update', '--id', 'clidao', '--file', settingsFile, '--server', server, '--timestamp', String(Math.floor(Date.now() / 1000) + 1)],
      updated.io,
      { GOVRELAY_PRIVATE_KEY: admin!.privateKey },
    ),
    0,
    updated.err.join('\n'),
  );
  t.equal((await stack.get('/api/spaces/clidao')).body.settings.name, 'CLI DAO', 'the update applied');

  // A proposal with a payload: its hash is computed, the snapshot read from the chain.
  const payload = {
    targets: [String(stack.token.target)],
    values: ['0'],
    calldatas: [new Interface(['function transfer(address,uint256)']).encodeFunctionData('transfer', [outsider!.address, 1n])],
  };
  const proposalFile = join(dir, 'proposal.json');
  writeFileSync(proposalFile, JSON.stringify({ space: 'clidao', title: 'A signal from the CLI', body: 'body text' }));
  const proposal = capture();
  t.equal(
    await runCli(['proposal', 'create', '--file', proposalFile, '--server', server, '--rpc', stack.chain.rpcUrl], proposal.io, {
      GOVRELAY_PRIVATE_KEY: alice!.privateKey,
    }),
    0,
    proposal.err.join('\n'),
  );
  const proposalId = JSON.parse(proposal.out.join('\n')).id;
  const stored = (await stack.get(`/api/proposals/${proposalId}`)).body;
  t.equal(stored.title, 'A signal from the CLI');
  t.same(stored.choices, ['For', 'Against', 'Abstain'], 'default choices');
  t.equal(stored.author, alice!.address.toLowerCase());

  // An external wallet: the CLI prints the typed data, the wallet signs it, `submit` posts it.
  writeFileSync(proposalFile, JSON.stringify({ space: 'clidao', title: 'Signed elsewhere', payload }));
  const printed = capture();
  t.equal(
    await runCli(
      ['proposal', 'create', '--file', proposalFile, '--server', server, '--rpc', stack.chain.rpcUrl, '--print-typed-data', '--from', alice!.address],
      printed.io,
      {},
    ),
    0,
    printed.err.join('\n'),
  );
  const typed = JSON.parse(printed.out.join('\n'));
  t.equal(typed.primaryType, 'Proposal');
  t.same(typed.types.Proposal, MESSAGE_TYPES.Proposal, 'the eth_signTypedData_v4 types');
  t.ok(typed.types.EIP712Domain, 'with EIP712Domain');
  t.equal(typed.message.payloadHash, hashPayload(payload), 'payloadHash computed from the payload');
  t.equal(typed.message.execution, 'timelock', 'a payload defaults to the timelock path');
  t.equal(typed.domain.salt, stack.config.DEPLOYMENT_SALT, "the server's domain");
  const sig = await alice!.signTypedData(typed.domain, { Proposal: typed.types.Proposal }, typed.message);
  const typedFile = join(dir, 'typed.json');
  writeFileSync(typedFile, JSON.stringify(typed));
  const submitted = capture();
  const submitCode = await runCli(['submit', '--typed-data', typedFile, '--signature', sig, '--file', proposalFile, '--server', server], submitted.io, {});
  // A timelock proposal needs an executor in the space settings: the server's refusal is printed with its code.
  t.equal(submitCode, 1, 'the server refuses it: the space has no executor');
  t.match(submitted.err.join('\n'), /refused \(400\): NO_EXECUTOR /, 'and the refusal is printed with its code');

  // A signal proposal signed externally is accepted.
  writeFileSync(proposalFile, JSON.stringify({ space: 'clidao', title: 'Signal signed elsewhere' }));
  const printed2 = capture();
  t.equal(
    await runCli(
      [
        'proposal',
        'create',
        '--file',
        proposalFile,
        '--server',
        server,
        '--rpc',
        stack.chain.rpcUrl,
        '--print-typed-data',
        '--from',
        alice!.address,
        '--timestamp',
        String(Math.floor(Date.now() / 1000) + 2),
      ],
      printed2.io,
      {},
    ),
    0,
  );
  const typed2 = JSON.parse(printed2.out.join('\n'));
  writeFileSync(typedFile, JSON.stringify(typed2));
  const sig2 = await alice!.signTypedData(typed2.domain, { Proposal: typed2.types.Proposal }, typed2.message);
  const submitted2 = capture();
  t.equal(await runCli(['submit', '--typed-data', typedFile, '--signature', sig2, '--server', server], submitted2.io, {}), 0, submitted2.err.join('\n'));
  t.equal((await stack.get(`/api/proposals/${JSON.parse(submitted2.out.join('\n')).id}`)).body.title, 'Signal signed elsewhere', 'stored');

  // As a person runs it: npm run govrelay, a child process.
  writeFileSync(settingsFile, JSON.stringify(spaceSettings(stack, { name: 'From npm' })));
  const child = await runCommand(
    'npm',
    ['run', '--silent', 'govrelay', '--', 'space', 'create', '--id', 'npmdao', '--file', settingsFile, '--server', server],
    {
      ...process.env,
      NODE_OPTIONS: '',
      GOVRELAY_PRIVATE_KEY: admin!.privateKey,
    },
  );
  t.equal(child.code, 0, child.stderr);
  t.equal((await stack.get('/api/spaces/npmdao')).body.settings.name, 'From npm', 'npm run govrelay created the space');
});
