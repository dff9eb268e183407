// Scale benchmark: does privlink's cost per object stay flat as the number of objects grows?
// For each N (BENCH_SCALE_N, comma-separated, default 100), on a fresh store:
//   setup (untimed): ceil(N/50)+1 local-cloud provider accounts added to the pool through the Admin
//     API (AWS's default quota of 50 network load balancers per region and account holds; no quota is
//     raised), one probe endpoint service in the bootstrap project, the customer's default VPC and its
//     subnets (with their zones).
//   t0 phase 1: N projects, each with a three-node AWS cluster (us-east-1) and one AWS endpoint
//     service (us-east-1), by a pool of BENCH_SCALE_CLIENTS (default 16) concurrent Admin API
//     clients (real HTTP + Digest), each client on one replica in turn.
//   phase 2: the same pool, per project: poll the service until AVAILABLE (every 500 ms), then the customer reads
//     the zones it supports (DescribeVpcEndpointServices: services in different provider accounts
//     support different zones) and makes three interface endpoints to it (CreateVpcEndpoint with the
//     AWS SDK on the local cloud, spread over the default VPC's subnets in those zones) and
//     registers each through the Admin API.
//   phase 3: every endpoint polled until AVAILABLE and every cluster until IDLE (4 at a time, rounds
//     500 ms apart: gently, so the polling weighs little on what it waits for). t1 = all AVAILABLE.
// Meanwhile a probe GETs the probe service every 50 ms (Digest, the replicas in turn): the Admin
// API's latency while it converges. Reconcile passes and cloud calls are the difference of each
// replica's /metrics counters (privlink_reconcile_passes_total, privlink_provider_calls_total)
// across the timed part; RSS is each replica process's VmRSS sampled every 500 ms and its VmHWM,
// and every 2 s its /metrics memory gauges (V8 heap, external memory, the data-plane worker's heap) say what the largest was made of.
// Backends: PGlite with one replica (a child process), or, with DATABASE_URL, a fresh database on
// that server (dropped after) with two replicas (child processes; the first runs the local cloud,
// the second drives it). Local cloud delays: instant.
// BENCH_SCALE_FAILOVER=1 (PostgreSQL, two replicas): every API client and the probe use the first
//   replica; the second only reconciles and is SIGKILLed once half of phase 1's projects are made.
//   Reported besides: how long its leased queue items took to be handed over (goal: within the lease
//   time, PRIVLINK_RECONCILER_LEASE_MS, default 30 s), whether any endpoint service or load balancer
//   was made twice or leaked (the local cloud's tables, by privlink's service tag), and, once all is
//   AVAILABLE, how the survivor's periodic resync spreads its passes over one period.
// BENCH_SCALE_ALLOCATIONS=<dir>: every replica samples what its main thread allocates, kept or
//   collected (support/allocation-sampler.ts); once all is AVAILABLE each writes its profile to <dir>
//   and the report adds its total and the privlink functions that allocated most. Sampling slows the
//   replicas: such a run says where the garbage comes from, its times are not comparable.
// Goals: 10,000 services + 30,000 interface endpoints AVAILABLE in < 120 s on two replicas (the
// figure beside it is projected from the measured time per object); RSS < 300 MB per replica;
// Admin API p99 < 100 ms while converging.
// Run: npm run build && node scripts/run-bench.mjs scale (BENCH_SCALE_N=20,100 for several sizes).
import { availableParallelism, loadavg } from 'node:os';
import { AtlasClient } from '../src/client/atlas-client.js';
import { createService, endpointPath, FlowError, registerEndpoint, servicePath, waitServiceAvailable } from './support/atlas-flow.js';
import { startApiProbe } from './support/api-probe.js';
import { CustomerVpc } from './support/customer-vpc.js';
import { checkCloudResources, watchHandover, watchResyncSpread, type CloudResourceCheck, type Handover, type ResyncSpread } from './support/failover-watch.js';
import { difference, scrapeCounters } from './support/metrics-scrape.js';
import { startBenchReplicas, type BenchReplicas } from './support/privlink-replicas.js';
import { addLocalCloudAccount, clusterPath, createCluster, createProject } from './support/project-flow.js';
import { takeAllocationProfile, type AllocationSummary } from './support/allocation-profile.js';
import { summarize, table, verdict } from './support/stats.js';

