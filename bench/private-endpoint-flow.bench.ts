// Private-endpoint flow benchmark: how long from "create the endpoint service" to "interface
// endpoint AVAILABLE" with zero simulated cloud delay, i.e. privlink's own overhead (API, store,
// work queue, reconcilers, local cloud). Reference: real Atlas takes minutes for the same flow.
// Target: p95 < 500 ms over 200 runs.
//
// One run, timed on this process's clock, as a user would do it (README "Walkthrough"):
//   t0  POST …/privateEndpoint/endpointService                     → 201 INITIATING
//       GET  …/endpointService/{id} every POLL_MS until AVAILABLE    (leg 1 ends: service name known)
//       customer: DescribeVpcs → DescribeSubnets → CreateVpcEndpoint (customer leg, local cloud EC2)
//       POST …/endpointService/{id}/endpoint {"id": vpce}          → 201 PENDING_ACCEPTANCE
//       GET  …/endpoint/{vpce} every POLL_MS until AVAILABLE         (leg 2 ends)
//   t1  = total. Then (untimed for the target, reported apart) DELETE the service, poll to 404,
//   and delete the customer's endpoint, so every run starts from the same state in one project.
//
// Everything runs in this one process (privlink with its store, local cloud and reconcilers; the
// client), as `privlink serve` plus a script on the same host would. Backend: PGlite, or a fresh
// database on the DATABASE_URL server when that is set.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs flow). BENCH_RUNS=n changes the run count.
import { availableParallelism, loadavg } from 'node:os';
import { AtlasClient } from '../src/client/atlas-client.js';
import { createService, CustomerVpc, deleteService, registerEndpoint, waitEndpointAvailable, waitServiceAvailable } from './support/atlas-flow.js';
import { startBenchPrivlink } from './support/privlink-instance.js';
import { summarize, table, verdict, type Summary } from './support/stats.js';

const RUNS = positiveInteger(process.env.BENCH_RUNS, 200);
const WARMUP_RUNS = 5;
const POLL_MS = 5;
const TARGET_P95_MS = 500;

interface RunTimes {
  total: number;
  service: number;
  customer: number;
  endpoint: number;
  teardown: number;
  servicePolls: number;
  endpointPolls: number;
}

const instance = await startBenchPrivlink();
const { bootstrap, running } = instance;
const client = new AtlasClient({ baseUrl: running.apiUrl, publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey });
const customer = new CustomerVpc(running.localCloudUrl!, bootstrap.localCloud.customer);
try {
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; ` +
      `backend ${instance.backend}; local cloud delays: instant; privlink, local cloud and client in this process`,
  );
  console.log(`${RUNS} runs after ${WARMUP_RUNS} warm-up runs, one project, service deleted (to 404) between runs; API polled ${POLL_MS} ms after each response`);

  const runs: RunTimes[] = [];
  for (let i = 0; i < WARMUP_RUNS + RUNS; i++) {
    const times = await oneRun(bootstrap.projectId);
    if (i >= WARMUP_RUNS) runs.push(times);
  }

  const row = (name: string, s: Summary): string[] => [name, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), ms(s.mean)];
  const total = summarize(runs.map((r) => r.total));
  console.log();
  console.log(
    table(
      ['create → AVAILABLE (ms)', 'p50', 'p95', 'p99', 'max', 'mean'],
      [
        row('total: service POST → endpoint AVAILABLE', total),
        row('  leg 1: service POST → service AVAILABLE', summarize(runs.map((r) => r.service))),
        row('  customer: DescribeVpcs+Subnets, CreateVpcEndpoint', summarize(runs.map((r) => r.customer))),
        row('  leg 2: endpoint POST → endpoint AVAILABLE', summarize(runs.map((r) => r.endpoint))),
        row('(untimed) delete service → 404, delete vpce', summarize(runs.map((r) => r.teardown))),
      ],
    ),
  );
  const polls = (values: number[]): string => `median ${summarize(values).p50}, max ${Math.max(...values)}`;
  console.log(`GETs per run until AVAILABLE: service ${polls(runs.map((r) => r.servicePolls))}; endpoint ${polls(runs.map((r) => r.endpointPolls))}`);
  console.log(`reference: MongoDB Atlas takes minutes for this flow (service and endpoint provisioning on AWS)`);
  console.log(`target: p95 < ${TARGET_P95_MS} ms over ${RUNS} runs — measured p95 ${ms(total.p95)} ms: ${verdict(total.p95 < TARGET_P95_MS)}`);
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
} finally {
  client.close();
  customer.close();
  await instance.close();
}

async function oneRun(projectId: string): Promise<RunTimes> {
  const poll = { intervalMs: POLL_MS };
  const t0 = performance.now();
  const serviceId = await createService(client, projectId);
  const service = await waitServiceAvailable(client, projectId, serviceId, poll);
  const t1 = performance.now();
  const vpceId = await customer.createInterfaceEndpoint(service.serviceName);
  const t2 = performance.now();
  await registerEndpoint(client, projectId, serviceId, vpceId);
  const endpoint = await waitEndpointAvailable(client, projectId, serviceId, vpceId, poll);
  const t3 = performance.now();
  await deleteService(client, projectId, serviceId, poll);
  await customer.deleteEndpoint(vpceId);
  const t4 = performance.now();
  return { total: t3 - t0, service: t1 - t0, customer: t2 - t1, endpoint: t3 - t2, teardown: t4 - t3, servicePolls: service.polls, endpointPolls: endpoint.polls };
}

function ms(value: number): string {
  return value.toFixed(1);
}

function positiveInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`BENCH_RUNS must be a positive integer, not ${value}`);
  return n;
}
