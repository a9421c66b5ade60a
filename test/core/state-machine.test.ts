/**
 * The proposal state machine's table (core/lifecycle/state-machine.ts): which transitions exist and
 * by which cause, the initial state and the deadlines. The transitions themselves, applied to a
 * database by the engine and the message handlers, are covered by lifecycle.test.ts and restart.test.ts.
 */
import t from 'tap';
import { initialState, isAllowedTransition, nextDeadline, TRANSITIONS } from '../../core/lifecycle/state-machine.js';
import { ACTIVE_STATES, PROPOSAL_STATES } from '../../core/lifecycle/states.js';

t.test('timed transitions happen by timer or sweep, never by a message', async (t) => {
  for (const [from, to] of [
    ['pending', 'temperature'],
    ['temperature', 'defeated'],
    ['temperature', 'consensus'],
    ['temperature', 'awaiting-advance'],
    ['consensus', 'defeated'],
    ['consensus', 'accepted'],
    ['consensus', 'queued'],
  ] as const) {
    t.ok(isAllowedTransition({ from, to, cause: 'schedule' }), `${from} → ${to} by schedule`);
    t.ok(isAllowedTransition({ from, to, cause: 'sweep' }), `${from} → ${to} by sweep`);
    t.notOk(isAllowedTransition({ from, to, cause: 'message' }), `${from} → ${to} not by message`);
  }
});

t.test('messages advance an awaiting proposal and cancel an active one', async (t) => {
  t.ok(isAllowedTransition({ from: 'awaiting-advance', to: 'consensus', cause: 'message' }));
  t.notOk(isAllowedTransition({ from: 'awaiting-advance', to: 'consensus', cause: 'schedule' }), 'awaiting-advance has no timer');
  for (const from of PROPOSAL_STATES) {
    t.equal(isAllowedTransition({ from, to: 'cancelled', cause: 'message' }), ACTIVE_STATES.includes(from), `cancel from ${from}`);
  }
});

t.test('a queued proposal ends as the chain decides, and only by the chain', async (t) => {
  for (const to of ['executed', 'cancelled', 'defeated', 'expired'] as const) {
    t.ok(isAllowedTransition({ from: 'queued', to, cause: 'chain' }), `queued → ${to} by chain`);
    for (const cause of ['schedule', 'sweep', 'message'] as const)
      t.notOk(isAllowedTransition({ from: 'queued', to, cause }), `queued → ${to} not by ${cause}`);
  }
  t.notOk(isAllowedTransition({ from: 'consensus', to: 'executed', cause: 'chain' }), 'only a queued proposal is executed');
});

t.test('final states have no way out', async (t) => {
  for (const from of ['accepted', 'executed', 'expired', 'defeated', 'cancelled'] as const) {
    t.same(
      TRANSITIONS.filter((transition) => transition.from === from),
      [],
      from,
    );
  }
  t.notOk(isAllowedTransition({ from: 'temperature', to: 'accepted', cause: 'schedule' }), 'no skipping the consensus check');
  t.notOk(isAllowedTransition({ from: 'pending', to: 'consensus', cause: 'schedule' }), 'no skipping the temperature check');
});

t.test('initial state and deadlines', async (t) => {
  t.equal(initialState(0), 'temperature');
  t.equal(initialState(60), 'pending');
  const times = { temperatureStart: new Date(1000), temperatureEnd: new Date(2000), consensusEnd: new Date(3000) };
  t.same(nextDeadline({ ...times, state: 'pending' }), times.temperatureStart);
  t.same(nextDeadline({ ...times, state: 'temperature' }), times.temperatureEnd);
  t.same(nextDeadline({ ...times, state: 'consensus' }), times.consensusEnd);
  for (const state of ['awaiting-advance', 'accepted', 'queued', 'executed', 'expired', 'defeated', 'cancelled'] as const)
    t.equal(nextDeadline({ ...times, state }), null, `${state} has no deadline`);
});