const SIZES = positiveIntegers(process.env.BENCH_SCALE_N ?? '100', 'BENCH_SCALE_N');
const CLIENTS = positiveIntegers(process.env.BENCH_SCALE_CLIENTS ?? '16', 'BENCH_SCALE_CLIENTS')[0]!;
const REPLICAS = process.env.DATABASE_URL ? 2 : 1;
const FAILOVER = process.env.BENCH_SCALE_FAILOVER === '1';
const ALLOCATIONS = process.env.BENCH_SCALE_ALLOCATIONS;
if (FAILOVER && REPLICAS < 2) throw new Error('BENCH_SCALE_FAILOVER=1 needs two replicas: set DATABASE_URL (PostgreSQL)');
const LEASE_MS = Number(process.env.PRIVLINK_RECONCILER_LEASE_MS ?? 30_000);
const RESYNC_MS = Number(process.env.PRIVLINK_RECONCILER_RESYNC_MS ?? 60_000);
const ENDPOINTS_PER_SERVICE = 3;
const NLB_QUOTA = 50;
const PROBE_MS = 50;
const POLL_MS = 500;
const SWEEP_CLIENTS = 4;
const SWEEP_PAUSE_MS = 500;
const GOAL = { services: 10_000, seconds: 120, rssMb: 300, p99Ms: 100 };
const MEMORY_GAUGES = {
  rss: 'privlink_process_resident_memory_bytes',
  heapTotal: 'privlink_nodejs_heap_size_total_bytes',
  heapUsed: 'privlink_nodejs_heap_size_used_bytes',
  external: 'privlink_nodejs_external_memory_bytes',
  dataPlaneHeapTotal: 'privlink_dataplane_heap_size_total_bytes',
  dataPlaneHeapUsed: 'privlink_dataplane_heap_size_used_bytes',
} as const;
const PASSES = 'privlink_reconcile_passes_total';
const CALLS = 'privlink_provider_calls_total';
const THROTTLES = 'privlink_provider_throttles_total';
const PASS_SECONDS = 'privlink_reconcile_pass_duration_seconds';
const CALL_SECONDS = 'privlink_provider_call_duration_seconds';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  readonly n: number;
  readonly accounts: number;
  readonly seconds: { create: number; endpoints: number; wait: number; total: number };
  /** From t0 to the last object's becoming ready by the server's own events (CLUSTER_READY, an endpoint's status to AVAILABLE), s. */
  readonly serverSeconds: number;
  readonly passesByKind: Map<string, number>;
  readonly passesByOutcome: Map<string, number>;
  readonly callsByOperation: Map<string, number>;
  /** AWS API calls privlink sent (counted on the wire), by action. */
  readonly awsCalls: Map<string, number>;
  /** Over the timed part, s: how long at least one of those calls was in flight, and their durations summed. */
  readonly awsBusySeconds: number;
  readonly awsCallSeconds: number;
  readonly throttles: number;
  /** Mean duration of a reconcile pass and of a cloud call, ms (histogram sum / count over the timed part). */
  readonly meanPassMs: number;
  readonly meanCallMs: number;
  readonly probe: { p50: number; p99: number; max: number; count: number; failures: number };
  readonly rssStartMb: number[];
  readonly rssPeakMb: number[];
  /** Per replica, its own figures when it reported its largest resident size (sampled every 2 s from /metrics). */
  readonly memoryAtPeak: MemorySample[];
  readonly storeBytes: number;
  /** Per replica, what its main thread allocated until all was AVAILABLE (BENCH_SCALE_ALLOCATIONS). */
  readonly allocations?: AllocationSummary[];
  /** The failover run's own figures (BENCH_SCALE_FAILOVER=1). */
  readonly failover?: { killedAfterS: number; handover: Handover; resources: CloudResourceCheck; resync: ResyncSpread };
}

/** What a replica's memory was made of at one moment, MB (its `/metrics` process gauges). */
interface MemorySample {
  readonly rss: number;
  /** The main thread's V8 heap: reserved and in use. */
  readonly heapTotal: number;
  readonly heapUsed: number;
  /** Memory outside the V8 heap that JavaScript objects hold: buffers, and PGlite's WebAssembly memory. */
  readonly external: number;
  /** The data-plane worker thread's V8 heap (its own isolate). */
  readonly dataPlaneHeapTotal: number;
  readonly dataPlaneHeapUsed: number;
}

console.log(
  `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; ` +
    `${REPLICAS} replica${REPLICAS > 1 ? 's' : ''} (child processes; the local cloud runs in the first), ${CLIENTS} concurrent API clients; ` +
    `local cloud delays: instant; N = ${SIZES.join(', ')}`,
);
const results: Result[] = [];
for (const n of SIZES) results.push(await runAt(n));
report(results);
console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);

