import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../../logging/logger.js';
import type { DataPlaneSnapshot, SnapshotSource } from '../common/data-plane-snapshot.js';
import { DataPlaneHost } from './data-plane-host.js';

// The real worker thread with its public gateway: the gateway reads its whole list of routes
// again when a table they are read from is written, not on every write of the process.
const writes = { value: 0 };
const routeWrites = { value: 0 };
let asks = 0;
let host: DataPlaneHost;
let dataDir: string;

const empty: DataPlaneSnapshot = { takenAt: new Date(), nextTransitionAt: null, networks: [], securityGroups: [], loadBalancers: [], services: [], endpoints: [] };
const source: SnapshotSource = { snapshot: async () => empty, onChange: () => () => undefined };

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'privlink-public-routes-'));
  host = await DataPlaneHost.start({
    dns: { address: '127.0.0.1', port: 0, ttl: 60 },
    // The gateway's own poll is out of the way: only writes make it ask.
    localCloud: { source, dataDir, publicGatewayPollMs: 600_000 },
    lookups: {
      dnsRecords: async () => undefined,
      horizon: async () => undefined,
      publicRoutes: async () => {
        asks++;
        return { version: 0, whole: [] };
      },
    },
    writes,
    publicRouteWrites: routeWrites,
    log: createLogger('silent'),
    logLevel: 'silent',
  });
});

after(async () => {
  await host?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`never: ${what}`);
    await sleep(20);
  }
}

test('writes to other tables leave the public routes alone; a write to theirs asks for them again', async () => {
  await eventually(() => asks === 1, 'the gateway asked for its routes when it started');
  // Ten write bursts, each seen by the host's invalidation (every 100 ms), none to the route tables.
  for (let i = 0; i < 10; i++) {
    writes.value++;
    await sleep(150);
  }
  assert.equal(asks, 1, 'writes to tables the routes are not read from do not make the gateway read them');
  writes.value++;
  routeWrites.value++;
  await eventually(() => asks === 2, 'a write to a route table made the gateway read its routes again');
});
