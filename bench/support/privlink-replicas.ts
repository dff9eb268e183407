// privlink replicas for a benchmark, each a child process (`node dist/src/cli/main.js serve`, as a
// user runs it), so each one's memory is its own: one process on a fresh embedded PGlite data
// directory, or, when DATABASE_URL is set, one or more on a fresh database on that server (made
// here, dropped by `close()`). As in a multi-replica deployment (docs/operations.md), the first
// replica runs the local cloud and every other one drives it (`--no-localcloud`,
// PRIVLINK_AWS_ENDPOINT). Every replica's AWS calls go through a counting pass-through
// (bench/support/aws-call-counter.ts), so the AWS API calls privlink makes are counted on the wire.
// BENCH_REPLICA_LOG=<path>: each replica's stdout (its JSON log) is appended to <path>.<pid>;
// BENCH_REPLICA_LOG_LEVEL: the replicas' log level (default warn; info logs every status change).
// Benchmarks only; tests have test/support/server-process.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootstrapFile } from '../../src/main.js';
import { startAwsCallCounter, type AwsCallCounter, type CallTime } from './aws-call-counter.js';
import { createBenchDatabase, type BenchDatabase } from './privlink-instance.js';

const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

/** One running replica. */
export interface BenchReplica {
  readonly apiUrl: string;
  readonly pid: number;
  /** Resident set size now and its peak so far (VmRSS, VmHWM of /proc/<pid>/status), bytes; NaN when unreadable. */
  memory(): { rss: number; peak: number };
  /** SIGKILLs the replica (a crash, no shutdown) and waits for it to be gone; its exit is expected. */
  kill(): Promise<void>;
  /** Whether `kill()` was called. */
  readonly killed: boolean;
}

export interface BenchReplicas {
  readonly replicas: readonly BenchReplica[];
  readonly bootstrap: BootstrapFile & { localCloud: NonNullable<BootstrapFile['localCloud']> };
  /** The local cloud's AWS URL (it runs in the first replica). */
  readonly localCloudUrl: string;
  /** The AWS API calls of every replica so far, by action. */
  awsCalls(): Map<string, number>;
  /** How long those calls kept the local cloud busy so far (see AwsCallCounter.busy). */
  awsCallTime(): CallTime;
  /** e.g. `PGlite (embedded, data dir /tmp/…)` or `PostgreSQL 16.4 (fresh database privlink_b_… on …)`. */
  readonly backend: string;
  /** Bytes the store takes: pg_database_size on PostgreSQL, the data directory's size for PGlite. */
  storeSize(): Promise<number>;
  /** Runs one statement on the replicas' PostgreSQL database (throws on PGlite, which one process holds). */
  query<T extends Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** Stops every replica (SIGTERM, then waits), drops the database and deletes the data directory. Idempotent. */
  close(): Promise<void>;
}

export interface ReplicaOptions {
  /** How many replicas (more than one needs DATABASE_URL: a PGlite data directory takes one process). */
  readonly count: number;
  /** Extra environment for every replica (`PRIVLINK_*`). */
  readonly env?: Record<string, string>;
  /** Node options for every replica, after BENCH_REPLICA_NODE_ARGS's. */
  readonly nodeArgs?: readonly string[];
}

/**
 * Starts `count` replicas on a fresh store, on free ports, logs at `warn`, local cloud delays
 * `instant`, loopback base 150 unless `env` says otherwise; resolves when all are ready.
 */
