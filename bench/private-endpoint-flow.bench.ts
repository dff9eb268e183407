// Private-endpoint flow benchmark, AWS, Azure and GCP: how long from "create the endpoint service" to
// "endpoint AVAILABLE" with zero simulated cloud delay, i.e. privlink's own overhead (API, store,
// work queue, reconcilers, local cloud). Reference: real Atlas takes minutes for the same flow.
// Target, per cloud: p95 < 500 ms over 200 runs. Goal near the floor (zero delays): p95 < 100 ms on
// PostgreSQL, < 150 ms on PGlite, printed with the legs' medians.
//
// One run, timed on this process's clock, as a user would do it (README "Walkthrough"):
//   t0  POST …/privateEndpoint/endpointService {providerName, region}   → 201 INITIATING
//       (GCP with portMappingEnabled: one service attachment, one forwarding rule)
//       GET  …/{AWS|AZURE|GCP}/endpointService/{id} every POLL_MS until AVAILABLE
//                                  (leg 1 ends: endpointServiceName / privateLinkServiceResourceId /
//                                   serviceAttachmentNames known)
//       customer, with the cloud's SDK on the local cloud (customer leg):
//         AWS:   DescribeVpcs → DescribeSubnets → CreateVpcEndpoint
//         Azure: private endpoint with a manual connection (LRO polled every POLL_MS) → its NIC's IP
//         GCP:   address, then forwarding rule to the attachment (operations waited) → its IP
//       POST …/endpointService/{id}/endpoint {id}, {id, privateEndpointIPAddress} or the endpoint group
//       GET  …/endpoint/{encoded id} every POLL_MS until AVAILABLE          (leg 2 ends)
//   t1  = total. Then (untimed for the target, reported apart) DELETE the service, poll to 404,
//   and delete the customer's endpoint, so every run starts from the same state in one project.
// Azure's customer resource group and VNet, and GCP's network, are made once before the runs (untimed).
// With AWS, serverless runs join in (bench/support/serverless-flow.ts): one AWS-backed instance made
// once, then per run reserve → RESERVED and PATCH → AVAILABLE, the serverless rows of the table. Runs alternate
// between the clouds, so load on the machine weighs on both alike.
//
// Everything runs in this one process (privlink with its store, local cloud and reconcilers; the
// client), as `privlink serve` plus a script on the same host would. Backend: PGlite, or a fresh
// database on the DATABASE_URL server when that is set.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs private-endpoint-flow).
// BENCH_RUNS=n: runs per cloud (default 200). BENCH_CLOUDS=aws,azure,gcp: which clouds (default all three).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { AtlasClient } from '../src/client/atlas-client.js';
import { createService, deleteService, registerEndpoint, waitEndpointAvailable, waitServiceAvailable, type CustomerSide, type Provider } from './support/atlas-flow.js';
import { CustomerPsc } from './support/customer-psc.js';
import { CustomerVnet } from './support/customer-vnet.js';
import { CustomerVpc } from './support/customer-vpc.js';
import { createServerlessInstance, serverlessRun, type ServerlessRunTimes } from './support/serverless-flow.js';
import { startBenchPrivlink } from './support/privlink-instance.js';
import { summarize, table, verdict, type Summary } from './support/stats.js';

