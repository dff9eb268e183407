// The data-plane worker thread: owns every socket of the data plane — the private DNS server, the
// gateway's listeners and forwarded connections, the simulated nodes — so that no load on them
// can stall the main thread (Admin API, reconciler, local cloud's AWS endpoint). It reads nothing
// from the store: the gateway follows snapshots the main thread posts, and DNS records and node
// horizons are asked of the main thread through bounded, cached lookups (data-plane-protocol.ts).
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { PrivateDnsRecord } from '../../app/private-dns.js';
import type { PrivateDnsAnswer } from '../../app/private-dns-zone.js';
import { LocalCertificateAuthority } from '../dataplane/certificates.js';
import { startDnsServer, type RunningDnsServer } from '../dataplane/dns-server.js';
import { OpenFileBudget } from '../dataplane/open-file-budget.js';
import { endpointIdOfTlv } from '../gateway/endpoint-tlv.js';
import { PrivateLinkGateway } from '../gateway/private-link-gateway.js';
import { PublicGateway, type PublicAccessRule, type PublicRouteUpdate } from '../gateway/public-gateway.js';
import { KernelDataPlane, NAMESPACE_LIST_FILE } from '../kernel/kernel-data-plane.js';
import { SimulatedClusterRuntime } from '../simulated-nodes/simulated-cluster-runtime.js';
import { startAppServicesFrontEnd, type FrontEndAccess, type RunningAppServicesFrontEnd } from '../simulated-nodes/app-services-front-end.js';
import { BoundedLookups, type LookupAnswer } from './bounded-lookups.js';
import type { DataPlaneWorkerConfig, FromWorker, HorizonAnswer, Lookup, LookupValue, RuntimeCall, ToWorker, UserAnswer } from './data-plane-protocol.js';
import { DataPlaneCounters } from './data-plane-counters.js';
import { PendingRequests } from './pending-requests.js';
import { PostedSnapshots } from './posted-snapshots.js';
import { postingLogger, throttledWarning } from './worker-logger.js';

/** How often the worker reports its heap to the main thread (metrics). */
const HEAP_REPORT_MS = 5000;

if (!parentPort) throw new Error('data-plane.worker.js runs as a worker thread only');
const port: MessagePort = parentPort;
const config = workerData as DataPlaneWorkerConfig;
const post = (message: FromWorker) => port.postMessage(message);
const log = postingLogger(config.logLevel, (record) => post({ type: 'log', ...record }));

const questions = new PendingRequests<LookupAnswer<LookupValue>>();
const ask = (lookup: Lookup) => () => questions.request((id) => post({ type: 'lookup', id, lookup }), config.bounds.timeoutMs);
const cacheBounds = { cacheMs: config.bounds.cacheMs, cacheEntries: config.bounds.cacheEntries };
const dnsAnswers = new BoundedLookups<LookupValue>({ ...cacheBounds, maxInFlight: config.bounds.maxInFlight, overflow: 'reject' });
const horizons = new BoundedLookups<LookupValue>({ ...cacheBounds, maxInFlight: config.bounds.maxInFlight, overflow: 'queue', maxQueued: config.bounds.maxQueued });
const users = new BoundedLookups<LookupValue>({ ...cacheBounds, maxInFlight: config.bounds.maxInFlight, overflow: 'queue', maxQueued: config.bounds.maxQueued });
const appAccess = new BoundedLookups<LookupValue>({ ...cacheBounds, maxInFlight: config.bounds.maxInFlight, overflow: 'queue', maxQueued: config.bounds.maxQueued });
const accessLists = new BoundedLookups<LookupValue>({ ...cacheBounds, maxInFlight: config.bounds.maxInFlight, overflow: 'queue', maxQueued: config.bounds.maxQueued });
let appServicesFrontEnd: Promise<RunningAppServicesFrontEnd> | undefined;

