import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { publicAddresses, publicRoutes, type PublicRoute } from '../../src/app/public-path.js';
import { PublicRouteBook } from '../../src/app/public-route-book.js';
import { parseClusterSpec } from '../../src/domain/cluster.js';
import { parseServerlessCreate } from '../../src/domain/serverless-instance.js';
import { repositories } from '../../src/store/repositories.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

// The public gateway's routes are followed through the store's change log (triggers on the tables
// they are made from): after any change, whoever made it, the book's routes must equal a whole
// read of the same state, having read only the projects the change touched.

const DOMAIN = 'mongodb.net';
const BASE = 150;
const ORG = '0000000000000000000e0a00';
const SPEC = JSON.stringify(
  parseClusterSpec({
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  }),
);
const WIDER = JSON.stringify(
  parseClusterSpec({
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 5 } }] }],
  }),
);
const INSTANCE = JSON.stringify(parseServerlessCreate({ name: 'Serverless0', providerSettings: { backingProviderName: 'AWS', regionName: 'US_EAST_1' } }));

let t: TestStore;
let clock = 0;
let book: PublicRouteBook;
before(async () => {
  t = await openTestStore();
  await sql`insert into organizations (id, name) values (${ORG}, 'Routes Org')`.execute(t.store.db);
  book = new PublicRouteBook(t.store, DOMAIN, BASE, () => clock);
});
after(async () => t?.cleanup());

let made = 0;
const nextId = (kind: string) => `${kind}${(++made).toString(16).padStart(23, '0')}`;
const run = (query: ReturnType<typeof sql>) => query.execute(t.store.db);

async function project(): Promise<string> {
  const id = nextId('1');
  await run(sql`insert into projects (id, org_id, name, host_suffix) values (${id}, ${ORG}, ${`Routes ${id}`}, ${`h${id.slice(-6)}`})`);
  return id;
}

/** A cluster of three nodes with its ports (1024…), in one transaction as privlink makes them. */
async function cluster(projectId: string, firstPort: number): Promise<string> {
  const id = nextId('2');
  await t.store.transaction(async (trx) => {
    await sql`insert into clusters (id, project_id, name, spec, state_name) values (${id}, ${projectId}, ${`Cluster${id.slice(-4)}`}, ${SPEC}::jsonb, 'CREATING')`.execute(trx);
    for (let node = 0; node < 3; node++) {
      await sql`insert into port_allocations (project_id, provider, region_name, port, cluster_id, target_name) values (${projectId}, 'AWS', 'US_EAST_1', ${firstPort + node}, ${id}, ${`node-${node}`})`.execute(
        trx,
      );
    }
  });
  return id;
}

const sorted = (routes: readonly PublicRoute[]) => [...routes].sort((a, b) => `${a.address}:${a.port}`.localeCompare(`${b.address}:${b.port}`));

/** What a follower of `book.update` holds: each project's routes, as the updates said. */
const follower = { version: undefined as number | undefined, byProject: new Map<string, readonly PublicRoute[]>(), wholes: 0 };
async function follow(): Promise<PublicRoute[]> {
  const update = await book.update(follower.version);
  if ('whole' in update) {
    follower.wholes++;
    follower.byProject.clear();
    for (const route of update.whole) follower.byProject.set(route.projectId, [...(follower.byProject.get(route.projectId) ?? []), route]);
  } else {
    for (const [projectId, routes] of update.projects) follower.byProject.set(projectId, routes);
  }
  follower.version = update.version;
  return [...follower.byProject.values()].flat();
}

/** Projects made before the first read and never changed: no read after the first may read them. */
const bystanders: string[] = [];

/**
 * The book's routes against a whole read, and the projects the book read again: those `touched`,
 * never a bystander. On PGlite, with no other transaction, exactly those touched; on PostgreSQL
 * a transaction of another database still running as a read began makes the next read take the
 * changes since it began again (the snapshot's xmin is the server's), so more may be read.
 */
async function check(label: string, touched: readonly string[]): Promise<void> {
  const whole = await publicRoutes(repositories(t.store.db), DOMAIN, BASE);
  assert.deepEqual(sorted(await follow()), sorted(whole), `${label}: a follower of the changes`);
  const read = book.lastRead!;
  assert.deepEqual(sorted(await book.routes()), sorted(whole), label);
  assert.deepEqual(new Map(await book.addressesNow()), await publicAddresses(repositories(t.store.db), BASE), `${label}: the addresses`);
  assert.equal(read.whole, false, `${label}: read what changed, not everything`);
  for (const id of touched) assert.ok(read.projectIds.includes(id), `${label}: ${id} read again`);
  for (const id of bystanders) assert.ok(!read.projectIds.includes(id), `${label}: a project nothing changed is not read`);
  if (testBackend() === 'pglite') assert.deepEqual([...read.projectIds].sort(), [...touched].sort(), label);
}

