import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { syncPortAllocations } from '../../src/app/port-allocations.js';
import { insertProject } from '../../src/app/projects.service.js';
import { parseClusterSpec } from '../../src/domain/cluster.js';
import { newObjectId } from '../../src/domain/object-id.js';
import { openStore } from '../../src/store/database.js';
import { repositories } from '../../src/store/repositories.js';
import { WorkQueueRepository } from '../../src/store/work-queue.repository.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

const run = promisify(execFile);
let store: TestStore;
before(async () => {
  store = await openTestStore();
});
after(async () => store?.cleanup());

describe('PGlite data directory lock', () => {
  test('a second process on the same PGlite folder is refused with a clear error', async () => {
    const dir = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'lock-'));
    const first = await openStore({ kind: 'pglite', dataDir: dir });
    try {
      const script = `import('${new URL('../../src/store/database.js', import.meta.url).href}').then(m => m.openStore({ kind: 'pglite', dataDir: ${JSON.stringify(dir)} })).then(() => process.exit(0), e => { console.error(e.name + ': ' + e.message); process.exit(3); })`;
      const result = await run(process.execPath, ['-e', script]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      assert.equal(result.code, 3);
      assert.match(result.stderr, new RegExp(`DataDirLockedError: The data directory ${dir} is in use by another privlink process \\(pid ${process.pid}\\)`));
      assert.match(result.stderr, /set DATABASE_URL/);
    } finally {
      await first.close();
    }
    // Released on close: a new process may open it now.
    await run(process.execPath, [
      '-e',
      `import('${new URL('../../src/store/database.js', import.meta.url).href}').then(m => m.openStore({ kind: 'pglite', dataDir: ${JSON.stringify(dir)} })).then(s => s.close())`,
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a lock left by a process that died is taken over', async () => {
    const dir = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'stale-'));
    writeFileSync(join(dir, 'privlink.lock'), '999999999');
    const reopened = await openStore({ kind: 'pglite', dataDir: dir });
    await reopened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("PGlite runs with 16MB of shared buffers unless the location names a size (PostgreSQL's own default is 128MB)", async () => {
    const dir = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'buffers-'));
    const sharedBuffers = async (location: { kind: 'pglite'; dataDir: string; sharedBuffers?: string }): Promise<string> => {
      const opened = await openStore(location, { migrate: false });
      try {
        const { rows } = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(opened.db);
        return rows[0]!.shared_buffers;
      } finally {
        await opened.close();
      }
    };
    assert.equal(await sharedBuffers({ kind: 'pglite', dataDir: dir }), '16MB');
    assert.equal(await sharedBuffers({ kind: 'pglite', dataDir: dir, sharedBuffers: '48MB' }), '48MB');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe(`store on ${testBackend()}`, () => {
  test('migrations are forward-only and idempotent: running them again changes nothing', async () => {
    const { migrate } = await import('../../src/store/database.js');
    await migrate(store.store.db);
    const tables = await store.store.db.introspection.getTables();
    for (const name of ['organizations', 'projects', 'api_keys', 'clusters', 'endpoint_services', 'interface_endpoints', 'reconcile_queue', 'events', 'port_allocations']) {
      assert.ok(
        tables.some((t) => t.name === name),
        name,
      );
    }
  });

  test("concurrent transactions stay isolated (a rollback never undoes another transaction's commit)", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.store.transaction(async (trx) => {
          await trx
            .insertInto('settings')
            .values({ key: `tx-${i}`, value: 'v' })
            .execute();
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          if (i % 3 === 0) throw new Error('roll back');
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'rejected').length, 7);
    const keys = (await store.store.db.selectFrom('settings').select('key').where('key', 'like', 'tx-%').execute()).map((r) => r.key).sort();
    assert.deepEqual(
      keys,
      Array.from({ length: 20 }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => `tx-${i}`)
        .sort(),
    );
  });

  test('the reconcile queue: two claimers never hold the same key; a wake-up during a pass is not lost', async () => {
    const queue = new WorkQueueRepository(store.store.db);
    for (let i = 0; i < 40; i++) await queue.enqueue('k', `key-${i}`);
    // A second store connection is a second replica on PostgreSQL (FOR UPDATE SKIP LOCKED).
    const other = store.location.kind === 'postgres' ? await openStore(store.location, { migrate: false }) : store.store;
    try {
      const otherQueue = new WorkQueueRepository(other.db);
      const [a, b] = await Promise.all([queue.claim('a', 25, 30_000), otherQueue.claim('b', 25, 30_000)]);
      const keys = [...a, ...b].map((i) => i.key);
      assert.equal(new Set(keys).size, keys.length, 'no key claimed twice');
      assert.equal(keys.length, 40);
      // Leased keys are not claimable again until released or expired.
      assert.deepEqual(await queue.claim('c', 10, 30_000), []);
      const item = a[0]!;
      await queue.enqueue('k', item.key); // a change arrives while the pass runs
      await queue.complete(item, 'a');
      const again = await queue.claim('c', 50, 30_000);
      assert.deepEqual(
        again.map((i) => i.key),
        [item.key],
        'the newer wake-up survived the completion of the older pass',
      );
      for (const i of [...a.slice(1), ...b, ...again]) await queue.complete(i, i === again[0] ? 'c' : a.includes(i) ? 'a' : 'b');
      assert.deepEqual(await queue.list(), []);
    } finally {
      if (other !== store.store) await other.close();
    }
  });

  test('a resync enqueues many keys in a few statements, each at its own delay, keeping an earlier due time and a pass in flight', async () => {
    const queue = new WorkQueueRepository(store.store.db);
    const items = Array.from({ length: 1200 }, (_, i) => ({ key: `spread-${i}`, delayMs: i < 600 ? 0 : 3_600_000 }));
    await queue.enqueue('spread', 'spread-900'); // due now already: the resync must not push it back
    const [inFlight] = await queue.claim('a', 1, 30_000); // a pass in flight while the resync comes
    assert.equal(inFlight!.key, 'spread-900');
    await queue.enqueueMany('spread', items);
    assert.equal((await queue.list()).filter((i) => i.key.startsWith('spread-')).length, 1200);
    await queue.complete(inFlight!, 'a'); // the resync's wake-up during the pass survives it
    const due = await queue.claim('b', 2000, 30_000);
    assert.deepEqual(due.map((i) => i.key).sort(), [...items.slice(0, 600).map((i) => i.key), 'spread-900'].sort());
    for (const item of due) await queue.complete(item, 'b');
    const later = await queue.msUntilNextDue();
    assert.ok(later !== undefined && later > 3_500_000, `the rest is due in an hour (${later} ms)`);
    await store.store.db.deleteFrom('reconcile_queue').where('kind', '=', 'spread').execute();
  });

  test('the next due time: none for an empty queue, the wait for a future item, 0 for a due one', async () => {
    const queue = new WorkQueueRepository(store.store.db);
    for (const item of await queue.list()) await store.store.db.deleteFrom('reconcile_queue').where('key', '=', item.key).execute();
    assert.equal(await queue.msUntilNextDue(), undefined, 'an idle reconciler must sleep, not spin');
    await queue.enqueue('later', 'x', 60_000);
    const wait = await queue.msUntilNextDue();
    assert.ok(wait !== undefined && wait > 55_000 && wait <= 60_000, String(wait));
    await queue.enqueue('now', 'y');
    assert.equal(await queue.msUntilNextDue(), 0);
    const claimed = await queue.claim('t', 10, 30_000);
    assert.deepEqual(
      claimed.map((c) => c.key),
      ['y'],
    );
    await queue.complete(claimed[0]!, 't');
    await store.store.db.deleteFrom('reconcile_queue').where('key', '=', 'x').execute();
  });

  test('an expired lease is taken over by another replica', async () => {
    const queue = new WorkQueueRepository(store.store.db);
    await queue.enqueue('lease', 'x');
    const [held] = await queue.claim('dead', 1, 100);
    assert.ok(held);
    assert.deepEqual(await queue.claim('alive', 1, 30_000), []);
    await new Promise((r) => setTimeout(r, 250));
    const [taken] = await queue.claim('alive', 1, 30_000);
    assert.equal(taken?.key, 'x');
    await queue.complete(taken!, 'alive');
  });

  test('port allocation never collides across 200 random create/delete rounds', async () => {
    const repos = repositories(store.store.db);
    const orgId = newObjectId();
    await repos.identity.insertOrganization({ id: orgId, name: 'ports', paymentOnFile: true, createdAt: new Date() });
    const project = await insertProject(repos, orgId, 'ports', new Date());
    const live = new Map<string, { nodes: number; region: string }>();
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      if (live.size > 0 && random() < 0.45) {
        const ids = [...live.keys()];
        const id = ids[Math.floor(random() * ids.length)]!;
        await repos.ports.release(id);
        live.delete(id);
      } else {
        const id = newObjectId();
        const region = random() < 0.5 ? 'US_EAST_1' : 'EU_WEST_1';
        const nodes = 1 + Math.floor(random() * 7);
        const spec = parseClusterSpec({
          name: `c${round}`,
          replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: region, electableSpecs: { instanceSize: 'M10', nodeCount: nodes } }] }],
        });
        await store.store.transaction(async (trx) => syncPortAllocations(repositories(trx), project.id, id, spec));
        live.set(id, { nodes, region });
      }
      for (const region of ['US_EAST_1', 'EU_WEST_1']) {
        const ports = (await repos.ports.listRegion(project.id, 'AWS', region)).map((a) => a.port);
        assert.equal(new Set(ports).size, ports.length, `round ${round}: no port twice in ${region}`);
        assert.ok(ports.every((p) => p >= 1024 && p <= 65535));
      }
    }
    for (const [id, { nodes }] of live) assert.equal((await repos.ports.listCluster(id)).length, nodes);
  });
});
