// Gateway data-path benchmark: the TcpForwarder against a direct connection (the physical limit
// of this machine) and against HAProxy in TCP mode (the reference), in the same run, on loopback.
//
//   (a) bulk throughput of one connection, client → server (2 GiB or 10 s, whichever first) and
//       server → client (2 GiB); median of 5 rounds, with the proxy's CPU seconds per GiB
//   (b) round-trip latency: 20,000 one-byte ping-pongs on one connection, p50/p99 µs
//   (c) connections/s: sequential connect + 1 round trip + close, and 64 concurrent workers
//   (d) memory per idle connection at 10,000 connections through the forwarder (and HAProxy): from
//       the empty proxy, and over the second half alone (what one more connection costs)
//
// Processes: this one is the client; the echo/sink/source server, the forwarder and HAProxy each
// run in their own process, so a proxy never shares a thread with the load it carries. The
// forwarder runs as privlink runs it: in a worker thread, one target and one set of labels per
// listener.
// Run: npm run bench (or: npx tsc -p . && node scripts/run-bench.mjs gateway).
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { TcpForwarder } from '../src/localcloud/dataplane/tcp-forwarder.js';
import { TcpListenerSet } from '../src/localcloud/dataplane/tcp-listener-set.js';

const HOST = '127.0.0.1';
const HAPROXY = '/usr/sbin/haproxy';
const THROUGHPUT_BYTES = 2 * 1024 ** 3;
const THROUGHPUT_MAX_MS = 10_000;
const ROUNDS = 5;
const RTT_BLOCKS = 10;
const PING_PONGS = 20_000;
const SEQUENTIAL_CONNECTIONS = 1_000;
const CONCURRENT_CONNECTIONS = 4_000;
const CONCURRENCY = 64;
const IDLE_CONNECTIONS = 10_000;

interface Ports {
  echo: number;
  sink: number;
  source: number;
}

type Message = { type: 'ready'; ports: Ports } | { type: 'memory'; rss: number; heapUsed: number; external: number; connections: number };

const self = fileURLToPath(import.meta.url);
const role = process.argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);

if (role === 'server') await runServer();
else if (role === 'forwarder') await runForwarder();
else await main();

// ───────────────────────────── child: echo, sink and source server ─────────────────────────────

async function runServer(): Promise<void> {
  const echo = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.pipe(socket);
  });
  // Sink: discards everything; when the client half-closes, answers with the byte count.
  const sink = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      const count = Buffer.alloc(8);
      count.writeBigUInt64BE(BigInt(socket.bytesRead));
      socket.end(count);
    });
    socket.resume();
  });
  // Source: reads an 8-byte size, sends that many bytes, ends (the download direction).
  const block = Buffer.alloc(1024 * 1024, 0x62);
  const source = createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.once('data', (request: Buffer) => {
      let left = Number(request.readBigUInt64BE(0));
      const pump = (): void => {
        while (left > 0) {
          const piece = left >= block.length ? block : block.subarray(0, left);
          left -= piece.length;
          if (!socket.write(piece)) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.end();
      };
      pump();
    });
  });
  const ports = { echo: await listenOn(echo), sink: await listenOn(sink), source: await listenOn(source) };
  process.send?.({ type: 'ready', ports } satisfies Message);
  process.on('disconnect', () => process.exit(0));
}

// ───────────────────────────── child: the forwarder under test ─────────────────────────────