async function runAt(n: number): Promise<Result> {
  const accounts = Math.ceil(n / NLB_QUOTA) + 1;
  const deployment = await startBenchReplicas({
    count: REPLICAS,
    env: { PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: String(loopbackBase(accounts)), ...(ALLOCATIONS ? { BENCH_ALLOCATIONS_DIR: ALLOCATIONS } : {}) },
    ...(ALLOCATIONS ? { nodeArgs: ['--import', new URL('./support/allocation-sampler.js', import.meta.url).pathname] } : {}),
  });
  const { bootstrap, replicas } = deployment;
  const keys = { publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey };
  const admin = new AtlasClient({ baseUrl: replicas[0]!.apiUrl, ...keys });
  // In a failover run the clients stay on the replica that survives: the other one only reconciles.
  const apiReplicas = FAILOVER ? replicas.slice(0, 1) : replicas;
  const pool = Array.from({ length: CLIENTS }, (_, i) => new AtlasClient({ baseUrl: apiReplicas[i % apiReplicas.length]!.apiUrl, ...keys }));
  const retired: Counters[] = [];
  const customer = new CustomerVpc(deployment.localCloudUrl, bootstrap.localCloud.customer);
  const rssPeak = replicas.map(() => 0);
  const sampler = setInterval(() => replicas.forEach((r, i) => (rssPeak[i] = Math.max(rssPeak[i]!, r.memory().rss || 0))), 500);
  const memoryAtPeak: MemorySample[] = replicas.map(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, dataPlaneHeapTotal: 0, dataPlaneHeapUsed: 0 }));
  const memorySampler = setInterval(() => {
    replicas.forEach((r, i) => {
      void memoryOf(r.apiUrl).then(
        (sample) => {
          if (sample.rss > memoryAtPeak[i]!.rss) memoryAtPeak[i] = sample;
        },
        () => undefined, // a replica busy or stopping: the next sample counts
      );
    });
  }, 2_000);
  try {
    console.log(`\nN = ${n}: ${deployment.backend}; replicas ${replicas.map((r) => `${r.apiUrl} (pid ${r.pid})`).join(', ')}; ${accounts} provider accounts in the pool`);
    for (let a = 1; a <= accounts; a++) await addLocalCloudAccount(admin, bootstrap.orgId, `scale-${a}`);
    const probeServiceId = await createService(admin, bootstrap.projectId, 'AWS');
    const { target: probeTarget } = await waitServiceAvailable(admin, bootstrap.projectId, 'AWS', probeServiceId, { intervalMs: POLL_MS });
    const { vpcId, subnets } = await customer.defaultSubnets();
    await customer.subnetsFor(probeTarget, subnets);
    const before = await countersOf(deployment, retired);
    const awsBefore = deployment.awsCalls();
    const awsTimeBefore = deployment.awsCallTime();
    const rssStartMb = replicas.map((r) => r.memory().rss / 2 ** 20);
    const probe = await startApiProbe(
      apiReplicas.map((r) => ({ apiUrl: r.apiUrl, ...keys })),
      servicePath(bootstrap.projectId, 'AWS', probeServiceId),
      PROBE_MS,
    );

    const t0Wall = Date.now();
    const t0 = performance.now();
    const projects: Array<{ projectId: string; serviceId: string; endpointIds: string[] }> = [];
    let made = 0;
    let killing: Promise<{ killedAt: number; handover: Promise<Handover> }> | undefined;
    await inPool(n, CLIENTS, async (i, worker) => {
      const client = pool[worker]!;
      const projectId = await createProject(client, bootstrap.orgId, `scale-${i}`);
      await createCluster(client, projectId);
      projects[i] = { projectId, serviceId: await createService(client, projectId, 'AWS'), endpointIds: [] };
      if (FAILOVER && ++made >= Math.ceil(n / 2) && !killing) killing = killSecond(deployment, retired);
    });
    const t1 = performance.now();
    const steps = { serviceWait: [] as number[], createVpcEndpoint: [] as number[], register: [] as number[] };
    await inPool(n, CLIENTS, async (i, worker) => {
      const client = pool[worker]!;
      const project = projects[i]!;
      let at = performance.now();
      const lap = (list: number[]) => {
        const now = performance.now();
        list.push(now - at);
        at = now;
      };
      const { target } = await waitServiceAvailable(client, project.projectId, 'AWS', project.serviceId, { intervalMs: POLL_MS, timeoutMs: 600_000 });
      lap(steps.serviceWait);
      const subnetIds = await customer.subnetsFor(target, subnets);
      for (let k = 0; k < ENDPOINTS_PER_SERVICE; k++) {
        const endpoint = await customer.createEndpointIn(target, vpcId, subnetIds[(i * ENDPOINTS_PER_SERVICE + k) % subnetIds.length]!);
        lap(steps.createVpcEndpoint);
        await registerEndpoint(client, project.projectId, 'AWS', project.serviceId, endpoint.registration);
        lap(steps.register);
        project.endpointIds.push(endpoint.id);
      }
    });
    const t2 = performance.now();
    await waitAllReady(pool, projects);
    const t3 = performance.now();
    const awsTimeAfter = deployment.awsCallTime();

    const probed = await probe.stop();
    const allocations = ALLOCATIONS ? await Promise.all(replicas.map((r) => takeAllocationProfile(ALLOCATIONS, r.pid))) : undefined;
    const serverDoneAt = await lastReadyByEvents(pool, projects);
    const after = await countersOf(deployment, retired);
    let failover: Result['failover'];
    if (killing) {
      const { killedAt, handover } = await killing;
      const resources = await checkCloudResources(deployment.query);
      console.log(`N = ${n}: watching the survivor's reconcile passes for one resync period (${RESYNC_MS / 1000} s)`);
      const resync = await watchResyncSpread([replicas[0]!.apiUrl], Math.round(RESYNC_MS / 1000));
      failover = { killedAfterS: (killedAt - t0Wall) / 1000, handover: await handover, resources, resync };
    }
    const latency = summarize(probed.latencies);
    const result: Result = {
      n,
      accounts,
      seconds: { create: (t1 - t0) / 1000, endpoints: (t2 - t1) / 1000, wait: (t3 - t2) / 1000, total: (t3 - t0) / 1000 },
      serverSeconds: (serverDoneAt - t0Wall) / 1000,
      passesByKind: difference(after.passes, before.passes),
      passesByOutcome: difference(after.outcomes, before.outcomes),
      callsByOperation: difference(after.calls, before.calls),
      awsCalls: difference(deployment.awsCalls(), awsBefore),
      awsBusySeconds: (awsTimeAfter.busyMs - awsTimeBefore.busyMs) / 1000,
      awsCallSeconds: (awsTimeAfter.callMs - awsTimeBefore.callMs) / 1000,
      throttles: after.throttles - before.throttles,
      meanPassMs: ((after.passSeconds - before.passSeconds) / (after.passCount - before.passCount)) * 1000,
      meanCallMs: ((after.callSeconds - before.callSeconds) / (after.callCount - before.callCount)) * 1000,
      probe: { p50: latency.p50, p99: latency.p99, max: latency.max, count: latency.n, failures: probed.failures },
      rssStartMb,
      rssPeakMb: replicas.map((r, i) => Math.max(rssPeak[i]!, r.memory().peak || 0) / 2 ** 20),
      memoryAtPeak: [...memoryAtPeak],
      storeBytes: await deployment.storeSize(),
      ...(failover ? { failover } : {}),
      ...(allocations ? { allocations } : {}),
    };
    console.log(
      `N = ${n}: all AVAILABLE in ${result.seconds.total.toFixed(1)} s (create ${result.seconds.create.toFixed(1)} s, ` +
        `customer endpoints + register ${result.seconds.endpoints.toFixed(1)} s, wait ${result.seconds.wait.toFixed(1)} s; ` +
        `the last object ready ${result.serverSeconds.toFixed(1)} s after the start by the server's events); ` +
        `phase 2, median / max: service still to wait for ${spread(steps.serviceWait)}, ` +
        `CreateVpcEndpoint ${spread(steps.createVpcEndpoint)}, register POST ${spread(steps.register)}; ` +
        `${latency.n} probe GETs; load average ${loadavg()[0]!.toFixed(2)}`,
    );
    return result;
  } finally {
    clearInterval(sampler);
    clearInterval(memorySampler);
    admin.close();
    for (const client of pool) client.close();
    customer.close();
    await deployment.close();
  }
}

