// Admin API read throughput with Digest authentication: GET one endpoint service at 32
// connections, beside a bare Fastify hello route in the same process and the same run (the
// ceiling of this machine's HTTP stack for one Node thread). Target: privlink ≥ 50 % of the
// bare route's requests/s.
//
// Processes: this one serves both (privlink in-process with its store, and the bare Fastify
// server); the load generator (autocannon, 32 connections, keep-alive, no pipelining) runs in a
// child process so it never shares the event loop with the server. Every privlink request carries
// a fresh Digest answer (a new nc on one nonce; the server refuses replays), computed in
// autocannon's setupRequest just before the request is written; a 401 with stale=true makes the
// generator adopt the new nonce. Rounds: the bare route alone before privlink starts (shown, not
// compared: it tells what privlink's mere presence in the process costs), then bare, privlink,
// bare, privlink after a short warm-up of each; the better round of each is compared.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs digest). BENCH_SECONDS=n sets a round's length (default 10).
import { fork, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { AtlasClient } from '../src/client/atlas-client.js';
import { createService, servicePath, waitServiceAvailable } from './support/atlas-flow.js';
import { DigestSigner, parseMd5Challenge } from './support/digest-signer.js';
import { startBenchPrivlink, type BenchPrivlink } from './support/privlink-instance.js';
import { table, verdict } from './support/stats.js';

const CONNECTIONS = 32;
const SECONDS = positiveNumber(process.env.BENCH_SECONDS, 10);
const WARMUP_SECONDS = Math.min(3, SECONDS);
const TARGET_RATIO = 0.5;
const ACCEPT = 'application/vnd.atlas.2023-01-01+json';

/** What the parent asks the load child to do. */
interface LoadJob {
  readonly url: string;
  readonly path: string;
  readonly seconds: number;
  readonly connections: number;
  /** Digest credentials; absent for the bare route. */
  readonly digest?: { readonly publicKey: string; readonly privateKey: string };
}

/** What the load child reports. Latencies in ms. */
interface LoadResult {
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly ok2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly seconds: number;
  readonly staleRenewals: number;
  /** CPU seconds the load child used during the round (user + system). */
  readonly generatorCpu: number;
}

const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
if (role === 'load') runLoadChild();
else await main();

// ───────────────────────────── the load generator (child process) ─────────────────────────────

/** The part of autocannon 9's API used here (it ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: object, headers: Record<string, string | string[]>) => void;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  headers: Record<string, string>;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

function runLoadChild(): void {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  process.on('message', (job: LoadJob) => {
    void runLoad(autocannon, job).then(
      (result) => process.send?.({ type: 'result', result }),
      (error: unknown) => process.send?.({ type: 'error', message: String(error instanceof Error ? error.stack : error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' });
}

async function runLoad(autocannon: Autocannon, job: LoadJob): Promise<LoadResult> {
  let staleRenewals = 0;
  let requests: AutocannonRequest[] | undefined;
  if (job.digest) {
    const challenge = await fetchChallenge(job.url + job.path);
    const signer = new DigestSigner(job.digest.publicKey, job.digest.privateKey, challenge.realm, challenge.nonce);
    requests = [
      {
        method: 'GET',
        path: job.path,
        setupRequest: (req) => {
          req.headers = { ...req.headers, authorization: signer.authorization('GET', job.path) };
          return req;
        },
        onResponse: (status, _body, _context, headers) => {
          if (status !== 401) return;
          const renewed = parseMd5Challenge(headers['www-authenticate'] ?? headers['WWW-Authenticate']);
          if (renewed?.stale) {
            staleRenewals++;
            signer.renew(renewed.nonce);
          }
        },
      },
    ];
  }
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: job.url + job.path,
    connections: job.connections,
    duration: job.seconds,
    pipelining: 1,
    headers: { accept: ACCEPT },
    ...(requests ? { requests } : {}),
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    seconds: result.duration,
    staleRenewals,
    generatorCpu: (cpu.user + cpu.system) / 1e6,
  };
}

/** One unauthenticated GET to get the server's MD5 challenge (realm and nonce). */
function fetchChallenge(url: string): Promise<{ realm: string; nonce: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: ACCEPT } }, (res) => {
      res.resume();
      const challenge = parseMd5Challenge(res.headers['www-authenticate']);
      if (res.statusCode !== 401 || !challenge) reject(new Error(`expected a 401 Digest challenge from ${url}, got ${res.statusCode}`));
      else resolve(challenge);
    });
    req.on('error', reject);
    req.end();
  });
}

// ───────────────────────────── the servers and the orchestration ─────────────────────────────

