/**
 * The server's node flags (server/node-flags.ts) are the ones every way of starting it uses:
 * `npm start`, the image's entrypoint, and the benchmark (which imports them). Node accepts them.
 */
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../core/project-root.js';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.js';

const read = (file: string) => readFileSync(join(projectRoot, file), 'utf8');
const flags = SERVER_NODE_FLAGS.join(' ');

t.test('npm start and the image entrypoint start the server with exactly these flags', async (t) => {
  const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
  t.equal(start, `node ${flags} --import tsx server/main.ts`, 'npm start');
  const serverLine = read('docker-entrypoint.sh')
    .split('\n')
    .find((line) => line.trim().startsWith('server)'));
  t.match(serverLine, `exec node ${flags} dist/server/main.js ;;`, 'docker-entrypoint.sh server');
});

t.test('node accepts the flags, and the young generation grows to the size they set', async (t) => {
  const probe =
    "const v8=require('v8');let a=[];for(let i=0;i<4e6;i++){a.push({i});if(a.length>1e5)a=[]}console.log(v8.getHeapSpaceStatistics().find(s=>s.space_name==='new_space').space_size)";
  const run = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', probe], { encoding: 'utf8' });
  t.equal(run.status, 0, run.stderr);
  const semiSpaceMiB = Number(/--max-semi-space-size=(\d+)/.exec(flags)?.[1]);
  const newSpaceMiB = Number(run.stdout) / 2 ** 20;
  t.ok(newSpaceMiB > 32, `new space ${newSpaceMiB} MiB, above the default 32 MiB`);
  t.ok(newSpaceMiB <= 2 * semiSpaceMiB, 'and at most two semi-spaces of the set size');
});
