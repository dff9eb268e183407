import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planLoopbackSlots, planWrites } from './loopback-slots.js';

const RANGE = { base: 0, maxSlot: 3 };

describe('planLoopbackSlots', () => {
  test('new networks take the lowest free slots in creation order', () => {
    const plan = planLoopbackSlots(['a', 'b', 'c'], [{ key: 'b', slot: 1 }], RANGE);
    assert.deepEqual(plan.given, [
      { key: 'a', slot: 2 },
      { key: 'c', slot: 3 },
    ]);
    assert.deepEqual(
      [...plan.byKey],
      [
        ['b', 1],
        ['a', 2],
        ['c', 3],
      ],
    );
    assert.deepEqual(plan.freed, []);
    assert.equal(planWrites(plan), true);
  });

  test("a gone network's slot and a slot beyond the range are freed and given again", () => {
    const plan = planLoopbackSlots(
      ['b', 'c'],
      [
        { key: 'a', slot: 1 },
        { key: 'b', slot: 9 },
      ],
      RANGE,
    );
    assert.deepEqual(plan.freed, ['a', 'b']);
    assert.deepEqual(plan.given, [
      { key: 'b', slot: 1 },
      { key: 'c', slot: 2 },
    ]);
  });

  test('when the range is full the rest are unplaced; a settled picture writes nothing', () => {
    const held = [
      { key: 'a', slot: 1 },
      { key: 'b', slot: 2 },
      { key: 'c', slot: 3 },
    ];
    const plan = planLoopbackSlots(['a', 'b', 'c', 'd'], held, RANGE);
    assert.deepEqual(plan.unplaced, ['d']);
    assert.equal(planWrites(plan), false);
    assert.equal(planWrites(planLoopbackSlots(['a', 'b', 'c'], held, RANGE)), false);
  });
});
