/**
 * RELAYER_CONFIRMATIONS=2 on a chain that automines (a block only per transaction): the relayer says
 * so at start (a warning log line) and, once the head has not moved for the stall time, in /health's
 * warnings and once more in the log; a new block clears the /health warning. With one confirmation,
 * nothing is said.
 */
import t from 'tap';
import { createRelayer } from '../../relayer/relayer.js';
import { startStack, waitFor } from '../helpers/stack.js';
import { capturingLogger } from '../helpers/log-capture.js';

const logCapture = () => capturingLogger('info');

t.test('an automining chain with RELAYER_CONFIRMATIONS=2 is reported in the log and /health', async (t) => {
  const stack = await startStack({ dao: {} });
  t.teardown(() => stack.close());

  const quiet = logCapture();
  const one = await createRelayer({ ...stack.config, RELAYER_CONFIRMATIONS: 1 }, { logger: quiet.logger, stallWarnMs: 500 });
  t.teardown(() => one.close());
  await new Promise((r) => setTimeout(r, 1200));
  t.same(
    quiet.lines.filter((l) => /automin/.test(l.msg)),
    [],
    'one confirmation: nothing to say',
  );
  t.same(
    (await one.health()).warnings.filter((w) => /automin/.test(w)),
    [],
  );
  await one.close();

  const { lines, logger } = logCapture();
  const relayer = await createRelayer({ ...stack.config, RELAYER_CONFIRMATIONS: 2 }, { logger, stallWarnMs: 1000 });
  t.teardown(() => relayer.close());
  const startup = lines.find((l) => /the chain automines/.test(l.msg));
  t.ok(startup, 'a warning at start');
  t.equal(startup?.level, 40, 'at warn level');
  t.match(startup?.msg, /RELAYER_CONFIRMATIONS=2.*set RELAYER_CONFIRMATIONS=1 or enable interval mining/);

  const stalled = await waitFor(
    async () => (await relayer.health()).warnings.find((w) => /no new block for \d+ s on an automining chain/.test(w)),
    10_000,
    200,
  );
  t.ok(stalled, `/health warns: ${stalled}`);
  t.equal((await relayer.health()).status, 'ok', 'a warning, not a failure');
  await waitFor(async () => lines.some((l) => /no new block for/.test(l.msg)), 5000, 100);
  t.pass('and the stall is logged');

  await stack.chain.provider.send('evm_mine', []);
  await waitFor(async () => !(await relayer.health()).warnings.some((w) => /no new block/.test(w)), 5000, 100);
  t.pass('a new block clears the /health warning');
});