async function runForwarder(): Promise<void> {
  if (isMainThread) {
    // The process holds the worker that forwards, as a privlink replica holds its data plane's.
    const worker = new Worker(self, { argv: process.argv.slice(2) });
    worker.on('message', (message: Message) => process.send?.(message.type === 'memory' ? { ...message, rss: process.memoryUsage().rss } : message));
    worker.on('error', (error) => {
      console.error(error);
      process.exit(1);
    });
    process.on('message', (request) => worker.postMessage(request));
    process.on('disconnect', () => process.exit(0));
    return;
  }
  const targets = JSON.parse(process.argv.find((a) => a.startsWith('--targets='))!.slice('--targets='.length)) as Ports;
  const forwarder = new TcpForwarder();
  const listeners = new TcpListenerSet();
  const open = async (name: string, port: number): Promise<number> => {
    const options = { target: { host: HOST, port }, labels: { listener: name } };
    return (await listeners.ensure({ address: HOST, port: 0, name }, { onConnection: (socket) => forwarder.forward(socket, options) })).bound.port;
  };
  const ports = { echo: await open('echo', targets.echo), sink: await open('sink', targets.sink), source: await open('source', targets.source) };
  parentPort!.postMessage({ type: 'ready', ports } satisfies Message);
  parentPort!.on('message', (request: { type: string }) => {
    if (request.type !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const usage = process.memoryUsage();
    parentPort!.postMessage({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external, connections: forwarder.size } satisfies Message);
  });
}

// ───────────────────────────── the client / orchestrator ─────────────────────────────

interface PathResult {
  path: string;
  /** Client → server (upload) and server → client (download) throughput. */
  gbps: number[];
  downGbps: number[];
  /** CPU seconds the proxy process spent per GiB forwarded, each direction (load-independent efficiency). */
  cpuPerGiB: number[];
  downCpuPerGiB: number[];
  /** CPU µs the proxy process spent per connection in the connection-rate runs. */
  cpuPerConnection: number[];
  /** Every round-trip sample of every block, µs. */
  rtts: number[];
  sequential: number[];
  concurrent: number[];
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'privlink-bench-'));
  process.on('exit', () => {
    // 'exit' cannot wait for the children: the signal goes out at once, which is all that is needed here.
    for (const child of children) void stop(child);
    rmSync(scratch, { recursive: true, force: true });
  });
  try {
    console.log(
      `node ${process.version}, ${availableParallelism()} CPUs, load average ${loadavg()[0]!.toFixed(2)} at start; loopback ${HOST}; ` +
        'client, echo/sink/source server and each proxy in separate processes; paths interleaved in rotating order so drift hits all alike',
    );
    const server = await startChild(['--role=server'], children);
    const forwarder = await startChild(['--role=forwarder', `--targets=${JSON.stringify(server.ports)}`], children);
    const haproxy = await startHaproxy(server.ports, scratch, children);

    const paths: Array<{ path: string; ports: Ports; pid?: number }> = [
      { path: 'direct', ports: server.ports },
      { path: 'forwarder (privlink, 1 worker thread)', ports: forwarder.ports, pid: forwarder.child.pid! },
      ...(haproxy ? [{ path: `haproxy ${haproxy.version} tcp (${threadsOf(haproxy.pid)} threads)`, ports: haproxy.ports, pid: haproxy.pid }] : []),
    ];
    const results = new Map<string, PathResult>(
      paths.map((p) => [p.path, { path: p.path, gbps: [], downGbps: [], cpuPerGiB: [], downCpuPerGiB: [], cpuPerConnection: [], rtts: [], sequential: [], concurrent: [] }]),
    );
    const rotated = (round: number): typeof paths => paths.map((_, i) => paths[(i + round) % paths.length]!);

    // (b) latency first, on one long-lived connection per path, in interleaved blocks.
    const echoSockets = new Map(await Promise.all(paths.map(async (p) => [p.path, await openIdle(p.ports.echo)] as const)));
    for (const p of paths) await pingPongOn(echoSockets.get(p.path)!, 1000); // warm-up
    const blockSize = PING_PONGS / RTT_BLOCKS;
    for (let block = 0; block < RTT_BLOCKS; block++) {
      for (const p of rotated(block)) results.get(p.path)!.rtts.push(...(await pingPongOn(echoSockets.get(p.path)!, blockSize)));
    }
    for (const socket of echoSockets.values()) socket.destroy();
    console.log(`latency: ${PING_PONGS} round trips per path on one connection each (${RTT_BLOCKS} interleaved blocks)`);

    // (c) connection rate.
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of rotated(round)) {
        const r = results.get(p.path)!;
        const cpuBefore = cpuSeconds(p.pid);
        r.sequential.push(await connectionsPerSecond(p.ports.echo, SEQUENTIAL_CONNECTIONS, 1));
        r.concurrent.push(await connectionsPerSecond(p.ports.echo, CONCURRENT_CONNECTIONS, CONCURRENCY));
        r.cpuPerConnection.push(((cpuSeconds(p.pid) - cpuBefore) / (SEQUENTIAL_CONNECTIONS + CONCURRENT_CONNECTIONS)) * 1e6);
      }
    }
    console.log(`connection rate: ${ROUNDS} interleaved rounds`);

    // (a) bulk throughput.
    for (const p of paths) {
      await throughput(p.ports.sink, 64 * 1024 ** 2, 2000); // warm-up
      await download(p.ports.source, 64 * 1024 ** 2);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of rotated(round)) {
        const r = results.get(p.path)!;
        const cpuBefore = cpuSeconds(p.pid);
        const run = await throughput(p.ports.sink, THROUGHPUT_BYTES, THROUGHPUT_MAX_MS);
        r.gbps.push(run.gbps);
        r.cpuPerGiB.push((cpuSeconds(p.pid) - cpuBefore) / (run.bytes / 1024 ** 3));
        const downCpuBefore = cpuSeconds(p.pid);
        const down = await download(p.ports.source, THROUGHPUT_BYTES);
        r.downGbps.push(down.gbps);
        r.downCpuPerGiB.push((cpuSeconds(p.pid) - downCpuBefore) / (down.bytes / 1024 ** 3));
      }
    }
    console.log(`throughput: ${ROUNDS} interleaved rounds; load average ${loadavg()[0]!.toFixed(2)} at the end`);
    printTable([...results.values()]);

    if (haproxy) await stop(haproxy.child);
    await stop(forwarder.child);
    await memoryPerIdleConnection(server.ports, children, scratch);
  } finally {
    await Promise.all(children.map(stop));
  }
}

