// What one change costs the public gateway's routes as projects grow. N projects, each a three-node
// cluster with its ports; one change (a project's host suffix, or a new project with its cluster
// every fifth time), then the routes are asked for as the data plane asks: the route book
// (app/public-route-book.ts) reads the change log and the changed projects only, and answers the
// routes of the projects changed since the version the data plane holds. Reference in the
// same run: the whole read (app/public-path.ts `publicRoutes`), which the data plane made on every
// write before. Target: a read after one change costs at most 3× at the largest N what it costs at
// the smallest (flat in N), and so does a read after a new project, whose addresses are placed.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs public-routes); BENCH_ROUTES_N
// sets the sizes (default 100,1000,10000); DATABASE_URL runs it on a fresh PostgreSQL database.
import { sql } from 'kysely';
import { publicRoutes, type PublicRoute } from '../src/app/public-path.js';
import { PublicRouteBook } from '../src/app/public-route-book.js';
import { parseClusterSpec } from '../src/domain/cluster.js';
import type { Store } from '../src/store/database.js';
import { repositories } from '../src/store/repositories.js';
import { freshStore } from './support/fresh-store.js';
import { percentile, table, verdict } from './support/stats.js';

const SIZES = (process.env.BENCH_ROUTES_N ?? '100,1000,10000').split(',').map(Number);
const PASSES = 60;
const WHOLE_READS = 5;
const FLAT_RATIO = 3;
const DOMAIN = 'mongodb.net';
const BASE = 150;
const ORG = 'c0000000000000000000000a';
const SPEC = JSON.stringify(
  parseClusterSpec({
    name: 'Cluster0',
    clusterType: 'REPLICASET',
    replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
  }),
);

/** Projects `from`..`to`-1, each a three-node cluster with its ports. */
async function fill(store: Store, from: number, to: number): Promise<void> {
  if (to <= from) return;
  await sql`insert into projects (id, org_id, name, host_suffix)
    select '2' || lpad(to_hex(g), 23, '0'), ${ORG}, 'p' || g, 'h' || g from generate_series(${from}::int, ${to - 1}::int) g`.execute(store.db);
  await sql`insert into clusters (id, project_id, name, spec, state_name)
    select '3' || lpad(to_hex(g), 23, '0'), '2' || lpad(to_hex(g), 23, '0'), 'Cluster0', ${SPEC}::jsonb, 'IDLE' from generate_series(${from}::int, ${to - 1}::int) g`.execute(
    store.db,
  );
  await sql`insert into port_allocations (project_id, provider, region_name, port, cluster_id, target_name)
    select '2' || lpad(to_hex(g), 23, '0'), 'AWS', 'US_EAST_1', 1024 + t, '3' || lpad(to_hex(g), 23, '0'), 'node-' || t
    from generate_series(${from}::int, ${to - 1}::int) g, generate_series(0, 2) t`.execute(store.db);
  await sql`analyze`.execute(store.db);
}

const sorted = (routes: readonly PublicRoute[]) => routes.map((r) => `${r.address}:${r.port} ${r.clusterId} ${r.targetName}`).sort();
const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;

const { store, where, drop } = await freshStore('routes');
try {
  console.log(`node ${process.version}, ${where}; ${PASSES} changes per size (every fifth a new project), ${WHOLE_READS} whole reads`);
  await sql`insert into organizations (id, name) values (${ORG}, 'Routes bench')`.execute(store.db);
  const rows: string[][] = [];
  const book: number[] = [];
  const bookAdded: number[] = [];
  let projects = 0;
  for (const n of SIZES) {
    await fill(store, projects, n);
    projects = Math.max(projects, n);
    const routes = new PublicRouteBook(store, DOMAIN, BASE);
    let version = (await routes.update()).version;
    const after: number[] = [];
    const added: number[] = [];
    let answered = 0;
    for (let pass = 0; pass < PASSES; pass++) {
      const adding = pass % 5 === 4;
      if (adding) await fill(store, projects, ++projects);
      else await sql`update projects set host_suffix = ${`x${pass}n${n}`} where id = ${`2${(pass % n).toString(16).padStart(23, '0')}`}`.execute(store.db);
      const started = process.hrtime.bigint();
      const update = await routes.update(version);
      after.push(ms(started));
      if (adding) added.push(after[after.length - 1]!);
      if ('whole' in update) throw new Error('a follower that holds the last version got every route');
      version = update.version;
      answered += update.projects.reduce((sum, [, r]) => sum + r.length, 0);
    }
    const wholes: number[] = [];
    let whole: PublicRoute[] = [];
    for (let i = 0; i < WHOLE_READS; i++) {
      const started = process.hrtime.bigint();
      whole = await publicRoutes(repositories(store.db), DOMAIN, BASE);
      wholes.push(ms(started));
    }
    const followed = await routes.routes();
    if (JSON.stringify(sorted(followed)) !== JSON.stringify(sorted(whole))) throw new Error(`at N=${n} the book's routes differ from a whole read`);
    const p50 = percentile(after, 0.5);
    book.push(p50);
    bookAdded.push(percentile(added, 0.5));
    rows.push([
      String(n),
      String(whole.length),
      (answered / PASSES).toFixed(1),
      p50.toFixed(2),
      percentile(after, 0.95).toFixed(2),
      percentile(added, 0.5).toFixed(2),
      percentile(wholes, 0.5).toFixed(1),
      `${((p50 / percentile(wholes, 0.5)) * 100).toFixed(1)} %`,
    ]);
  }
  console.log(
    table(
      [
        'projects',
        'routes',
        'routes answered per change',
        'read after one change, p50 ms',
        'p95 ms',
        'after a new project, p50 ms',
        'reference: whole read, p50 ms',
        'after a change / whole',
      ],
      rows,
    ),
  );
  const ratio = book[book.length - 1]! / book[0]!;
  console.log(`goal: a read after one change at N=${SIZES[SIZES.length - 1]} ≤ ${FLAT_RATIO}× its cost at N=${SIZES[0]} — ${ratio.toFixed(2)}×: ${verdict(ratio <= FLAT_RATIO)}`);
  const addedRatio = bookAdded[bookAdded.length - 1]! / bookAdded[0]!;
  console.log(
    `goal: a read after a new project (its addresses placed) at N=${SIZES[SIZES.length - 1]} ≤ ${FLAT_RATIO}× its cost at N=${SIZES[0]} — ${addedRatio.toFixed(2)}×: ${verdict(addedRatio <= FLAT_RATIO)}`,
  );
} finally {
  await drop();
}
