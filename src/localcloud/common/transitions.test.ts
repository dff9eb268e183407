import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { advance, PURGED, resting, scheduled, type FollowUp } from './transitions.js';

const T0 = new Date('2025-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const deletedVanishes: FollowUp = (state) => (state === 'deleted' ? { next: PURGED, afterMs: 600 } : undefined);

describe('lazy transitions', () => {
  // Decision table: row timing × now → resulting state.
  const cases: Array<{ name: string; row: ReturnType<typeof scheduled>; now: number; state: string; nextState: string | null; purged: boolean; entered: string[] }> = [
    { name: 'not yet due stays', row: scheduled('pending', 'available', 1000, T0), now: 999, state: 'pending', nextState: 'available', purged: false, entered: [] },
    { name: 'due exactly advances', row: scheduled('pending', 'available', 1000, T0), now: 1000, state: 'available', nextState: null, purged: false, entered: ['available'] },
    { name: 'a zero delay is due at once', row: scheduled('pending', 'available', 0, T0), now: 0, state: 'available', nextState: null, purged: false, entered: ['available'] },
    { name: 'resting rows never move', row: resting('pendingAcceptance'), now: 10 ** 9, state: 'pendingAcceptance', nextState: null, purged: false, entered: [] },
    {
      name: 'a follow-up is scheduled from the due time',
      row: scheduled('deleting', 'deleted', 100, T0),
      now: 650,
      state: 'deleted',
      nextState: PURGED,
      purged: false,
      entered: ['deleted'],
    },
    {
      name: 'chained steps all due end purged',
      row: scheduled('deleting', 'deleted', 100, T0),
      now: 700,
      state: PURGED,
      nextState: null,
      purged: true,
      entered: ['deleted', PURGED],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = advance(c.row, at(c.now), deletedVanishes);
      assert.equal(result.state, c.state);
      assert.equal(result.nextState, c.nextState);
      assert.equal(result.purged, c.purged);
      assert.deepEqual(
        result.entered.map((e) => e.state),
        c.entered,
      );
    });
  }

  test('states are entered at their due time, not at the time of reading', () => {
    const result = advance(scheduled('deleting', 'deleted', 100, T0), at(5000), deletedVanishes);
    assert.deepEqual(
      result.entered.map((e) => e.at.getTime() - T0.getTime()),
      [100, 700],
    );
  });

  test('advancing twice to the same instant changes nothing the second time (idempotent)', () => {
    const once = advance(scheduled('pending', 'available', 10, T0), at(20));
    const twice = advance(once, at(20));
    assert.equal(twice.state, 'available');
    assert.deepEqual(twice.entered, []);
  });
});
