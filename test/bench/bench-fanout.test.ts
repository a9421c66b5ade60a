/**
 * The fan-out figure's arithmetic (bench/ws-fanout.ts): each acknowledged vote is measured with the
 * first update taken after its acknowledgement, and the last votes of a run, acknowledged after the
 * last update was taken, only with that update when it counts every accepted vote.
 */
import t from 'tap';
import { fanoutLatency } from '../../bench/ws-fanout.js';

type Update = [number, [number, number][], number];

t.test('a vote is measured from its acknowledgement to the first update taken after it', async (t) => {
  // Two subscribers; updates taken at 1000 and 1200 (2 and 3 voters counted).
  const updates: Update[] = [
    [
      1000,
      [
        [1010, 1],
        [1030, 1],
      ],
      2,
    ],
    [1200, [[1250, 2]], 3],
  ];
  const report = { updates, tallyMessages: 4, otherMessages: 0, errors: 0, open: 2 };
  const result = fanoutLatency(
    report,
    2,
    [
      { atEpochMs: 990, votes: 2 },
      { atEpochMs: 1100, votes: 1 },
    ],
    3,
  );
  // Pairs: (990 → 1010) ×2 votes = 20 ms, (990 → 1030) ×2 = 40 ms, (1100 → 1250) ×2 subscribers = 150 ms.
  t.equal(result.pairs, 6);
  t.equal(result.neverUpdated, 0);
  t.equal(result.p50, 40);
  t.equal(result.max, 150);
  t.equal(result.updates, 2);
});

t.test('votes acknowledged after the last update count with it only if it counts every accepted vote', async (t) => {
  const updates: Update[] = [[1000, [[1040, 2]], 3]];
  const report = { updates, tallyMessages: 2, otherMessages: 0, errors: 0, open: 2 };
  const acks = [
    { atEpochMs: 950, votes: 2 },
    { atEpochMs: 1020, votes: 1 }, // acknowledged after the update was taken, before it arrived
  ];

  const complete = fanoutLatency(report, 2, acks, 3);
  t.equal(complete.neverUpdated, 0, 'the last update holds all 3 accepted votes');
  t.equal(complete.max, 90, '950 → 1040');
  t.equal(complete.pairs, 6);

  const incomplete = fanoutLatency(report, 2, acks, 4);
  t.equal(incomplete.neverUpdated, 2, 'a fourth accepted vote is missing from it: the late vote is never updated, for both subscribers');
  t.equal(incomplete.max, Infinity);
});

t.test('an acknowledgement after the last update, which it came too late for, is never measured as negative', async (t) => {
  const updates: Update[] = [[1000, [[1005, 1]], 1]];
  const report = { updates, tallyMessages: 1, otherMessages: 0, errors: 0, open: 1 };
  const result = fanoutLatency(report, 1, [{ atEpochMs: 1010, votes: 1 }], 1);
  t.equal(result.max, 0);
  t.equal(result.neverUpdated, 0);
});
