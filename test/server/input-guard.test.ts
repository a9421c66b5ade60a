/**
 * findTextProblem (server/http/input-guard.ts) on its own: the first problem in document order, with
 * the JSON pointer of the value or key that holds it (RFC 6901 escaping), and nothing for clean input.
 * The HTTP behaviour around it is in hardening-input.test.ts.
 */
import t from 'tap';
import { findTextProblem, MAX_JSON_DEPTH } from '../../server/http/input-guard.js';

t.test('clean input: no problem', async (t) => {
  t.equal(findTextProblem({ a: ['x', 1, null, true, { b: 'é 😀' }], c: Buffer.from([0]) }), null);
  t.equal(findTextProblem('plain'), null);
  t.equal(findTextProblem(JSON.parse('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))), null, `${MAX_JSON_DEPTH} levels are accepted`);
});

t.test('each problem with its pointer', async (t) => {
  t.same(findTextProblem({ a: [1, { 'x/y~': ['ok', 'bad\u0000'] }] }), { path: '/a/1/x~1y~0/1', problem: 'nul' }, 'keys escaped as RFC 6901 says');
  t.same(findTextProblem({ s: 'x\ud800' }), { path: '/s', problem: 'surrogate' }, 'a lone high surrogate');
  t.same(findTextProblem({ s: '\udc00y' }), { path: '/s', problem: 'surrogate' }, 'a lone low surrogate');
  t.same(findTextProblem({ k: { 'b\u0000': 1 } }), { path: '/k/b\u0000', problem: 'nul' }, 'in a key');
  t.same(findTextProblem('\u0000'), { path: '/', problem: 'nul' }, 'at the root');
  t.same(findTextProblem({ q: 'x\u0000' }, MAX_JSON_DEPTH, '/data'), { path: '/data/q', problem: 'nul' }, 'under a root path');
  const deep = JSON.parse('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1));
  t.same(findTextProblem(deep), { path: '/0'.repeat(MAX_JSON_DEPTH), problem: 'depth' }, 'one level too deep');
  t.same(findTextProblem(JSON.parse('['.repeat(12_000) + ']'.repeat(12_000))), { path: '/0'.repeat(MAX_JSON_DEPTH), problem: 'depth' }, '12,000 deep');
});

t.test('the first problem in document order is the one named', async (t) => {
  t.same(findTextProblem({ a: { b: 'x\u0000' }, c: 'y\u0000' }), { path: '/a/b', problem: 'nul' });
  t.same(findTextProblem(['ok', ['\ud800'], '\u0000']), { path: '/1/0', problem: 'surrogate' });
});