export async function startBenchReplicas(options: ReplicaOptions): Promise<BenchReplicas> {
  const base = process.env.DATABASE_URL;
  if (options.count > 1 && !base) throw new Error('more than one replica needs DATABASE_URL (PGlite takes one process)');
  const dataDir = mkdtempSync(join(tmpdir(), 'privlink-bench-'));
  const children: ChildProcess[] = [];
  let database: BenchDatabase | undefined;
  let counter: AwsCallCounter | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await Promise.all(children.map(stop));
    await counter?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      PRIVLINK_LOG_LEVEL: process.env.BENCH_REPLICA_LOG_LEVEL ?? 'warn',
      PRIVLINK_LOCALCLOUD_DELAYS: 'instant',
      PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: '150',
      ...options.env,
    };
    delete env.DATABASE_URL;
    if (base) {
      database = await createBenchDatabase(base);
      env.DATABASE_URL = database.url;
    }
    // The local cloud's port is chosen here so that the first replica, too, can be told to reach it
    // through the counter (PRIVLINK_AWS_ENDPOINT wins over its own local cloud's address).
    // Another process may take that port between the check and the replica's bind: then another port.
    let first: Awaited<ReturnType<typeof startReplica>> | undefined;
    for (let attempt = 1; !first; attempt++) {
      const localCloudPort = await freePort();
      counter = await startAwsCallCounter(`http://127.0.0.1:${localCloudPort}`);
      try {
        first = await startReplica(dataDir, { ...env, PRIVLINK_AWS_ENDPOINT: counter.url }, ['--localcloud-port', String(localCloudPort)], options.nodeArgs);
      } catch (error) {
        await counter.close();
        counter = undefined;
        if (attempt < 3 && /EADDRINUSE/.test((error as Error).message)) continue;
        throw error;
      }
    }
    children.push(first.child);
    const awsEndpoint = counter!.url;
    if (!first.localCloudUrl) throw new Error('the first replica started without the local cloud');
    const replicas: BenchReplica[] = [first.replica];
    for (let i = 1; i < options.count; i++) {
      const other = await startReplica(dataDir, { ...env, PRIVLINK_AWS_ENDPOINT: awsEndpoint }, ['--localcloud-port', '0', '--no-localcloud'], options.nodeArgs);
      children.push(other.child);
      replicas.push(other.replica);
    }
    const bootstrap = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8')) as BootstrapFile;
    if (!bootstrap.localCloud) throw new Error('bootstrap.json has no local cloud credentials');
    return {
      replicas,
      bootstrap: bootstrap as BenchReplicas['bootstrap'],
      localCloudUrl: first.localCloudUrl,
      awsCalls: () => counter!.counts(),
      awsCallTime: () => counter!.busy(),
      backend: database ? database.backend : `PGlite (embedded, data dir ${dataDir})`,
      storeSize: async () => (database ? database.size() : directorySize(dataDir)),
      query: async (text, values) => {
        if (!database) throw new Error('the store is PGlite: only its replica can read it');
        return database.query(text, values);
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

async function startReplica(
  dataDir: string,
  env: Record<string, string>,
  args: readonly string[],
  extraNodeArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; replica: BenchReplica; localCloudUrl: string | undefined }> {
  // BENCH_REPLICA_NODE_ARGS: Node options for every replica, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`.
  const nodeArgs = [...(process.env.BENCH_REPLICA_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []), ...extraNodeArgs];
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--port', '0', '--dns-port', '0', '--data-dir', dataDir, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    // Keep the head (start-up) and the tail (the latest warnings), not everything a long run logs.
    output = output.length > 64_000 ? output.slice(0, 16_000) + output.slice(-32_000) + chunk.toString() : output + chunk.toString();
  };
  child.stdout!.on('data', append);
  if (process.env.BENCH_REPLICA_LOG) child.stdout!.on('data', (chunk: Buffer) => appendFileSync(`${process.env.BENCH_REPLICA_LOG}.${child.pid}`, chunk));
  child.stderr!.on('data', (chunk: Buffer) => {
    append(chunk);
    process.stderr.write(chunk);
  });
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a replica did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /privlink ready: Admin API (\S+?)(?:, local cloud (\S+?))?, private DNS /.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`a replica exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  child.on('exit', (code, signal) => {
    // A replica that goes away before the benchmark stops it voids the run: say why.
    if (!stopping.has(child)) process.stderr.write(`replica ${child.pid} exited (${code ?? signal}); its last output:\n${output.slice(-4000)}\n`);
  });
  const pid = child.pid!;
  let killed = false;
  const kill = async (): Promise<void> => {
    killed = true;
    stopping.add(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };
  return {
    child,
    localCloudUrl: ready[2],
    replica: {
      apiUrl: ready[1]!,
      pid,
      memory: () => memoryOf(pid),
      kill,
      get killed() {
        return killed;
      },
    },
  };
}

/** Children the benchmark itself is stopping (their exit is expected). */
const stopping = new WeakSet<ChildProcess>();

async function stop(child: ChildProcess): Promise<void> {
  stopping.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
    return { rss: kib('VmRSS'), peak: kib('VmHWM') };
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += directorySize(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