/** Runs `task(i, worker)` for i in 0..count-1 on `size` concurrent workers; the first failure fails it all. */
async function inPool(count: number, size: number, task: (i: number, worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (w: number) => {
    while (next < count && !failed) {
      const i = next++;
      try {
        await task(i, w);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, count) }, (_, w) => worker(w)));
}

/** Polls every endpoint until AVAILABLE and every cluster until IDLE, in rounds over what is still pending. */
/**
 * When the last object became ready by the server's own activity feed (untimed, after the sweep):
 * per project, its CLUSTER_READY and each endpoint's last INTERFACE_ENDPOINT_STATUS_CHANGED to
 * AVAILABLE (`created`, epoch ms). This leaves out how long the benchmark's own polling took to see it.
 */
async function lastReadyByEvents(pool: readonly AtlasClient[], projects: ReadonlyArray<{ projectId: string; endpointIds: string[] }>): Promise<number> {
  let last = 0;
  await inPool(projects.length, pool.length, async (i, worker) => {
    const project = projects[i]!;
    const response = await pool[worker]!.get(`/api/atlas/v2/groups/${project.projectId}/events?itemsPerPage=500`);
    if (response.status !== 200) throw new FlowError(`GET events: ${response.status} ${response.text.slice(0, 300)}`);
    const events = (response.json as { results: Array<{ eventTypeName: string; created: string; targetId?: string; to?: string }> }).results;
    const readyAt = (event: { created: string }) => Date.parse(event.created);
    const cluster = events.filter((e) => e.eventTypeName === 'CLUSTER_READY').map(readyAt);
    if (cluster.length === 0) throw new FlowError(`project ${project.projectId}: no CLUSTER_READY event`);
    last = Math.max(last, ...cluster);
    for (const id of project.endpointIds) {
      const available = events.filter((e) => e.eventTypeName === 'INTERFACE_ENDPOINT_STATUS_CHANGED' && e.targetId === id && e.to === 'AVAILABLE').map(readyAt);
      if (available.length === 0) throw new FlowError(`endpoint ${id}: no status change to AVAILABLE in the events`);
      last = Math.max(last, ...available);
    }
  });
  return last;
}

