// What metrics and tracing cost the Admin API: the same Digest-authenticated GET of one endpoint
// service at 32 connections against privlink with metrics off (PRIVLINK_METRICS=off: no HTTP
// metrics, no provider/reconcile counters), on (the default), on with OpenTelemetry tracing at
// privlink's default sampling (parent-based, one new trace in ten; sampled span trees exported over
// OTLP/HTTP JSON to a collector stand-in in this process that answers 200), and, for reference,
// tracing every request (OTEL_TRACES_SAMPLER=parentbased_always_on). Rounds alternate off, on,
// tracing, every request, three times, each on a fresh privlink in a child process of its own. The load generator
// is digest-get's (autocannon in a child process, a fresh Digest nc per request). The best round of
// each is compared with off, side by side, and so is the server's CPU time per request (this
// process's user + system CPU over the round / requests answered; the median of each mode's rounds),
// which is what the verdict uses: the server's capacity on a core of its own.
// Target: metrics on, and metrics + tracing on (default sampling), each ≤ 5 % more CPU per request than metrics off.
// Run: npx tsc -p . && node scripts/run-bench.mjs metrics-overhead. BENCH_SECONDS=n sets a round's length (default 10).
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AtlasClient } from '../src/client/atlas-client.js';
import { createService, servicePath, waitServiceAvailable } from './support/atlas-flow.js';
import type { FastifyInstance } from 'fastify';
import { DigestSigner, parseMd5Challenge } from './support/digest-signer.js';
import { startBenchPrivlink } from './support/privlink-instance.js';
import { table, verdict } from './support/stats.js';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? '10') || 10;
const WARMUP_SECONDS = Math.min(3, SECONDS);
const MAX_COST = 0.05;
const ACCEPT = 'application/vnd.atlas.2023-01-01+json';

interface InjectResult {
  readonly requestsPerSecond: number;
  readonly cpuMicros: number;
  readonly failed: number;
}

interface LoadResult {
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly p50: number;
  readonly p99: number;
}

