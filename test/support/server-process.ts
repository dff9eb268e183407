import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootstrapFile } from '../../src/main.js';
import type { StoreLocation } from '../../src/store/database.js';
import { newStoreLocation } from './test-store.js';

/** The built CLI entry point. */
export const CLI = new URL('../../src/cli/main.js', import.meta.url).pathname;

/**
 * Node flags the test run gives its own processes (scripts/run-tests.mjs), passed on to the
 * server and CLI processes tests start: `--liftoff-only` keeps V8 from also compiling PGlite's
 * WebAssembly with its optimising compiler, which costs seconds of CPU per short-lived process.
 */
export const NODE_FLAGS = process.execArgv.filter((flag) => flag === '--liftoff-only');

export interface ServerOptions {
  /** Extra environment (e.g. `PRIVLINK_TEST_CRASH_AT`, `PRIVLINK_LOCALCLOUD_DELAYS`). */
  readonly env?: Record<string, string>;
  /** Reuse a store (restart after a crash); by default a fresh one is made. */
  readonly location?: StoreLocation;
  /** Reuse a data directory (bootstrap.json, CA); by default the PGlite dir or a fresh temp dir. */
  readonly dataDir?: string;
  /** Extra CLI flags after `serve`. */
  readonly args?: readonly string[];
  /** Run the server under this open-file limit (soft and hard, as `ulimit -n` sets them). */
  readonly openFileLimit?: number;
}

export type { BootstrapFile } from '../../src/main.js';

/** A privlink server running as a child process (`node dist/src/cli/main.js serve`) on free ports. */
export interface ServerProcess {
  readonly apiUrl: string;
  readonly localCloudUrl: string | null;
  /** Port of the private DNS server on 127.0.0.1. */
  readonly dnsPort: number;
  /** The local CA certificate (`tlsCAFile=`). */
  readonly caPath: string | null;
  /** `<data-dir>/bootstrap.json` as the start left it (throws when the start wrote none). */
  readonly bootstrap: BootstrapFile;
  readonly dataDir: string;
  readonly location: StoreLocation;
  readonly child: ChildProcess;
  /** Everything the process printed so far (stdout + stderr). */
  output(): string;
  /** Resolves when the process exits (with its exit code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait (crash). */
  kill(): Promise<void>;
  /** Stop and delete the store and data directory. */
  destroy(): Promise<void>;
}

/**
 * Starts a server on free ports (`--port 0 --localcloud-port 0 --dns-port 0`), on this run's
 * backend (a fresh PGlite copy or a fresh PostgreSQL database), and waits for it to be ready.
 */
export async function startServer(options: ServerOptions = {}): Promise<ServerProcess> {
  const fresh = options.location ? undefined : await newStoreLocation();
  const location = options.location ?? fresh!.location;
  const dataDir = options.dataDir ?? (location.kind === 'pglite' ? location.dataDir : scratch());
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PRIVLINK_LOG_LEVEL: process.env.PRIVLINK_TEST_LOG_LEVEL ?? 'warn',
    PRIVLINK_RECONCILER_RESYNC_MS: '5000',
    PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: String(20 + Math.floor(Math.random() * 200)),
    ...(options.env ?? {}),
  };
  delete env.DATABASE_URL;
  if (location.kind === 'postgres') env.DATABASE_URL = location.url;
  const command = [process.execPath, ...NODE_FLAGS, CLI, 'serve', '--port', '0', '--localcloud-port', '0', '--dns-port', '0', '--data-dir', dataDir, ...(options.args ?? [])];
  // Under a limit: the shell sets it and becomes the server (exec), so the child's pid is the server's.
  const [file, ...args] = options.openFileLimit === undefined ? command : ['/bin/sh', '-c', `ulimit -n ${options.openFileLimit} && exec "$0" "$@"`, ...command];
  const child = spawn(file!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /privlink ready: Admin API (\S+?)(?:, local cloud (\S+?))?, private DNS 127\.0\.0\.1:(\d+)(?:, CA (\S+))?\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  const bootstrapPath = join(dataDir, 'bootstrap.json');
  const bootstrap = existsSync(bootstrapPath) ? (JSON.parse(readFileSync(bootstrapPath, 'utf8')) as BootstrapFile) : undefined;
  const server: ServerProcess = {
    apiUrl: ready[1]!,
    localCloudUrl: ready[2] ?? null,
    dnsPort: Number(ready[3]),
    caPath: ready[4] ?? null,
    get bootstrap() {
      if (!bootstrap) throw new Error(`the server wrote no ${bootstrapPath}:\n${output}`);
      return bootstrap;
    },
    dataDir,
    location,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async destroy() {
      await server.stop();
      await fresh?.drop();
      if (dataDir !== (location.kind === 'pglite' ? location.dataDir : '')) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

function scratch(): string {
  const base = process.env.PRIVLINK_TEST_SCRATCH ?? join(tmpdir(), 'privlink-test-scratch');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'data-'));
}