/** Ends a child process and waits for it (so it is reaped, not left a zombie). Idempotent. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function printTable(rows: PathResult[]): void {
  const direct = rows[0]!;
  const m = (xs: number[]): number => median(xs);
  const p50 = (r: PathResult): number => percentile(r.rtts, 0.5);
  const p99 = (r: PathResult): number => percentile(r.rtts, 0.99);
  console.log('');
  console.log(
    `throughput and conn/s: medians of ${ROUNDS} rounds; RTT percentiles over all samples; throughput = 1 connection, up ${fmtBytes(THROUGHPUT_BYTES)} or ${THROUGHPUT_MAX_MS / 1000} s, down ${fmtBytes(THROUGHPUT_BYTES)}; RTT = ${PING_PONGS} one-byte round trips; conn/s = connect + 1 round trip + close (${SEQUENTIAL_CONNECTIONS} sequential; ${CONCURRENT_CONNECTIONS} by ${CONCURRENCY} concurrent workers)`,
  );
  const header = ['path', 'throughput Gbit/s up / down', 'proxy CPU s/GiB up / down', 'RTT p50/p99 µs', 'added p50 µs', 'conn/s seq', 'conn/s concurrent', 'proxy CPU µs/conn'];
  const table = rows.map((r) => [
    r.path,
    `${m(r.gbps).toFixed(2)} / ${m(r.downGbps).toFixed(2)}`,
    r === direct ? '—' : `${m(r.cpuPerGiB).toFixed(2)} / ${m(r.downCpuPerGiB).toFixed(2)}`,
    `${p50(r).toFixed(0)} / ${p99(r).toFixed(0)}`,
    r === direct ? '—' : `${p50(r) - p50(direct) >= 0 ? '+' : ''}${(p50(r) - p50(direct)).toFixed(0)}`,
    m(r.sequential).toFixed(0),
    m(r.concurrent).toFixed(0),
    r === direct ? '—' : m(r.cpuPerConnection).toFixed(0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
  console.log('target: gateway must not be behind HAProxy on throughput or added latency (direct is the physical limit)');
  const forwarder = rows.find((r) => r.path.startsWith('forwarder'))!;
  const haproxy = rows.find((r) => r.path.startsWith('haproxy'));
  if (!haproxy) {
    console.log(`verdict: HAProxy not found at ${HAPROXY} (apt-get install -y haproxy); no reference in this run`);
    return;
  }
  const tput = Math.min(m(forwarder.gbps) / m(haproxy.gbps), m(forwarder.downGbps) / m(haproxy.downGbps));
  const addedForwarder = p50(forwarder) - p50(direct);
  const addedHaproxy = p50(haproxy) - p50(direct);
  console.log(
    `verdict: throughput forwarder/haproxy = ${((m(forwarder.gbps) / m(haproxy.gbps)) * 100).toFixed(0)} % up, ${((m(forwarder.downGbps) / m(haproxy.downGbps)) * 100).toFixed(0)} % down (${tput >= 0.95 ? 'MET' : 'NOT MET'}, 5 % noise allowed); ` +
      `added p50 latency forwarder ${addedForwarder.toFixed(0)} µs vs haproxy ${addedHaproxy.toFixed(0)} µs (${addedForwarder <= addedHaproxy + 5 ? 'MET' : 'NOT MET'}, 5 µs noise allowed); ` +
      `p99 forwarder ${p99(forwarder).toFixed(0)} µs vs haproxy ${p99(haproxy).toFixed(0)} µs; ` +
      `conn/s seq ${m(forwarder.sequential).toFixed(0)} vs ${m(haproxy.sequential).toFixed(0)}, concurrent ${m(forwarder.concurrent).toFixed(0)} vs ${m(haproxy.concurrent).toFixed(0)}; ` +
      `CPU per GiB ${m(forwarder.cpuPerGiB).toFixed(2)}/${m(forwarder.downCpuPerGiB).toFixed(2)} s vs ${m(haproxy.cpuPerGiB).toFixed(2)}/${m(haproxy.downCpuPerGiB).toFixed(2)} s, per connection ${m(forwarder.cpuPerConnection).toFixed(0)} µs vs ${m(haproxy.cpuPerConnection).toFixed(0)} µs`,
  );
  console.log('(wall-clock figures swing with the load of a shared machine; the proxy-CPU columns vary much less and are the better comparison)');
}

/** (d) RSS of a fresh forwarder process (and of a fresh HAProxy) before and after holding many idle connections. */
async function memoryPerIdleConnection(targets: Ports, children: ChildProcess[], scratch: string): Promise<void> {
  const limit = openFileLimit();
  // Each forwarded connection holds two descriptors in the proxy (client side + upstream side).
  const feasible = limit ? Math.floor((limit.soft - 200) / 2) : IDLE_CONNECTIONS;
  const count = Math.min(IDLE_CONNECTIONS, feasible);
  console.log('');
  if (count < IDLE_CONNECTIONS) {
    console.log(
      `note: open-file limit ${limit?.soft} (hard ${limit?.hard}; this process may not raise it) allows ${count} forwarded connections ` +
        `(2 descriptors each) in one proxy process: measuring at ${count} instead of ${IDLE_CONNECTIONS}`,
    );
  }
  const forwarder = await startChild(['--role=forwarder', `--targets=${JSON.stringify(targets)}`], children, ['--expose-gc']);
  const forwarderResult = await idleMemory(forwarder.ports.echo, count, async () => {
    const m = await askMemory(forwarder.child);
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, connections: m.connections };
  });
  const detail =
    forwarderResult.heapPerConnection !== undefined
      ? ` (JS heap ${kib(forwarderResult.heapPerConnection)}, external ${kib(forwarderResult.externalPerConnection ?? 0)}; the rest is socket handles and kernel-side accounting in native memory)`
      : '';
  console.log(
    `idle connections through the forwarder: ${forwarderResult.connections}; RSS ${fmtBytes(forwarderResult.before)} → ${fmtBytes(forwarderResult.after)} = ${kib(forwarderResult.perConnection)} per connection from empty, ${kib(forwarderResult.marginalPerConnection)} over the second half${detail}`,
  );
  await stop(forwarder.child);

  const haproxy = await startHaproxy(targets, join(scratch, 'idle'), children);
  if (!haproxy) return;
  const haproxyResult = await idleMemory(haproxy.ports.echo, count, async () => ({ rss: processRss(haproxy.pid) }));
  console.log(
    `idle connections through haproxy ${haproxy.version} (reference): ${count}; RSS ${fmtBytes(haproxyResult.before)} → ${fmtBytes(haproxyResult.after)} = ${kib(haproxyResult.perConnection)} per connection from empty, ${kib(haproxyResult.marginalPerConnection)} over the second half`,
  );
  const goal = (perConnection: number): string => (perConnection <= 4 * 1024 ? 'MET' : 'NOT MET');
  console.log(
    `goal: ≤ 4 KiB per idle connection — forwarder ${kib(forwarderResult.perConnection)} from empty (${goal(forwarderResult.perConnection)}), ` +
      `${kib(forwarderResult.marginalPerConnection)} over the second half (${goal(forwarderResult.marginalPerConnection)}); haproxy ${kib(haproxyResult.perConnection)} / ${kib(haproxyResult.marginalPerConnection)}`,
  );
  await stop(haproxy.child);
}