async function waitAllReady(pool: readonly AtlasClient[], projects: ReadonlyArray<{ projectId: string; serviceId: string; endpointIds: string[] }>): Promise<void> {
  type Check = { path: string; field: string; ready: string; bad: readonly string[] };
  let pending: Check[] = projects.flatMap((p) => [
    { path: clusterPath(p.projectId), field: 'stateName', ready: 'IDLE', bad: [] },
    ...p.endpointIds.map((id) => ({ path: endpointPath(p.projectId, 'AWS', p.serviceId, id), field: 'connectionStatus', ready: 'AVAILABLE', bad: ['REJECTED', 'FAILED'] })),
  ]);
  const deadline = performance.now() + 1_800_000;
  while (pending.length > 0) {
    const still: Check[] = [];
    await inPool(pending.length, SWEEP_CLIENTS, async (i, worker) => {
      const check = pending[i]!;
      const response = await pool[worker % pool.length]!.get(check.path);
      const value = (response.json as Record<string, unknown> | undefined)?.[check.field];
      if (response.status !== 200 || check.bad.includes(String(value))) throw new FlowError(`GET ${check.path}: ${response.status} ${response.text.slice(0, 300)}`);
      if (value !== check.ready) still.push(check);
    });
    pending = still;
    if (pending.length === 0) break;
    if (performance.now() > deadline) throw new FlowError(`${pending.length} endpoints or clusters still not ready after 30 minutes`);
    await sleep(SWEEP_PAUSE_MS);
  }
}

interface Counters {
  passes: Map<string, number>;
  outcomes: Map<string, number>;
  calls: Map<string, number>;
  throttles: number;
  passSeconds: number;
  passCount: number;
  callSeconds: number;
  callCount: number;
}

/** A replica's memory gauges now, MB. */
async function memoryOf(apiUrl: string): Promise<MemorySample> {
  const scrape = await scrapeCounters(apiUrl, Object.values(MEMORY_GAUGES));
  const mb = (name: string) => scrape.sum(name) / 2 ** 20;
  return {
    rss: mb(MEMORY_GAUGES.rss),
    heapTotal: mb(MEMORY_GAUGES.heapTotal),
    heapUsed: mb(MEMORY_GAUGES.heapUsed),
    external: mb(MEMORY_GAUGES.external),
    dataPlaneHeapTotal: mb(MEMORY_GAUGES.dataPlaneHeapTotal),
    dataPlaneHeapUsed: mb(MEMORY_GAUGES.dataPlaneHeapUsed),
  };
}

/**
 * SIGKILLs the second replica (its counters read just before, kept in `retired`), reads the queue
 * items it held and starts watching their handover.
 */
