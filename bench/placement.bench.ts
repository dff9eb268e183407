// What placing one endpoint service reads as its region fills. A placement decides under the pool's
// lock (reconciler/provider-placement.ts): it locks the provider's accounts, reads how many services
// each holds in the region and which account the project region already uses, then writes the
// placement. Timed here in one transaction, as the reconciler runs it, with N services already
// placed in the region over 200 accounts (a pool of 200 AWS accounts holds 10,000 services at 50
// load balancers each). Reference in the same run: the same transaction counting every placement
// of the region (a group-by over provider_placements, how the count was read before the counts
// were kept beside the placements). Target: the placement costs at most 1.5× at the largest N what
// it costs at the smallest (nothing in it walks the region's placements).
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs placement); BENCH_PLACEMENT_N
// sets the sizes (default 100,1000,10000); DATABASE_URL runs it on a fresh PostgreSQL database.
import { sql, type Transaction } from 'kysely';
import type { Store } from '../src/store/database.js';
import { ProviderAccountsRepository } from '../src/store/provider-accounts.repository.js';
import type { Schema } from '../src/store/schema.js';
import { freshStore } from './support/fresh-store.js';
import { percentile, table, verdict } from './support/stats.js';

const SIZES = (process.env.BENCH_PLACEMENT_N ?? '100,1000,10000').split(',').map(Number);
const ACCOUNTS = 200;
const SAMPLES = 300;
const FLAT_RATIO = 1.5;
const REGION = 'US_EAST_1';
const ORG = 'b0000000000000000000000a';

/** Ids of 24 hex digits: a kind letter's digit, then the number. */
const id = (kind: number, n: number) => `${kind.toString(16)}${n.toString(16).padStart(23, '0')}`;

/** Places services `from`..`to`-1 in the region, round-robin over the accounts (each its own project). */
async function fill(store: Store, from: number, to: number): Promise<void> {
  if (to <= from) return;
  await sql`insert into projects (id, org_id, name, host_suffix)
    select '2' || lpad(to_hex(g), 23, '0'), ${ORG}, 'p' || g, 'h' || g from generate_series(${from}::bigint, ${to - 1}::bigint) g`.execute(store.db);
  await sql`insert into endpoint_services (id, project_id, provider, region_name, status)
    select '3' || lpad(to_hex(g), 23, '0'), '2' || lpad(to_hex(g), 23, '0'), 'AWS', ${REGION}, 'AVAILABLE'
    from generate_series(${from}::bigint, ${to - 1}::bigint) g`.execute(store.db);
  await sql`insert into provider_placements (service_id, account_id, provider, region_name, project_id)
    select '3' || lpad(to_hex(g), 23, '0'), '1' || lpad(to_hex(g % ${ACCOUNTS}), 23, '0'), 'AWS', ${REGION}, '2' || lpad(to_hex(g), 23, '0')
    from generate_series(${from}::bigint, ${to - 1}::bigint) g`.execute(store.db);
  await sql`analyze`.execute(store.db);
}

type Count = (trx: Transaction<Schema>) => Promise<Map<string, number>>;

/** The counts kept beside the placements (what the reconciler reads now). */
const kept: Count = (trx) => new ProviderAccountsRepository(trx).countPlacements('AWS', REGION);
/** Every placement of the region counted (the reference). */
const grouped: Count = async (trx) => {
  const { rows } = await sql<{ account_id: string; n: string }>`
    select account_id, count(*) as n from provider_placements where provider = 'AWS' and region_name = ${REGION} group by account_id`.execute(trx);
  return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
};

/** One placement decision's reads under the pool's lock, as the reconciler makes them (`holding`: accounts that hold a service); µs. */
async function decide(store: Store, count: Count, projectId: string, holding: number): Promise<number> {
  const started = process.hrtime.bigint();
  await store.transaction(async (trx) => {
    const repos = new ProviderAccountsRepository(trx);
    const locked = await repos.lockAccounts('AWS');
    const placements = await count(trx);
    await repos.accountOfProjectRegion(projectId, 'AWS', REGION);
    if (locked.length !== ACCOUNTS || placements.size !== holding)
      throw new Error(`read ${locked.length} accounts and ${placements.size} counts, expected ${ACCOUNTS} and ${holding}`);
  });
  return Number(process.hrtime.bigint() - started) / 1000;
}

const { store, where, drop } = await freshStore('placement');
try {
  console.log(`node ${process.version}, ${where}; ${ACCOUNTS} accounts in the pool; ${SAMPLES} placements timed per size and way, the two ways interleaved`);
  await sql`insert into organizations (id, name) values (${ORG}, 'Placement bench')`.execute(store.db);
  await sql`insert into provider_accounts (id, provider, name, kind, created_at)
    select '1' || lpad(to_hex(g), 23, '0'), 'AWS', 'pool-' || g, 'localcloud', now() + g * interval '1 ms' from generate_series(0, ${ACCOUNTS - 1}) g`.execute(store.db);
  const rows: string[][] = [];
  const p50 = { kept: [] as number[], grouped: [] as number[] };
  let placed = 0;
  for (const n of SIZES) {
    await fill(store, placed, n);
    placed = Math.max(placed, n);
    const check = await kept(store.db as unknown as Transaction<Schema>);
    const truth = await grouped(store.db as unknown as Transaction<Schema>);
    if ([...truth].some(([account, count]) => check.get(account) !== count)) throw new Error(`the kept counts differ from the placements at N=${n}`);
    const times = { kept: [] as number[], grouped: [] as number[] };
    for (let i = 0; i < SAMPLES; i++) {
      const project = id(2, i % n);
      times.kept.push(await decide(store, kept, project, Math.min(n, ACCOUNTS)));
      times.grouped.push(await decide(store, grouped, project, Math.min(n, ACCOUNTS)));
    }
    const k = percentile(times.kept, 0.5);
    const g = percentile(times.grouped, 0.5);
    p50.kept.push(k);
    p50.grouped.push(g);
    rows.push([String(n), k.toFixed(0), percentile(times.kept, 0.95).toFixed(0), g.toFixed(0), percentile(times.grouped, 0.95).toFixed(0), `${((k / g) * 100).toFixed(0)} %`]);
  }
  console.log(table(['services placed in the region', 'placement p50, µs', 'p95', 'reference: counting every placement, p50', 'p95', 'kept / reference'], rows));
  const ratio = (series: number[]) => series[series.length - 1]! / series[0]!;
  const first = SIZES[0]!;
  const last = SIZES[SIZES.length - 1]!;
  console.log(`reference: counting every placement costs ${ratio(p50.grouped).toFixed(2)}× at N=${last} what it costs at N=${first}`);
  console.log(`goal: a placement at N=${last} ≤ ${FLAT_RATIO}× its cost at N=${first} — ${ratio(p50.kept).toFixed(2)}×: ${verdict(ratio(p50.kept) <= FLAT_RATIO)}`);
} finally {
  await drop();
}
