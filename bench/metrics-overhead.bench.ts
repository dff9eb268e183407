// What metrics cost the Admin API: the same Digest-authenticated GET of one endpoint service at 32
// connections against privlink with metrics off (PRIVLINK_METRICS=off: no HTTP metrics, no
// provider/reconcile counters) and on (the default), in alternating rounds off, on, off, on, each
// on a fresh privlink in this process. The load generator is digest-get's (autocannon in a child
// process, a fresh Digest nc per request). The better round of each is compared.
// Target: metrics on ≥ 95 % of metrics off (cost ≤ 5 %).
// Run: npx tsc -p . && node scripts/run-bench.mjs metrics-overhead. BENCH_SECONDS=n sets a round's length (default 10).
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { AtlasClient } from '../src/client/atlas-client.js';
import { createService, servicePath, waitServiceAvailable } from './support/atlas-flow.js';
import { startBenchPrivlink } from './support/privlink-instance.js';
import { table, verdict } from './support/stats.js';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? '10') || 10;
const WARMUP_SECONDS = Math.min(3, SECONDS);
const MAX_COST = 0.05;

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
const child: ChildProcess = fork(generatorPath, ['--role=load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
try {
  await message(child, 'ready');
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; ` +
      `privlink in this process, autocannon in a child process; ${CONNECTIONS} connections, keep-alive, ${SECONDS} s per round`,
  );
  const rounds: Array<{ metrics: 'off' | 'on'; result: LoadResult }> = [];
  for (const metrics of ['off', 'on', 'off', 'on'] as const) {
    const instance = await startBenchPrivlink({ PRIVLINK_METRICS: metrics === 'off' ? 'off' : 'loopback' });
    try {
      const { bootstrap, running } = instance;
      const client = new AtlasClient({ baseUrl: running.apiUrl, publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey });
      const serviceId = await createService(client, bootstrap.projectId, 'AWS');
      await waitServiceAvailable(client, bootstrap.projectId, 'AWS', serviceId, { intervalMs: 5 });
      client.close();
      const job = { url: running.apiUrl, path: servicePath(bootstrap.projectId, 'AWS', serviceId), digest: { publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey } };
      await load({ ...job, seconds: WARMUP_SECONDS });
      rounds.push({ metrics, result: await load({ ...job, seconds: SECONDS }) });
      if (metrics === 'on' && !(await fetch(`${running.apiUrl}/metrics`)).ok) throw new Error('metrics on, but /metrics does not answer');
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await instance.close();
    }
  }
  const fmt = (value: number, digits = 0) => value.toFixed(digits);
  console.log();
  console.log(
    table(
      ['round', 'metrics', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'non-2xx', 'errors', 'timeouts'],
      rounds.map(({ metrics, result: r }, i) => [
        String(i + 1),
        metrics,
        fmt(r.requestsPerSecond),
        fmt(r.p50),
        fmt(r.p99),
        String(r.total),
        String(r.non2xx),
        String(r.errors),
        String(r.timeouts),
      ]),
    ),
  );
  const best = (metrics: 'off' | 'on') => Math.max(...rounds.filter((r) => r.metrics === metrics).map((r) => r.result.requestsPerSecond));
  const ratio = best('on') / best('off');
  const failures = rounds.reduce((n, r) => n + r.result.non2xx + r.result.errors + r.result.timeouts, 0);
  console.log();
  console.log(`better round of each: metrics off ${fmt(best('off'))} req/s, metrics on ${fmt(best('on'))} req/s; cost ${fmt((1 - ratio) * 100, 1)} %`);
  console.log(
    `target: cost ≤ ${MAX_COST * 100} % (on ≥ ${100 - MAX_COST * 100} % of off) — measured ${fmt(ratio * 100, 1)} % of off, failures ${failures}: ${verdict(ratio >= 1 - MAX_COST && failures === 0)}`,
  );
  console.log(`load average ${loadavg()[0]!.toFixed(2)} at the end`);
} finally {
  child.disconnect();
}

function load(job: { url: string; path: string; seconds: number; digest: { publicKey: string; privateKey: string } }): Promise<LoadResult> {
  child.send({ ...job, connections: CONNECTIONS });
  return message(child, 'result') as Promise<LoadResult>;
}

function message(from: ChildProcess, type: 'ready' | 'result'): Promise<unknown> {
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