async function killSecond(deployment: BenchReplicas, retired: Counters[]): Promise<{ killedAt: number; handover: Promise<Handover> }> {
  const victim = deployment.replicas[1]!;
  retired.push(await countersOf({ replicas: [victim] }, []));
  await victim.kill();
  const killedAt = Date.now();
  const { done } = await watchHandover(deployment.query, victim.pid, killedAt, LEASE_MS * 4 + 60_000);
  console.log(`replica 2 (pid ${victim.pid}) SIGKILLed; its leased work is being handed over`);
  return { killedAt, handover: done };
}

/**
 * Passes by work kind, cloud calls by operation, throttles and the duration sums, summed over the
 * replicas still running and the last figures of those killed (`retired`).
 */
async function countersOf(deployment: Pick<BenchReplicas, 'replicas'>, retired: readonly Counters[]): Promise<Counters> {
  const out: Counters = { passes: new Map(), outcomes: new Map(), calls: new Map(), throttles: 0, passSeconds: 0, passCount: 0, callSeconds: 0, callCount: 0 };
  for (const gone of retired) {
    for (const key of ['passes', 'outcomes', 'calls'] as const) for (const [k, v] of gone[key]) out[key].set(k, (out[key].get(k) ?? 0) + v);
    for (const key of ['throttles', 'passSeconds', 'passCount', 'callSeconds', 'callCount'] as const) out[key] += gone[key];
  }
  for (const replica of deployment.replicas.filter((r) => !r.killed)) {
    const scrape = await scrapeCounters(replica.apiUrl, [PASSES, CALLS, THROTTLES, `${PASS_SECONDS}_sum`, `${PASS_SECONDS}_count`, `${CALL_SECONDS}_sum`, `${CALL_SECONDS}_count`]);
    for (const [kind, value] of scrape.by(PASSES, 'kind')) out.passes.set(kind, (out.passes.get(kind) ?? 0) + value);
    for (const [outcome, value] of scrape.by(PASSES, 'outcome')) out.outcomes.set(outcome, (out.outcomes.get(outcome) ?? 0) + value);
    for (const [operation, value] of scrape.by(CALLS, 'operation')) out.calls.set(operation, (out.calls.get(operation) ?? 0) + value);
    out.throttles += scrape.sum(THROTTLES);
    out.passSeconds += scrape.sum(`${PASS_SECONDS}_sum`);
    out.passCount += scrape.sum(`${PASS_SECONDS}_count`);
    out.callSeconds += scrape.sum(`${CALL_SECONDS}_sum`);
    out.callCount += scrape.sum(`${CALL_SECONDS}_count`);
  }
  return out;
}

/**
 * The local cloud gives every VPC a loopback /16 (127.<base + slot>); each pool account makes a
 * default VPC and a provider VPC in us-east-1. Keep the default base 150 (105 slots) while that is
 * enough, else go lower; refuse when even base 10 is not.
 */
function loopbackBase(accounts: number): number {
  const slots = 2 * (accounts + 1) + 4;
  if (slots <= 105) return 150;
  if (255 - slots < 10) throw new Error(`${accounts} provider accounts need ${slots} local-cloud VPCs: more than its 245 loopback slots`);
  return 255 - slots;
}

