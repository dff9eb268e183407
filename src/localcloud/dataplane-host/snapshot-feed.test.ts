import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../logging/logger.js';
import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';
import { SnapshotFeed } from './snapshot-feed.js';

/**
 * A cloud whose snapshot takes `passMs` to read and names its version in the one network it has;
 * `change()` makes a new version and notifies, as an emulator does after a committed change.
 */
function slowCloud(passMs: number) {
  let version = 0;
  let reads = 0;
  const listeners = new Set<() => void>();
  const source: SnapshotSource = {
    async snapshot() {
      reads++;
      const seen = version;
      await sleep(passMs);
      return {
        takenAt: new Date(),
        nextTransitionAt: null,
        networks: [{ cloud: 'AWS', networkId: `v${seen}`, accountId: 'a', region: 'r', cidrBlock: '10.0.0.0/16', isDefault: false, loopbackOctet: 1 }],
        securityGroups: [],
        loadBalancers: [],
        services: [],
        endpoints: [],
      } satisfies DataPlaneSnapshot;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    source,
    change() {
      version++;
      for (const listener of listeners) listener();
    },
    get version() {
      return version;
    },
    get reads() {
      return reads;
    },
  };
}

test('a stream of changes over a slow cloud is paced once passes take half the time, and the last change is published', async () => {
  const cloud = slowCloud(40);
  const published: string[] = [];
  const feed = new SnapshotFeed(cloud.source, (s) => published.push(s.networks.at(0)!.networkId), createLogger('silent'), 60_000);
  await feed.start();
  // A change every 5 ms for two seconds. In the first second the 40 ms passes run back to back
  // until they have taken half of it; in the second they rest 40 ms after each: about 13 reads,
  // against about 25 unpaced.
  const started = Date.now();
  let readsAtOneSecond = 0;
  while (Date.now() - started < 2000) {
    cloud.change();
    await sleep(5);
    if (readsAtOneSecond === 0 && Date.now() - started >= 1000) readsAtOneSecond = cloud.reads;
  }
  const reads = cloud.reads - readsAtOneSecond;
  assert.ok(reads <= 17, `${reads} snapshot reads in the second second of changes (paced: about 13)`);
  assert.ok(reads >= 6, `${reads} snapshot reads: the feed kept following the changes`);
  // Nothing is lost: once the changes stop, the last version is published.
  const deadline = Date.now() + 2000;
  while (published.at(-1) !== `v${cloud.version}` && Date.now() < deadline) await sleep(10);
  assert.equal(published.at(-1), `v${cloud.version}`);
  await feed.stop();
});

test('a fast cloud is not held back, and stop() ends a rest at once', async () => {
  const fast = slowCloud(0);
  const published: string[] = [];
  const feed = new SnapshotFeed(fast.source, (s) => published.push(s.networks.at(0)!.networkId), createLogger('silent'), 60_000);
  await feed.start();
  fast.change();
  await feed.refresh();
  assert.equal(published.at(-1), `v${fast.version}`, 'a change is published by the next refresh');

  const slow = slowCloud(600);
  const feed2 = new SnapshotFeed(slow.source, () => undefined, createLogger('silent'), 60_000);
  await feed2.start(); // one 600 ms pass: the next rests up to 600 ms
  slow.change(); // starts a pass that rests first
  await sleep(20);
  const stopping = Date.now();
  await feed2.stop();
  assert.ok(Date.now() - stopping < 300, `stop() took ${Date.now() - stopping} ms during a rest`);
  await feed.stop();
});