interface MemorySample {
  rss: number;
  heapUsed?: number;
  external?: number;
  connections?: number;
}

/**
 * Opens `count` idle connections to `port` and reports the proxy's memory growth per connection:
 * from the empty proxy, and over the second half alone (the marginal cost: memory the proxy
 * commits once, such as a garbage-collected heap's young generation grown by the burst of
 * connects, counts in the first figure and not in the second).
 */
async function idleMemory(port: number, count: number, sample: () => Promise<MemorySample>) {
  const before = await sample();
  const sockets: Socket[] = [];
  const half = Math.floor(count / 2);
  let opened = 0;
  const openUntil = async (total: number): Promise<MemorySample> => {
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        while (opened < total) {
          opened++;
          sockets.push(await openIdle(port));
        }
      }),
    );
    // Let the proxy finish its upstream connects before sampling.
    let taken = await sample();
    for (let i = 0; i < 50 && (taken.connections ?? total) < total; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      taken = await sample();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    return sample();
  };
  const middle = await openUntil(half);
  const after = await openUntil(count);
  for (const socket of sockets) socket.destroy();
  const connections = after.connections ?? count;
  return {
    connections,
    before: before.rss,
    after: after.rss,
    perConnection: (after.rss - before.rss) / connections,
    marginalPerConnection: (after.rss - middle.rss) / (connections - (middle.connections ?? half)),
    ...(after.heapUsed !== undefined && before.heapUsed !== undefined ? { heapPerConnection: (after.heapUsed - before.heapUsed) / connections } : {}),
    ...(after.external !== undefined && before.external !== undefined ? { externalPerConnection: (after.external - before.external) / connections } : {}),
  };
}