const snapshots = config.localCloud ? new PostedSnapshots(config.localCloud.snapshot) : undefined;
let dns: RunningDnsServer | undefined;
let gateway: PrivateLinkGateway | undefined;
let kernel: KernelDataPlane | undefined;
let publicGateway: PublicGateway | undefined;
let runtime: SimulatedClusterRuntime | undefined;
const counters = new DataPlaneCounters();
const shipCounts = () => {
  const counts = counters.drain();
  if (counts) post({ type: 'counts', counts });
};
// One budget for every socket of the gateways, nodes and front ends: the rest of the process keeps its files.
const openFilesSpent = throttledWarning(log.child({ component: 'data-plane' }), 'the data plane holds all the open files it may; a new connection or listener was refused', 10_000);
const openFiles = config.localCloud?.openFiles ?? Number.POSITIVE_INFINITY;
const budget = new OpenFileBudget(openFiles, () => {
  counters.shed();
  openFilesSpent({ limit: openFiles, setting: 'PRIVLINK_DATA_PLANE_OPEN_FILES' });
});
const countsTimer = setInterval(shipCounts, 1000);
countsTimer.unref();
// This isolate's heap: the main thread's heap metrics do not include it.
const shipHeap = () => {
  const heap = getHeapStatistics();
  post({ type: 'heap', heap: { usedBytes: heap.used_heap_size, totalBytes: heap.total_heap_size } });
};
const heapTimer = setInterval(shipHeap, HEAP_REPORT_MS);
heapTimer.unref();
shipHeap();

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'snapshot':
    case 'snapshot-diff':
      dnsAnswers.clear();
      horizons.clear();
      users.clear();
      appAccess.clear();
      accessLists.clear();
      if (message.type === 'snapshot') snapshots?.post(message.snapshot);
      else snapshots?.apply(message.diff);
      break;
    case 'invalidate':
      dnsAnswers.clear();
      horizons.clear();
      users.clear();
      appAccess.clear();
      accessLists.clear();
      // Port allocations or clusters may have changed: the public gateway's listeners follow.
      if (message.publicRoutes) void publicGateway?.refresh();
      break;
    case 'lookup-result':
      questions.settle(message.id, message.ok ? { ok: true, value: { value: message.value, cacheable: message.cacheable } } : message);
      break;
    case 'call':
      void call(message.call).then(
        (value) => post({ type: 'call-result', id: message.id, ok: true, value }),
        (error: Error) => post({ type: 'call-result', id: message.id, ok: false, error: error.message }),
      );
      break;
    case 'ping':
      post({ type: 'pong' });
      break;
    case 'stop':
      void stop();
      break;
  }
});

async function start(): Promise<void> {
  const queryFailed = throttledWarning(log.child({ component: 'private-dns' }), 'private DNS query failed');
  dns = await startDnsServer({
    address: config.dns.address,
    port: config.dns.port,
    ttl: config.dns.ttl,
    resolve: async (name, type, querier) => {
      const found = (await dnsAnswers.get(`${type} ${name}`, ask({ kind: 'dns', name, type }))) as PrivateDnsAnswer | PrivateDnsRecord[] | undefined;
      // A process in a kernel namespace is answered its network's private addresses, not their loopback forms.
      return kernel && found ? asSeenBy(kernel, querier, found) : found;
    },
    onError: (error) => queryFailed({ error: error.message }),
    onQuery: (query) => counters.dnsQuery(query.type, query.rcode),
    budget,
  });
  let caPath: string | null = null;
  if (config.localCloud && snapshots) {
    // Snapshots are pushed on every change; the gateway's own poll only re-applies the last one.
    if (config.localCloud.kernel) {
      const options = { tag: config.localCloud.kernel.tag, dnsPort: dns.port, listFile: join(config.localCloud.dataDir, NAMESPACE_LIST_FILE) };
      kernel = new KernelDataPlane(snapshots, options, log.child({ component: 'kernel-data-plane' }));
    }
    const namespaces = kernel;
    gateway = new PrivateLinkGateway(snapshots, log.child({ component: 'gateway' }), 5000, counters, namespaces && ((address) => namespaces.fromNamespace(address)), budget);
    await gateway.start();
    await kernel?.start();
    const ca = await LocalCertificateAuthority.loadOrCreate(config.localCloud.dataDir);
    caPath = ca.caCertPath ?? null;
    runtime = new SimulatedClusterRuntime({
      ca,
      horizon: (clusterId, targetName, via) =>
        horizons.get(
          JSON.stringify([clusterId, targetName, via.endpointId ?? '', via.sni ?? '', via.public === true]),
          ask({ kind: 'horizon', clusterId, targetName, via }),
        ) as Promise<HorizonAnswer | undefined>,
      user: (deploymentId, username) => users.get(JSON.stringify([deploymentId, username]), ask({ kind: 'user', deploymentId, username })) as Promise<UserAnswer | undefined>,
      log: log.child({ component: 'simulated-nodes' }),
      // An Azure LinkID (or PSC connection id) names its endpoint through the latest posted snapshot.
      endpointIdOf: (tlv) => endpointIdOfTlv(snapshots.latest, tlv),
      budget,
    });
    const nodes = runtime;
    publicGateway = new PublicGateway({
      // Not cached: each answer says what changed since the last one the gateway took in (its passes run one at a time).
      routes: async (since) => (await ask({ kind: 'publicRoutes', ...(since === undefined ? {} : { since }) })()).value as PublicRouteUpdate,
      accessList: (projectId) => accessLists.get(projectId, ask({ kind: 'accessList', projectId })) as Promise<readonly PublicAccessRule[]>,
      target: (clusterId, targetName) => nodes.addressOf(clusterId, targetName),
      log: log.child({ component: 'public-gateway' }),
      observer: counters,
      budget,
      ...(config.localCloud.publicGatewayPollMs ? { pollMs: config.localCloud.publicGatewayPollMs } : {}),
    });
    await publicGateway.start();
  }
  post({ type: 'ready', dnsPort: dns.port, caPath });
}