async function main(): Promise<void> {
  const bare = Fastify({ logger: false });
  bare.get('/hello', async () => ({ hello: 'world' }));
  let child: ChildProcess | undefined;
  let instance: BenchPrivlink | undefined;
  try {
    await bare.listen({ host: '127.0.0.1', port: 0 });
    const bareUrl = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`;
    child = fork(fileURLToPath(import.meta.url), ['--role=load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await message(child, 'ready');
    const generator = child;
    const round = async (job: Omit<LoadJob, 'connections'>): Promise<Round> => {
      const before = processCpuSeconds();
      generator.send({ ...job, connections: CONNECTIONS } satisfies LoadJob);
      const result = (await message(generator, 'result')) as LoadResult;
      return { ...result, serverCpu: processCpuSeconds() - before };
    };
    const bareJob = { url: bareUrl, path: '/hello', seconds: SECONDS };
    console.log(
      `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; ` +
        `servers in this process, autocannon in a child process; ${CONNECTIONS} connections, keep-alive, no pipelining, ${SECONDS} s per round`,
    );

    // Reference of the reference: the bare route alone in this process, before privlink starts.
    await round({ ...bareJob, seconds: WARMUP_SECONDS });
    const alone = await round(bareJob);

    instance = await startBenchPrivlink();
    const { bootstrap, running } = instance;
    const client = new AtlasClient({ baseUrl: running.apiUrl, publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey });
    const serviceId = await createService(client, bootstrap.projectId, 'AWS');
    await waitServiceAvailable(client, bootstrap.projectId, 'AWS', serviceId, { intervalMs: 5 });
    const path = servicePath(bootstrap.projectId, 'AWS', serviceId);
    const sample = await client.get(path);
    client.close();
    if (sample.status !== 200) throw new Error(`GET ${path}: ${sample.status} ${sample.text}`);
    const privlinkJob = { url: running.apiUrl, path, seconds: SECONDS, digest: { publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey } };
    console.log(`backend ${instance.backend}`);
    console.log(`privlink: GET ${path} with Digest (MD5, qop=auth, fresh nc per request), Accept ${ACCEPT}; ${sample.text.length} bytes of JSON`);
    console.log(`bare:     GET /hello on Fastify ${bare.version} → {"hello":"world"} (same process as privlink)`);

    await round({ ...privlinkJob, seconds: WARMUP_SECONDS });
    const rounds: Array<{ name: 'bare' | 'privlink'; result: Round }> = [];
    for (const name of ['bare', 'privlink', 'bare', 'privlink'] as const) rounds.push({ name, result: await round(name === 'bare' ? bareJob : privlinkJob) });

    const fmt = (value: number, digits = 0): string => value.toFixed(digits);
    const cells = (name: string, r: Round): string[] => [
      name,
      fmt(r.requestsPerSecond),
      fmt(r.p50),
      fmt(r.p99),
      fmt(r.max),
      String(r.total),
      String(r.non2xx),
      String(r.errors),
      String(r.timeouts),
      `${fmt((r.serverCpu / r.seconds) * 100)} %`,
      `${fmt((r.generatorCpu / r.seconds) * 100)} %`,
    ];
    console.log();
    console.log(
      table(
        ['round', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', 'non-2xx', 'errors', 'timeouts', 'server CPU', 'generator CPU'],
        [cells('0. bare, privlink not started', alone), ...rounds.map(({ name, result }, i) => cells(`${i + 1}. ${name}`, result))],
      ),
    );
    const best = (name: 'bare' | 'privlink'): Round =>
      rounds
        .filter((r) => r.name === name)
        .map((r) => r.result)
        .sort((a, b) => b.requestsPerSecond - a.requestsPerSecond)[0]!;
    const bareBest = best('bare');
    const privlinkBest = best('privlink');
    const ratio = privlinkBest.requestsPerSecond / bareBest.requestsPerSecond;
    const failures = rounds.reduce((n, r) => n + r.result.non2xx + r.result.errors + r.result.timeouts, 0);
    const stale = rounds.reduce((n, r) => n + r.result.staleRenewals, 0);
    console.log();
    console.log(
      `better round of each: bare ${fmt(bareBest.requestsPerSecond)} req/s (p99 ${fmt(bareBest.p99)} ms), ` +
        `privlink ${fmt(privlinkBest.requestsPerSecond)} req/s (p99 ${fmt(privlinkBest.p99)} ms); privlink/bare = ${fmt(ratio * 100, 1)} %` +
        ` (privlink / bare before privlink started: ${fmt((privlinkBest.requestsPerSecond / alone.requestsPerSecond) * 100, 1)} %)`,
    );
    console.log(
      `non-2xx + errors + timeouts over all measured rounds: ${failures}${failures === 0 ? '' : ' (NOT 0: the figures include failed requests)'}; stale-nonce renewals: ${stale}`,
    );
    console.log(`target: privlink ≥ ${TARGET_RATIO * 100} % of the bare route's req/s — measured ${fmt(ratio * 100, 1)} %: ${verdict(ratio >= TARGET_RATIO && failures === 0)}`);
    console.log(
      `latencies in whole ms (autocannon's resolution); server CPU = this process (both servers, privlink's background work); generator CPU near 100 % = the generator limits the round`,
    );
    console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
  } finally {
    // Let the handlers of requests the generator abandoned at the end of its last round finish
    // before the store closes (they would log "driver has already been destroyed" otherwise).
    if (child) await stopChild(child);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await bare.close();
    await instance?.close();
  }
}

/** Disconnects the load child (it exits on disconnect) and waits until it has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    if (child.connected) child.disconnect();
    else child.kill();
  });
}

type Round = LoadResult & { readonly serverCpu: number };

/** user + system CPU seconds of this process so far (all its threads). */
function processCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

function message(child: ChildProcess, type: 'ready' | 'result'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string; result?: unknown; message?: string }): void => {
      if (m.type === 'error') finish(() => reject(new Error(`load generator: ${m.message}`)));
      else if (m.type === type) finish(() => resolve(m.result));
    };
    const onExit = (code: number | null): void => finish(() => reject(new Error(`load generator exited with ${code}`)));
    const finish = (then: () => void): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function positiveNumber(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`BENCH_SECONDS must be a positive number, not ${value}`);
  return n;
}
