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