const generatorPath = fileURLToPath(new URL('./digest-get.bench.js', import.meta.url));
type Mode = 'off' | 'on' | 'tracing' | 'every';
const ENV: Record<Mode, Record<string, string>> = {
  off: { PRIVLINK_METRICS: 'off' },
  on: { PRIVLINK_METRICS: 'loopback' },
  tracing: { PRIVLINK_METRICS: 'loopback' },
  every: { PRIVLINK_METRICS: 'loopback', OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
};
const LABEL: Record<Mode, string> = { off: 'off / off', on: 'on / off', tracing: 'on / on, 1 in 10', every: 'on / on, every request' };

// A round's privlink runs in a child process of its own (`--role=server --mode=…`), so one round's
// leftovers (heap, timers, JIT state) never count against the next, and the CPU measured is the
// server's alone (the collector stand-in stays in this process).
const serverRole = process.argv.find((a) => a.startsWith('--mode='))?.slice('--mode='.length) as Mode | undefined;
if (serverRole) {
  const instance = await startBenchPrivlink(JSON.parse(process.env.BENCH_PRIVLINK_ENV ?? '{}') as Record<string, string>);
  const { bootstrap, running } = instance;
  const client = new AtlasClient({ baseUrl: running.apiUrl, publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey });
  const serviceId = await createService(client, bootstrap.projectId, 'AWS');
  await waitServiceAvailable(client, bootstrap.projectId, 'AWS', serviceId, { intervalMs: 5 });
  client.close();
  const job = { url: running.apiUrl, path: servicePath(bootstrap.projectId, 'AWS', serviceId), digest: { publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey } };
  let cpuBefore = process.cpuUsage();
  process.on('message', (m: { type: string }) => {
    if (m.type === 'cpu-start') {
      cpuBefore = process.cpuUsage();
      process.send!({ type: 'cpu-started' });
    } else if (m.type === 'cpu-stop') {
      const cpu = process.cpuUsage(cpuBefore);
      process.send!({ type: 'cpu', result: cpu.user + cpu.system });
    } else if (m.type === 'inject') {
      void injectLoad(running.api, job, SECONDS).then((result) => process.send!({ type: 'injected', result }));
    } else if (m.type === 'stop') {
      void instance.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', result: job });
  await new Promise(() => undefined); // until told to stop
}

/**
 * The same GET driven in-process through Fastify's `inject` (no sockets, no load generator on the
 * cores): 32 requests in flight for `seconds`, each with a fresh Digest answer. What it measures
 * is the server's own work per request, routing, hooks, authentication, metrics and spans included.
 * (The loop keeps the event loop busy, so the data plane's lookups wait meanwhile: the public
 * gateway may log "no answer in 5000 ms" during these rounds.)
 */
async function injectLoad(api: FastifyInstance, job: { path: string; digest: { publicKey: string; privateKey: string } }, seconds: number): Promise<InjectResult> {
  const challenge = parseMd5Challenge((await api.inject({ method: 'GET', url: job.path, headers: { accept: ACCEPT } })).headers['www-authenticate'] as string | undefined);
  if (!challenge) throw new Error('no Digest challenge from the server');
  const signer = new DigestSigner(job.digest.publicKey, job.digest.privateKey, challenge.realm, challenge.nonce);
  const one = async (): Promise<boolean> => {
    const res = await api.inject({ method: 'GET', url: job.path, headers: { accept: ACCEPT, authorization: signer.authorization('GET', job.path) } });
    return res.statusCode === 200;
  };
  // Warm-up, then the measured window.
  for (const until = performance.now() + WARMUP_SECONDS * 1000; performance.now() < until; ) await Promise.all(Array.from({ length: CONNECTIONS }, one));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let requests = 0;
  let failed = 0;
  while (performance.now() - started < seconds * 1000) {
    const answers = await Promise.all(Array.from({ length: CONNECTIONS }, one));
    requests += answers.length;
    failed += answers.filter((ok) => !ok).length;
  }
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = (performance.now() - started) / 1000;
  return { requestsPerSecond: requests / elapsed, cpuMicros: (cpu.user + cpu.system) / requests, failed };
}

// The OTLP collector stand-in: reads each export and answers 200 (counting the bytes it got).
let exported = 0;
const collector = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => (exported += chunk.length));
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
ENV.tracing.PRIVLINK_OTLP_ENDPOINT = ENV.every.PRIVLINK_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

const child: ChildProcess = fork(generatorPath, ['--role=load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
try {
  await message(child, 'ready');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; ` +
      `privlink in a child process per round, autocannon in another; ${CONNECTIONS} connections, keep-alive, ${SECONDS} s per round`,
  );
  const rounds: Array<{ metrics: Mode; result: LoadResult; cpuMicros: number; injected: InjectResult }> = [];
  const modes = ['off', 'on', 'tracing', 'every'] as const;
  for (const metrics of [...modes, ...modes, ...modes]) {
    const server = fork(fileURLToPath(import.meta.url), [`--mode=${metrics}`], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_PRIVLINK_ENV: JSON.stringify(ENV[metrics]) },
    });
    try {
      const job = (await message(server, 'ready')) as { url: string; path: string; digest: { publicKey: string; privateKey: string } };
      await load({ ...job, seconds: WARMUP_SECONDS });
      server.send({ type: 'cpu-start' });
      await message(server, 'cpu-started');
      const result = await load({ ...job, seconds: SECONDS });
      server.send({ type: 'cpu-stop' });
      const cpuMicros = (await message(server, 'cpu')) as number;
      if (metrics !== 'off' && !(await fetch(`${job.url}/metrics`)).ok) throw new Error('metrics on, but /metrics does not answer');
      server.send({ type: 'inject' });
      const injected = (await message(server, 'injected')) as InjectResult;
      rounds.push({ metrics, result, cpuMicros: cpuMicros / Math.max(1, result.total), injected });
    } finally {
      server.send({ type: 'stop' });
      await new Promise((resolve) => server.once('exit', resolve));
    }
  }
  const fmt = (value: number, digits = 0) => value.toFixed(digits);
  console.log();
  console.log(
    table(
      ['round', 'metrics / tracing', 'HTTP req/s', 'CPU µs/req', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'timeouts', 'in-process req/s', 'CPU µs/req'],
      rounds.map(({ metrics, result: r, cpuMicros, injected }, i) => [
        String(i + 1),
        LABEL[metrics],
        fmt(r.requestsPerSecond),
        fmt(cpuMicros, 1),
        fmt(r.p50),
        fmt(r.p99),
        String(r.total),
        String(r.non2xx),
        String(r.errors),
        String(r.timeouts),
        fmt(injected.requestsPerSecond),
        fmt(injected.cpuMicros, 1),
      ]),
    ),
  );
  const best = (metrics: Mode) => Math.max(...rounds.filter((r) => r.metrics === metrics).map((r) => r.result.requestsPerSecond));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const cpu = (metrics: Mode) => median(rounds.filter((r) => r.metrics === metrics).map((r) => r.cpuMicros));
  const cost = (metrics: Mode) => cpu(metrics) / cpu('off') - 1;
  const failures = rounds.reduce((n, r) => n + r.result.non2xx + r.result.errors + r.result.timeouts + r.injected.failed, 0);
  const inProcess = (metrics: Mode) => median(rounds.filter((r) => r.metrics === metrics).map((r) => r.injected.requestsPerSecond));
  console.log();
  console.log(
    table(
      ['', 'off', 'metrics on', 'metrics + tracing (1 in 10)', 'reference: tracing every request'],
      [
        ['best round, req/s', ...modes.map((m) => fmt(best(m)))],
        ['best round, % of off', ...modes.map((m) => fmt((best(m) / best('off')) * 100, 1))],
        ['median server CPU µs/request', ...modes.map((m) => fmt(cpu(m), 1))],
        ['server capacity, % of off', ...modes.map((m) => fmt((cpu('off') / cpu(m)) * 100, 1))],
        ['cost % (CPU per request)', '-', ...modes.slice(1).map((m) => fmt(cost(m) * 100, 1))],
        ['in-process (inject), median req/s', ...modes.map((m) => fmt(inProcess(m)))],
        ['in-process, % of off', ...modes.map((m) => fmt((inProcess(m) / inProcess('off')) * 100, 1))],
        ['in-process cost %', '-', ...modes.slice(1).map((m) => fmt((1 - inProcess(m) / inProcess('off')) * 100, 1))],
      ],
    ),
  );
  console.log(`OTLP bytes exported to the collector stand-in: ${exported}`);
  if (exported === 0) throw new Error('tracing on, but no span reached the collector');
  // The verdict is on the server's CPU per request (its capacity on a core of its own): with the load
  // generator on the same 2 cores, req/s moves ±30 % from round to round with the scheduler.
  console.log(
    `target: cost ≤ ${MAX_COST * 100} % of server CPU per request — metrics on ${fmt(cost('on') * 100, 1)} %, metrics + tracing (default sampling) ${fmt(cost('tracing') * 100, 1)} %, ` +
      `failures ${failures}: ${verdict(cost('on') <= MAX_COST && cost('tracing') <= MAX_COST && failures === 0)}`,
  );
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
} finally {
  child.disconnect();
  collector.close();
}

function load(job: { url: string; path: string; seconds: number; digest: { publicKey: string; privateKey: string } }): Promise<LoadResult> {
  child.send({ ...job, connections: CONNECTIONS });
  return message(child, 'result') as Promise<LoadResult>;
}

function message(from: ChildProcess, type: 'ready' | 'result' | 'cpu-started' | 'cpu' | 'injected'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string; result?: unknown; message?: string }) => {
      if (m.type === 'error') finish(() => reject(new Error(`load generator: ${m.message}`)));
      else if (m.type === type) finish(() => resolve(m.result));
    };
    const onExit = (code: number | null) => finish(() => reject(new Error(`load generator exited with ${code}`)));
    const finish = (then: () => void) => {
      from.off('message', onMessage);
      from.off('exit', onExit);
      then();
    };
    from.on('message', onMessage);
    from.on('exit', onExit);
  });
}
