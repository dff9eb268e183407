import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CoalescedPass } from './coalesced-pass.js';

test('calls during a pass coalesce into exactly one more pass', async () => {
  let passes = 0;
  let release: () => void = () => undefined;
  const runner = new CoalescedPass(async () => {
    passes++;
    if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
  }, assert.fail);
  const first = runner.run();
  const more = [runner.run(), runner.run(), runner.run()];
  release();
  await Promise.all([first, ...more]);
  assert.equal(passes, 2);
});

test('a failed pass is reported and later passes still run; after stop nothing runs', async () => {
  const errors: string[] = [];
  let passes = 0;
  const runner = new CoalescedPass(
    async () => {
      passes++;
      if (passes === 1) throw new Error('boom');
    },
    (error) => errors.push(error.message),
  );
  await runner.run();
  await runner.run();
  assert.deepEqual(errors, ['boom']);
  assert.equal(passes, 2);
  await runner.stop();
  assert.equal(runner.isStopped, true);
  await runner.run();
  assert.equal(passes, 2);
});

test('with a minimum gap, passes start that far apart and calls meanwhile make one pass; stop cancels a waiting pass', async () => {
  const starts: number[] = [];
  const runner = new CoalescedPass(
    async () => {
      starts.push(Date.now());
    },
    assert.fail,
    200,
  );
  await runner.run();
  await Promise.all([runner.run(), runner.run(), runner.run()]);
  assert.equal(starts.length, 2, 'the calls during the gap made one pass');
  assert.ok(starts[1]! - starts[0]! >= 195, `the second pass started ${starts[1]! - starts[0]!} ms after the first`);
  const waiting = runner.run();
  const stoppedAt = Date.now();
  await runner.stop();
  await waiting;
  assert.ok(Date.now() - stoppedAt < 150, 'stop did not wait out the gap');
  assert.equal(starts.length, 2, 'the pass waiting for its gap did not run');
});