const RUNS = positiveInteger(process.env.BENCH_RUNS, 200);
const CLOUDS = clouds(process.env.BENCH_CLOUDS);
const WARMUP_RUNS = 5;
const POLL_MS = 5;
const TARGET_P95_MS = 500;
/** Near the floor: what privlink's own overhead should come to with zero cloud delays (p95, ms). */
const FLOOR_P95_MS = process.env.DATABASE_URL ? 100 : 150;
const FLOOR_BACKEND = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
const LABEL: Record<Provider, string> = { AWS: 'AWS', AZURE: 'Azure', GCP: 'GCP' };

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
const customers: CustomerSide[] = [];
try {
  for (const cloud of CLOUDS) customers.push(await customerOn(cloud));
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; ` +
      `backend ${instance.backend}; local cloud delays: instant (every cloud); privlink, local cloud and client in this process`,
  );
  console.log(
    `${RUNS} runs per cloud (${CLOUDS.map((c) => LABEL[c]).join(', ')}, alternating) after ${WARMUP_RUNS} warm-up runs each, one project, ` +
      `service deleted (to 404) between runs; API and Azure LROs polled ${POLL_MS} ms after each response`,
  );

  const runs = new Map<Provider, RunTimes[]>(CLOUDS.map((c) => [c, []]));
  const awsCustomer = customers.find((c) => c.provider === 'AWS');
  const serverlessRuns: ServerlessRunTimes[] = [];
  if (awsCustomer) await createServerlessInstance(client, bootstrap.projectId, { intervalMs: POLL_MS });
  for (let i = 0; i < WARMUP_RUNS + RUNS; i++) {
    for (const customer of customers) {
      const times = await oneRun(bootstrap.projectId, customer);
      if (i >= WARMUP_RUNS) runs.get(customer.provider)!.push(times);
    }
    if (awsCustomer) {
      const times = await serverlessRun(client, bootstrap.projectId, awsCustomer, { intervalMs: POLL_MS });
      if (i >= WARMUP_RUNS) serverlessRuns.push(times);
    }
  }

  const row = (name: string, s: Summary, target = ''): string[] => [name, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), ms(s.mean), target];
  const totals = new Map<Provider, Summary>();
  let totalsServerless: { reserve: Summary; patch: Summary } | undefined;
  const rows: string[][] = [];
  for (const customer of customers) {
    const cloud = customer.provider;
    const of = (pick: (r: RunTimes) => number): Summary => summarize(runs.get(cloud)!.map(pick));
    const total = of((r) => r.total);
    totals.set(cloud, total);
    rows.push(
      row(`${LABEL[cloud]} total: service POST → endpoint AVAILABLE`, total, verdict(total.p95 < TARGET_P95_MS)),
      row(
        '  leg 1: service POST → service AVAILABLE',
        of((r) => r.service),
      ),
      row(
        `  customer: ${customer.steps}`,
        of((r) => r.customer),
      ),
      row(
        '  leg 2: endpoint POST → endpoint AVAILABLE',
        of((r) => r.endpoint),
      ),
      row(
        `  (untimed) delete service → 404, delete endpoint`,
        of((r) => r.teardown),
      ),
    );
  }
  if (awsCustomer) {
    const of = (pick: (r: ServerlessRunTimes) => number): Summary => summarize(serverlessRuns.map(pick));
    const reserve = of((r) => r.reserve);
    const patch = of((r) => r.patch);
    totalsServerless = { reserve, patch };
    rows.push(
      row('Serverless (AWS): endpoint POST → RESERVED', reserve, verdict(reserve.p95 < TARGET_P95_MS)),
      row(
        `  customer: ${awsCustomer.steps}`,
        of((r) => r.customer),
      ),
      row('Serverless (AWS): PATCH → AVAILABLE', patch, verdict(patch.p95 < TARGET_P95_MS)),
      row(
        '  (untimed) delete endpoint → 404, delete VPC endpoint',
        of((r) => r.teardown),
      ),
    );
  }
  console.log();
  console.log(table(['create → AVAILABLE (ms)', 'p50', 'p95', 'p99', 'max', 'mean', `p95 < ${TARGET_P95_MS}`], rows));
  const polls = (values: number[]): string => `median ${summarize(values).p50}, max ${Math.max(...values)}`;
  for (const cloud of CLOUDS) {
    const mine = runs.get(cloud)!;
    console.log(`${LABEL[cloud]}: GETs per run until AVAILABLE: service ${polls(mine.map((r) => r.servicePolls))}; endpoint ${polls(mine.map((r) => r.endpointPolls))}`);
  }
  console.log(`reference: MongoDB Atlas takes minutes for this flow (service and endpoint provisioning on the cloud)`);
  for (const cloud of CLOUDS) {
    const p95 = totals.get(cloud)!.p95;
    console.log(`target ${LABEL[cloud]}: p95 < ${TARGET_P95_MS} ms over ${RUNS} runs — measured p95 ${ms(p95)} ms: ${verdict(p95 < TARGET_P95_MS)}`);
  }
  for (const cloud of CLOUDS) {
    const total = totals.get(cloud)!;
    const of = (pick: (r: RunTimes) => number): string => ms(summarize(runs.get(cloud)!.map(pick)).p50);
    console.log(
      `goal near the floor, ${LABEL[cloud]}: p95 < ${FLOOR_P95_MS} ms on ${FLOOR_BACKEND} — measured p95 ${ms(total.p95)} ms ` +
        `(p50 ${ms(total.p50)}: leg 1 ${of((r) => r.service)}, customer ${of((r) => r.customer)}, leg 2 ${of((r) => r.endpoint)}): ${verdict(total.p95 < FLOOR_P95_MS)}`,
    );
  }
  if (totalsServerless) {
    for (const [label, summary] of [
      ['reserve → RESERVED', totalsServerless.reserve],
      ['PATCH → AVAILABLE', totalsServerless.patch],
    ] as const) {
      console.log(`target serverless ${label}: p95 < ${TARGET_P95_MS} ms over ${RUNS} runs — measured p95 ${ms(summary.p95)} ms: ${verdict(summary.p95 < TARGET_P95_MS)}`);
    }
  }
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
} finally {
  client.close();
  for (const customer of customers) customer.close();
  await instance.close();
}

/** The customer's side on `cloud`, with the local cloud's customer principal from bootstrap.json; Azure's VNet made here (untimed). */
async function customerOn(cloud: Provider): Promise<CustomerSide> {
  if (cloud === 'AWS') return new CustomerVpc(running.localCloudUrl!, bootstrap.localCloud.customer);
  if (cloud === 'GCP') {
    const gcp = bootstrap.localCloud.gcp;
    if (!gcp) throw new Error('BENCH_CLOUDS names gcp but privlink started without the local cloud for GCP');
    return CustomerPsc.create(gcp);
  }
  const azure = bootstrap.localCloud.azure;
  if (!azure || !running.azureCloud) throw new Error('BENCH_CLOUDS names azure but privlink started without the local cloud for Azure');
  const ca = azure.caPath ? readFileSync(azure.caPath, 'utf8') : running.azureCloud.caCertPem;
  return CustomerVnet.create(azure.endpoint, ca, azure.customer, POLL_MS);
}

async function oneRun(projectId: string, customer: CustomerSide): Promise<RunTimes> {
  const cloud = customer.provider;
  const poll = { intervalMs: POLL_MS };
  const t0 = performance.now();
  const serviceId = await createService(client, projectId, cloud);
  const service = await waitServiceAvailable(client, projectId, cloud, serviceId, poll);
  const t1 = performance.now();
  const endpoint = await customer.createEndpoint(service.target);
  const t2 = performance.now();
  await registerEndpoint(client, projectId, cloud, serviceId, endpoint.registration);
  const available = await waitEndpointAvailable(client, projectId, cloud, serviceId, endpoint.id, poll);
  const t3 = performance.now();
  await deleteService(client, projectId, cloud, serviceId, poll);
  await customer.deleteEndpoint(endpoint.id);
  const t4 = performance.now();
  return { total: t3 - t0, service: t1 - t0, customer: t2 - t1, endpoint: t3 - t2, teardown: t4 - t3, servicePolls: service.polls, endpointPolls: available.polls };
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

/** BENCH_CLOUDS: a comma-separated subset of aws, azure, gcp (any case), in the order given; default all three. */
function clouds(value: string | undefined): Provider[] {
  if (value === undefined || value.trim() === '') return ['AWS', 'AZURE', 'GCP'];
  const names = value.split(',').map((name) => name.trim().toUpperCase());
  const unknown = names.filter((name) => name !== 'AWS' && name !== 'AZURE' && name !== 'GCP');
  if (unknown.length > 0 || names.length === 0) throw new Error(`BENCH_CLOUDS must list aws, azure and/or gcp, comma-separated, not ${value}`);
  return [...new Set(names as Provider[])];
}