async function call(request: RuntimeCall) {
  if (!runtime) throw new Error('the data plane runs no simulated nodes (the local cloud is off)');
  if (request.method === 'remove') {
    await runtime.remove(request.clusterId);
    return null;
  }
  if (request.method === 'ensureAppServicesFrontEnd') {
    appServicesFrontEnd ??= startAppServicesFrontEnd({
      access: (clientAppId, { endpointId, clientAddress }, channel) =>
        appAccess.get(
          JSON.stringify([clientAppId, endpointId ?? '', clientAddress ?? '', channel]),
          ask({ kind: 'appAccess', clientAppId, ...(endpointId ? { endpointId } : {}), ...(clientAddress ? { clientAddress } : {}), channel }),
        ) as Promise<FrontEndAccess>,
      log: log.child({ component: 'appservices-front-end' }),
      budget,
      ...(request.publicPort ? { publicPort: request.publicPort } : {}),
    });
    appServicesFrontEnd.catch(() => (appServicesFrontEnd = undefined));
    const running = await appServicesFrontEnd;
    return { private: running.private, public: running.public };
  }
  if (request.method === 'setNodeState') return runtime.setNodeState(request.clusterId, request.targetName, request.state);
  if (request.method === 'ensureFrontEnd') {
    const moved = await runtime.ensureFrontEnd(request.instance);
    return { moved, addresses: runtime.addressesOf(request.instance.id) };
  }
  const moved = await runtime.ensure(request.cluster);
  return { moved, addresses: runtime.addressesOf(request.cluster.id) };
}

/** Closes the nodes, the gateway and the DNS server (each once, failures logged). */
async function closeAll(): Promise<void> {
  const steps: Array<() => Promise<void> | undefined> = [
    () => appServicesFrontEnd?.then((f) => f.stop()),
    () => runtime?.close(),
    () => publicGateway?.stop(),
    () => kernel?.stop(),
    () => gateway?.stop(),
    () => dns?.stop(),
  ];
  for (const step of steps) {
    await Promise.resolve()
      .then(step)
      .catch((error: Error) => log.error('data plane close failed', { error: error.message }));
  }
  questions.rejectAll(new Error('the data plane stopped'));
}

async function stop(): Promise<void> {
  await closeAll();
  clearInterval(countsTimer);
  clearInterval(heapTimer);
  shipCounts();
  post({ type: 'stopped' });
  port.close();
}

/** A DNS answer as the process that asked sees it: private addresses for a process in a kernel namespace (KernelDataPlane.privateAddress). */
function asSeenBy(namespaces: KernelDataPlane, querier: string, found: PrivateDnsAnswer | PrivateDnsRecord[]): PrivateDnsAnswer | PrivateDnsRecord[] {
  const records = Array.isArray(found) ? found : found.records;
  if (!namespaces.fromNamespace(querier) || !records.some((r) => r.type === 'A')) return found;
  const seen = records.map((r) => (r.type === 'A' ? { ...r, address: namespaces.privateAddress(r.address) } : r));
  return Array.isArray(found) ? seen : { ...found, records: seen };
}

start().catch(async (error: Error) => {
  await closeAll();
  post({ type: 'failed', error: error.message });
});