function report(all: readonly Result[]): void {
  const objects = (r: Result) => r.n * (1 + ENDPOINTS_PER_SERVICE);
  const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const kinds = [...new Set(all.flatMap((r) => [...r.passesByKind.keys()]))].filter((k) => all.some((r) => (r.passesByKind.get(k) ?? 0) > 0)).sort();
  const perKindObjects = (r: Result, kind: string) => (/interface|endpoint$/i.test(kind) && !/service/i.test(kind) ? r.n * ENDPOINTS_PER_SERVICE : r.n);
  const fixed = (d: number) => (v: number) => (Number.isFinite(v) ? v.toFixed(d) : '–');
  const row = (name: string, pick: (r: Result) => number, format: (v: number) => string, goal = '') => [name, ...all.map((r) => format(pick(r))), goal];
  const rows = [
    row('projects (1 cluster, 1 service, 3 endpoints each)', (r) => r.n, fixed(0)),
    row('objects (services + interface endpoints)', objects, fixed(0)),
    row('provider accounts in the pool', (r) => r.accounts, fixed(0)),
    row('time to all AVAILABLE, s', (r) => r.seconds.total, fixed(1)),
    row('  create projects, clusters, services, s', (r) => r.seconds.create, fixed(1)),
    row('  customer endpoints + register, s', (r) => r.seconds.endpoints, fixed(1)),
    row('  wait until all AVAILABLE / IDLE, s', (r) => r.seconds.wait, fixed(1)),
    row("time to the last object ready by the server's events, s", (r) => r.serverSeconds, fixed(1)),
    row('ms per object (client-observed)', (r) => (r.seconds.total * 1000) / objects(r), fixed(2), `≤ ${((GOAL.seconds * 1000) / (GOAL.services * 4)).toFixed(1)}`),
    row('ms per object (server events)', (r) => (r.serverSeconds * 1000) / objects(r), fixed(2), `≤ ${((GOAL.seconds * 1000) / (GOAL.services * 4)).toFixed(1)}`),
    row('reconcile passes per object (all kinds)', (r) => total(r.passesByKind) / objects(r), fixed(2)),
    ...kinds.map((kind) => row(`  passes per ${kind}`, (r) => (r.passesByKind.get(kind) ?? 0) / perKindObjects(r, kind), fixed(2))),
    row('  passes ending in requeue', (r) => r.passesByOutcome.get('requeue') ?? 0, fixed(0)),
    row('  passes ending in error', (r) => r.passesByOutcome.get('error') ?? 0, fixed(0)),
    row('AWS API calls per object (on the wire)', (r) => total(r.awsCalls) / objects(r), fixed(2)),
    row('  local cloud busy with them, % of the time to all AVAILABLE', (r) => (100 * r.awsBusySeconds) / r.seconds.total, fixed(1)),
    row('  calls in flight while busy, mean', (r) => r.awsCallSeconds / r.awsBusySeconds, fixed(2)),
    row('provider adapter operations per object', (r) => total(r.callsByOperation) / objects(r), fixed(2)),
    row('  throttled calls', (r) => r.throttles, fixed(0)),
    row('mean reconcile pass, ms', (r) => r.meanPassMs, fixed(1)),
    row('mean adapter operation (privlink → local cloud), ms', (r) => r.meanCallMs, fixed(1)),
    row('Admin API probe p50, ms', (r) => r.probe.p50, fixed(1)),
    row('Admin API probe p99, ms', (r) => r.probe.p99, fixed(1), `< ${GOAL.p99Ms}`),
    row('Admin API probe max, ms', (r) => r.probe.max, fixed(1)),
    ...Array.from({ length: REPLICAS }, (_, i) => row(`RSS before the timed part, replica ${i + 1}, MB`, (r) => r.rssStartMb[i]!, fixed(0))),
    ...Array.from({ length: REPLICAS }, (_, i) =>
      row(`RSS peak, replica ${i + 1}${i === 0 ? ' (with local cloud)' : ''}, MB`, (r) => r.rssPeakMb[i]!, fixed(0), `< ${GOAL.rssMb}`),
    ),
    ...Array.from({ length: REPLICAS }, (_, i) => [
      `  replica ${i + 1} at its largest sampled RSS: RSS / V8 heap total / used / external / data-plane worker heap total / used, MB`,
      ...all.map(({ memoryAtPeak: { [i]: m } }) =>
        m && m.rss > 0 ? [m.rss, m.heapTotal, m.heapUsed, m.external, m.dataPlaneHeapTotal, m.dataPlaneHeapUsed].map((v) => v.toFixed(0)).join(' / ') : '–',
      ),
      '',
    ]),
    row('store size, MB', (r) => r.storeBytes / 2 ** 20, fixed(1)),
    row('store bytes per object', (r) => r.storeBytes / objects(r), fixed(0)),
  ];
  console.log();
  console.log(table(['per N', ...all.map((r) => `N=${r.n}`), 'goal'], rows));
  const perProject = (title: string, pick: (r: Result) => ReadonlyMap<string, number>) => {
    const keys = [...new Set(all.flatMap((r) => [...pick(r).keys()]))].filter((k) => all.some((r) => (pick(r).get(k) ?? 0) > 0)).sort();
    console.log();
    console.log(
      table(
        [title, ...all.map((r) => `N=${r.n}`)],
        keys.map((k) => [k, ...all.map((r) => ((pick(r).get(k) ?? 0) / r.n).toFixed(2))]),
      ),
    );
  };
  perProject('AWS API calls per project, by action', (r) => r.awsCalls);
  perProject('adapter operations per project', (r) => r.callsByOperation);
  const largest = all[all.length - 1]!;
  const msPerObject = (largest.seconds.total * 1000) / objects(largest);
  console.log();
  for (const n of [1_000, 10_000])
    console.log(`projected at N=${n} (${REPLICAS} replica${REPLICAS > 1 ? 's' : ''}, this machine, flat per-object cost): ${((msPerObject * n * 4) / 1000).toFixed(0)} s`);
  const projected = (msPerObject * GOAL.services * 4) / 1000;
  const failures = all.reduce((sum, r) => sum + r.probe.failures, 0);
  console.log(
    `goal: ${GOAL.services} services + ${GOAL.services * 3} interface endpoints AVAILABLE in < ${GOAL.seconds} s on two replicas — ` +
      `projected from N=${largest.n} on ${REPLICAS}: ${projected.toFixed(0)} s: ${verdict(projected < GOAL.seconds)}`,
  );
  const rss = Math.max(...all.flatMap((r) => r.rssPeakMb));
  console.log(`goal: RSS < ${GOAL.rssMb} MB per replica — peak ${rss.toFixed(0)} MB: ${verdict(rss < GOAL.rssMb)}`);
  const p99 = Math.max(...all.map((r) => r.probe.p99));
  console.log(
    `goal: Admin API p99 < ${GOAL.p99Ms} ms while converging — worst p99 ${p99.toFixed(1)} ms${failures ? ` (${failures} non-200 answers)` : ''}: ${verdict(p99 < GOAL.p99Ms && failures === 0)}`,
  );
  for (const r of all) {
    for (const [i, summary] of (r.allocations ?? []).entries()) {
      console.log(
        `\nN = ${r.n}, replica ${i + 1}${i === 0 ? ' (with the local cloud)' : ''}: its main thread allocated ${summary.totalMb.toFixed(0)} MB from its start until all was AVAILABLE ` +
          `(${((summary.totalMb * 2 ** 20) / objects(r) / 1024).toFixed(0)} KiB per object); by the innermost privlink function on the allocating stack:`,
      );
      for (const { frame, share } of summary.byPrivlinkFrame) console.log(`  ${(share * 100).toFixed(1).padStart(5)} %  ${frame}`);
    }
  }
  for (const r of all) {
    if (!r.failover) continue;
    const { killedAfterS, handover: h, resources: c, resync } = r.failover;
    console.log(
      `\nN = ${r.n}, failover: replica 2 SIGKILLed ${killedAfterS.toFixed(1)} s into the run holding ${h.orphaned} leased queue items; ` +
        `handed over ${h.handedOver} (median ${h.p50Ms.toFixed(0)} ms, last ${h.maxMs.toFixed(0)} ms after the kill), stuck ${h.stuck}`,
    );
    console.log(
      `  cloud resources: ${c.services} privlink endpoint services, ${c.endpointServices} AWS endpoint services and ${c.loadBalancers} load balancers made for them; ` +
        `made twice ${c.duplicated}, leaked ${c.leaked}`,
    );
    const even = 5 / resync.seconds;
    console.log(
      `  resync over one period (${resync.seconds} s, the survivor alone): ${resync.passes} passes for ${r.n * (2 + ENDPOINTS_PER_SERVICE) + 1} objects ` +
        `(clusters, services, endpoints, the probe service; by kind: ${[...resync.byKind].map(([k, v]) => `${k} ${v}`).join(', ')}), at most ${resync.maxPerSecond} in one second, ` +
        `the busiest 5 s held ${(resync.largestFiveSecondShare * 100).toFixed(1)} % of them (even: ${(even * 100).toFixed(1)} %)`,
    );
    const handedInTime = h.stuck === 0 && h.maxMs <= LEASE_MS + 5_000;
    console.log(
      `goal: the dead replica's work handed over within the lease (${LEASE_MS} ms, + 5 s to claim) — ${h.stuck} stuck, last ${h.maxMs.toFixed(0)} ms: ${verdict(handedInTime)}`,
    );
    const clean = c.duplicated === 0 && c.leaked === 0 && c.endpointServices === c.services && c.loadBalancers === c.services;
    console.log(`goal: no cloud resource made twice or leaked — ${verdict(clean)}`);
    console.log(`goal: no thundering herd (busiest 5 s ≤ 3× an even share) — ${verdict(resync.largestFiveSecondShare <= 3 * even)}`);
  }
}

function spread(values: readonly number[]): string {
  const s = summarize(values);
  return `${s.p50.toFixed(0)} / ${s.max.toFixed(0)} ms`;
}

function positiveIntegers(value: string, name: string): number[] {
  const list = value.split(',').map((v) => Number(v.trim()));
  if (list.length === 0 || list.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`${name} must be positive integers, comma-separated, not ${value}`);
  return list;
}