test('the routes follow every kind of change, reading only the projects it touched', async () => {
  for (let i = 0; i < 20; i++) {
    const id = await project();
    await cluster(id, 1024);
    bystanders.push(id);
  }
  const p1 = await project();
  const p2 = await project();
  const c1 = await cluster(p1, 1024);
  await cluster(p2, 1024);
  const first = await follow();
  assert.equal(book.lastRead?.whole, true, 'the first read takes everything');
  assert.equal(first.length, 66);
  // On PostgreSQL, a transaction of another database still running when a read began makes the
  // next read take the changes since it began again, the bystanders' own creation included. Once
  // one read leaves them out, every transaction that made them is behind every later read.
  const deadline = Date.now() + 60_000;
  while (book.lastRead!.whole || book.lastRead!.projectIds.some((id) => bystanders.includes(id))) {
    assert.ok(Date.now() < deadline, 'the reads caught up with the bystanders within a minute');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await follow();
  }
  await check('nothing changed', []);
  const unchanged = await book.update(follower.version);
  assert.ok('projects' in unchanged && unchanged.projects.length === 0, 'nothing changed: no project in the update');

  const p3 = await project();
  const c3 = await cluster(p3, 2000);
  await check('a new cluster with its ports', [p3]);

  await run(sql`update clusters set state_name = 'IDLE', updated_at = now() where id = ${c3}`);
  await check('a state change: a cluster state moves no route, it is not noted', []);

  await run(sql`update clusters set spec = ${WIDER}::jsonb where id = ${c1}`);
  await run(
    sql`insert into port_allocations (project_id, provider, region_name, port, cluster_id, target_name) values (${p1}, 'AWS', 'US_EAST_1', 1027, ${c1}, 'node-3'), (${p1}, 'AWS', 'US_EAST_1', 1028, ${c1}, 'node-4')`,
  );
  await check('two nodes added', [p1]);
  assert.equal((await book.routes()).filter((r) => r.projectId === p1).length, 5);

  await run(sql`update projects set host_suffix = 'renamed1' where id = ${p2}`);
  await check("a project's host suffix", [p2]);

  const instance = nextId('3');
  await run(sql`insert into serverless_instances (id, project_id, name, spec, state_name) values (${instance}, ${p2}, 'Serverless0', ${INSTANCE}::jsonb, 'CREATING')`);
  await check('a serverless instance made', [p2]);
  await run(sql`update serverless_instances set delete_requested = true where id = ${instance}`);
  await check('a serverless instance being deleted', [p2]);
  await run(sql`delete from serverless_instances where id = ${instance}`);
  await check('a serverless instance gone', [p2]);

  await run(sql`update clusters set delete_requested = true where id = ${c3}`);
  await check('a cluster being deleted', [p3]);
  assert.equal((await book.routes()).filter((r) => r.projectId === p3).length, 0);
  await run(sql`delete from port_allocations where cluster_id = ${c3}`);
  await run(sql`delete from clusters where id = ${c3}`);
  await run(sql`delete from projects where id = ${p3}`);
  await check('a cluster and its project gone', [p3]);

  // Several changes between two reads: one read takes them all.
  const p4 = await project();
  await cluster(p4, 3000);
  await run(sql`update projects set host_suffix = 'renamed2' where id = ${p1}`);
  await check('two projects changed', [p4, p1]);
  // The private DNS asks the book for addresses alone: a change since is read first.
  const p5 = await project();
  await cluster(p5, 6000);
  const addresses = await book.addressesNow();
  assert.deepEqual(new Map(addresses), await publicAddresses(repositories(t.store.db), BASE));
  assert.ok(
    [...addresses.keys()].some((key) => key.startsWith(`${p5}|`)),
    'the new project region has its address',
  );
  await check('after the addresses were asked for', []);
  assert.equal(follower.wholes, 1, 'the follower got every route once, then changes only');
  const behind = await book.update(0);
  assert.ok('whole' in behind || behind.projects.length > 0, 'a follower far behind gets what it missed');
});

test('a read this long after the last one reads everything again', async () => {
  await book.routes();
  clock += 5 * 60_000 + 1;
  const routes = await book.routes();
  assert.equal(book.lastRead?.whole, true);
  assert.deepEqual(sorted(routes), sorted(await publicRoutes(repositories(t.store.db), DOMAIN, BASE)));
});

test(
  'a change committed after a read that began before it is read next time',
  // PGlite runs one transaction at a time: no write can be open while the book reads there.
  { skip: testBackend() === 'pglite' ? 'PGlite runs one transaction at a time: a write cannot stay open across a read' : false },
  async () => {
    await book.routes();
    const p = await project();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const writing = new Promise<void>((resolve) => (started = resolve));
    // A transaction writes a cluster and its ports (its id taken now), stays open while another
    // commits and the book reads, and commits after: nothing else names its project again.
    const slow = t.store.transaction(async (trx) => {
      const id = nextId('2');
      await sql`insert into clusters (id, project_id, name, spec, state_name) values (${id}, ${p}, 'Slow', ${SPEC}::jsonb, 'CREATING')`.execute(trx);
      for (let node = 0; node < 3; node++) {
        await sql`insert into port_allocations (project_id, provider, region_name, port, cluster_id, target_name) values (${p}, 'AWS', 'US_EAST_1', ${5000 + node}, ${id}, ${`node-${node}`})`.execute(
          trx,
        );
      }
      started();
      await held;
    });
    await writing;
    try {
      const quick = await project();
      await cluster(quick, 4000);
      await check('the quick project, the slow one not committed yet', [quick]);
      const routes = await book.routes();
      assert.equal(routes.filter((r) => r.projectId === quick).length, 3);
      assert.equal(routes.filter((r) => r.projectId === p).length, 0, 'not committed yet');
    } finally {
      // Committed whatever happened above, so that the store can close.
      release();
      await slow;
    }
    await check('the slow transaction committed', [p]);
    assert.equal((await book.routes()).filter((r) => r.projectId === p).length, 3, 'the slow cluster is read once it commits');
  },
);