/** user + system CPU seconds of a process so far (0 when there is none: the direct path). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function threadsOf(pid: number): string {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Threads:'));
  return /\d+/.exec(line ?? '')?.[0] ?? '?';
}

function processRss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/\d+/.exec(line ?? '')?.[0] ?? 0) * 1024;
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function askMemory(child: ChildProcess): Promise<Extract<Message, { type: 'memory' }>> {
  return new Promise((resolve) => {
    const onMessage = (message: Message): void => {
      if (message.type !== 'memory') return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

function openIdle(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port, noDelay: true }, () => resolve(socket));
    socket.once('error', reject);
  });
}

// ───────────────────────────── measurements ─────────────────────────────

/** (a) Sends up to `maxBytes` (or for `maxMs`) on one connection to the sink and waits for its byte count. */
function throughput(port: number, maxBytes: number, maxMs: number): Promise<{ bytes: number; gbps: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    let started = 0;
    const socket = connect({ host: HOST, port, allowHalfOpen: true, noDelay: true }, () => {
      started = performance.now();
      pump();
    });
    const pump = (): void => {
      while (sent < maxBytes && performance.now() - started < maxMs) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.end();
    };
    const received: Buffer[] = [];
    socket.on('data', (data: Buffer) => received.push(data));
    socket.on('end', () => {
      const seconds = (performance.now() - started) / 1000;
      const counted = Number(Buffer.concat(received).readBigUInt64BE(0));
      socket.destroy();
      if (counted !== sent) reject(new Error(`sink counted ${counted} bytes, sent ${sent}`));
      else resolve({ bytes: sent, gbps: (sent * 8) / seconds / 1e9 });
    });
    socket.on('error', reject);
  });
}

