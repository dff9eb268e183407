// What a process's first endpoint service placement reads from the cloud when the provider account
// pool is large. Placement ranks the candidates by their last quota readings and reads again only
// the account a service would go to (reconciler/provider-placement.ts); a process that has read
// nothing yet (a new replica, a restart) starts from the readings the store keeps. Measured here
// with the real AWS adapter against the local AWS cloud (instant), BENCH_PLACEMENT_ACCOUNTS pool
// accounts (default 200: a pool that holds 10,000 services at 50 load balancers each), one new
// process after another, each placing one service. Reference in the same run: the first placement
// on a store that holds no reading (every candidate read, four at a time), which is what every new
// process did before it started from the stored readings.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs placement-first-read);
// DATABASE_URL runs it on a fresh PostgreSQL database.
import { sql } from 'kysely';
import { createLocalCloudAws } from '../src/localcloud/aws/local-cloud-aws.js';
import { createLogger } from '../src/logging/logger.js';
import { AwsClientPool } from '../src/providers/aws/aws-clients.js';
import { AwsProvider } from '../src/providers/aws/aws.provider.js';
import { providerRegistry } from '../src/providers/provider-registry.js';
import { CrashPoints } from '../src/reconciler/crash-points.js';
import { listenerDirectory } from '../src/reconciler/listener-directory.js';
import { ProviderAccountAccessor } from '../src/reconciler/provider-accounts.js';
import { ProviderPlacement } from '../src/reconciler/provider-placement.js';
import type { ReconcileContext } from '../src/reconciler/reconcile-context.js';
import { repositories } from '../src/store/repositories.js';
import { freshStore } from './support/fresh-store.js';
import { percentile, table, verdict } from './support/stats.js';

const ACCOUNTS = Number(process.env.BENCH_PLACEMENT_ACCOUNTS ?? 200);
const NEW_PROCESSES = 10;
const ORG = 'b0000000000000000000000b';
/** Every account's provider VPC takes a loopback /16 of the local cloud's: start low to fit 200. */
const LOOPBACK_BASE = 10;

const { store, where, drop } = await freshStore('placement_first_read');
const cloud = await createLocalCloudAws({ store, delays: 'instant', loopbackBase: LOOPBACK_BASE });
const served = await cloud.listen('127.0.0.1', 0);
const calls: string[] = [];
const pool = new AwsClientPool({ endpoint: served.url, credentials: cloud.accounts.provider, requestTimeoutMs: 30_000, onCall: (op) => calls.push(op) });
try {
  const accessor = () => new ProviderAccountAccessor(store, (name) => cloud.createAccount(name));
  const adapter = new AwsProvider(pool, accessor());
  console.log(`node ${process.version}, ${where}; ${ACCOUNTS} AWS accounts in the pool on the local cloud (instant); ${NEW_PROCESSES} new processes, one placement each`);
  await sql`insert into organizations (id, name) values (${ORG}, 'Placement bench')`.execute(store.db);
  const repos = repositories(store.db);
  for (let n = 0; n < ACCOUNTS; n++) {
    const none = { accessKeyId: null, secretAccessKey: null, roleArn: null, subscriptionId: null, tenantId: null, clientId: null, clientSecret: null };
    await repos.providerAccounts.insertAccount({
      id: `1${n.toString(16).padStart(23, '0')}`,
      provider: 'AWS',
      name: `pool-${n}`,
      kind: 'LOCAL_CLOUD',
      state: 'ACTIVE',
      ...none,
      projectId: null,
      serviceAccountKey: null,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)),
    });
  }
  // Untimed: every account made in the local cloud (its first use), as a running pool's are.
  const warm = accessor();
  for (const account of await repos.providerAccounts.listAccounts('AWS')) await warm.access(account);

  let made = 0;
  /** One new process (a placement with nothing read) places one new project's service: ms and AWS calls. */
  const placeInNewProcess = async (): Promise<{ ms: number; calls: number }> => {
    const n = (++made).toString(16).padStart(4, '0');
    const [project, serviceId] = [`20000000000000000000${n}`, `30000000000000000000${n}`];
    await sql`insert into projects (id, org_id, name, host_suffix) values (${project}, ${ORG}, ${`P ${n}`}, ${`p${n}`})`.execute(store.db);
    await sql`insert into endpoint_services (id, project_id, provider, region_name, status) values (${serviceId}, ${project}, 'AWS', 'US_EAST_1', 'INITIATING')`.execute(store.db);
    const service = (await repos.privateEndpoints.findService(serviceId))!;
    const accounts = accessor();
    const placement = new ProviderPlacement(accounts);
    const ctx: ReconcileContext = {
      store,
      providers: providerRegistry({ AWS: adapter }),
      listeners: listenerDirectory(store, undefined),
      crash: new CrashPoints(null),
      log: createLogger('silent'),
      notFoundGraceMs: 0,
      domain: 'placement.bench',
      pool: { placement, accounts },
      now: () => new Date(),
    };
    const before = calls.length;
    const started = performance.now();
    const outcome = await placement.place(ctx, adapter, service, 'us-east-1');
    if (outcome.kind !== 'placed') throw new Error(`service ${serviceId} not placed: ${outcome.kind}`);
    return { ms: performance.now() - started, calls: calls.length - before };
  };

  const reference = await placeInNewProcess();
  const runs: Array<{ ms: number; calls: number }> = [];
  for (let i = 0; i < NEW_PROCESSES; i++) runs.push(await placeInNewProcess());
  const ms = runs.map((r) => r.ms);
  const callsEach = runs.map((r) => r.calls);
  console.log(
    table(
      ['first placement of a new process', 'ms (p50 / max)', 'AWS calls (max)'],
      [
        ['with the readings the store keeps', `${percentile(ms, 0.5).toFixed(0)} / ${Math.max(...ms).toFixed(0)}`, String(Math.max(...callsEach))],
        ['reference: nothing stored, the whole pool read', reference.ms.toFixed(0), String(reference.calls)],
      ],
    ),
  );
  const perReading = reference.calls / ACCOUNTS;
  const ok = Math.max(...callsEach) <= perReading;
  console.log(`goal: a new process's first placement reads one account (${perReading} calls), not the pool — at most ${Math.max(...callsEach)} calls: ${verdict(ok)}`);
} finally {
  pool.destroy();
  await served.close();
  await cloud.close();
  await drop();
}
