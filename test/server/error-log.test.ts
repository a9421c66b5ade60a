/**
 * A refused request (4xx) is the client's mistake: one info line with its status and code, no stack.
 * A 5xx is the server's: an error line with the stack. Read from the pino output of a real app.
 */
import t from 'tap';
import { buildApp } from '../../server/app.js';
import { startStack } from '../helpers/stack.js';
import { captureLogLines } from '../helpers/log-capture.js';

t.test('4xx logged at info without stack, 5xx at error with stack', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { lines, stream: logStream } = captureLogLines();
  const app = await buildApp({ ...stack.config, LOG_LEVEL: 'info' }, { logStream });
  app.get('/test-boom', async () => {
    throw new Error('boom from a handler');
  });
  await app.ready();
  t.teardown(() => app.close());

  const refusals = [
    await app.inject({ method: 'POST', url: '/api/messages', payload: { nonsense: true } }),
    await app.inject({ method: 'POST', url: '/api/messages', headers: { 'content-type': 'application/json' }, payload: '{not json' }),
    await app.inject({ method: 'GET', url: '/api/spaces/nope' }),
  ];
  for (const r of refusals) t.ok(r.statusCode >= 400 && r.statusCode < 500, `refused with ${r.statusCode}`);
  const boom = await app.inject({ method: 'GET', url: '/test-boom' });
  t.equal(boom.statusCode, 500);
  t.same(boom.json(), { code: 'INTERNAL_ERROR', message: 'internal error' }, 'nothing internal leaks');

  const INFO = 30;
  const refusedLines = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('refused: '));
  t.equal(refusedLines.length, 3, 'one line per refused request');
  for (const l of refusedLines) {
    t.equal(l.level, INFO, `${l.code} at info`);
    t.ok(l.statusCode >= 400 && l.statusCode < 500);
    t.type(l.code, 'string');
    t.notOk(l.err, 'no error object');
    t.notOk(JSON.stringify(l).includes('    at '), 'no stack trace');
  }
  t.same(refusedLines.map((l) => l.code).sort(), ['INVALID_ENVELOPE', 'INVALID_JSON', 'SPACE_NOT_FOUND']);
  // Request-scoped lines only (the start-up warning about a random receipt key is not a request's).
  const errorLines = lines.filter((l) => l.level >= 40 && l.reqId);
  t.equal(errorLines.length, 1, 'the 500 is the only warn-or-worse line: ' + JSON.stringify(errorLines.map((l) => l.msg)));
  t.equal(errorLines[0].level, 50, 'at error');
  t.match(errorLines[0].err.stack, /boom from a handler\n\s+at /, 'with its stack');
});