/** (a') Asks the source for `bytes` on one connection and reads them to the end. */
function download(port: number, bytes: number): Promise<{ bytes: number; gbps: number }> {
  return new Promise((resolve, reject) => {
    let received = 0;
    let started = 0;
    const socket = connect({ host: HOST, port, noDelay: true }, () => {
      started = performance.now();
      const request = Buffer.alloc(8);
      request.writeBigUInt64BE(BigInt(bytes));
      socket.write(request);
    });
    socket.on('data', (data: Buffer) => (received += data.length));
    socket.on('end', () => {
      const seconds = (performance.now() - started) / 1000;
      socket.destroy();
      if (received !== bytes) reject(new Error(`received ${received} of ${bytes} bytes`));
      else resolve({ bytes, gbps: (bytes * 8) / seconds / 1e9 });
    });
    socket.on('error', reject);
  });
}

/** (b) `count` one-byte round trips on an open connection to the echo server; each sample in µs. */
function pingPongOn(socket: Socket, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const samples: number[] = [];
    const byte = Buffer.from([0x78]);
    let sentAt = performance.now();
    const onData = (data: Buffer): void => {
      for (let k = 0; k < data.length; k++) {
        samples.push((performance.now() - sentAt) * 1000);
        if (samples.length === count) {
          socket.off('data', onData);
          socket.off('error', reject);
          resolve(samples);
          return;
        }
        sentAt = performance.now();
        socket.write(byte);
      }
    };
    socket.on('data', onData);
    socket.on('error', reject);
    socket.write(byte);
  });
}

/** (c) connect + one round trip + close, `total` times by `workers` concurrent workers; connections per second. */
async function connectionsPerSecond(port: number, total: number, workers: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        next++;
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host: HOST, port, noDelay: true }, () => socket.write('x'));
          socket.once('data', () => socket.end());
          socket.on('close', () => resolve());
          socket.on('error', reject);
        });
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

// ───────────────────────────── processes ─────────────────────────────

async function startChild(args: string[], children: ChildProcess[], execArgv: string[] = []): Promise<{ child: ChildProcess; ports: Ports }> {
  const child = fork(self, args, { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const ports = await new Promise<Ports>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`child ${args[0]} exited with ${code}`)));
    child.on('message', (message: Message) => {
      if (message.type === 'ready') resolve(message.ports);
    });
  });
  return { child, ports };
}

async function startHaproxy(targets: Ports, dir: string, children: ChildProcess[]): Promise<{ ports: Ports; version: string; pid: number; child: ChildProcess } | undefined> {
  if (!existsSync(HAPROXY)) {
    console.log(`HAProxy not found at ${HAPROXY}: install it with apt-get install -y haproxy for the reference figures; continuing without`);
    return undefined;
  }
  const version = /version (\S+)/.exec(spawnSync(HAPROXY, ['-v'], { encoding: 'utf8' }).stdout)?.[1] ?? '?';
  const ports = { echo: await freePort(), sink: await freePort(), source: await freePort() };
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      // no maxconn: HAProxy derives it from the open-file limit it inherits
      'defaults',
      '  mode tcp',
      '  timeout connect 5s',
      '  timeout client 60s',
      '  timeout server 60s',
      `frontend echo`,
      `  bind ${HOST}:${ports.echo}`,
      '  default_backend echo',
      'backend echo',
      `  server s ${HOST}:${targets.echo}`,
      'frontend source',
      `  bind ${HOST}:${ports.source}`,
      '  default_backend source',
      'backend source',
      `  server s ${HOST}:${targets.source}`,
      `frontend sink`,
      `  bind ${HOST}:${ports.sink}`,
      '  default_backend sink',
      'backend sink',
      `  server s ${HOST}:${targets.sink}`,
      '',
    ].join('\n'),
  );
  const child = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
    if (await canConnect(ports.echo)) return { ports, version, pid: child.pid!, child };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`haproxy did not start listening: ${stderr}`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listenOn(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function listenOn(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: 0, backlog: 4096 }, () => resolve((server.address() as AddressInfo).port));
  });
}

function openFileLimit(): { soft: number; hard: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line?.match(/\d+|unlimited/g) ?? []).map((v) => (v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v)));
    return soft !== undefined && hard !== undefined ? { soft, hard } : undefined;
  } catch {
    return undefined;
  }
}

function percentile(values: number[], q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function fmtBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}
