// What one statement costs on PostgreSQL, the way privlink's pool sends it: a primary-key read of a
// projects-shaped row, unnamed (parsed, analysed and planned by the server every time, as before
// store/prepared-statements.ts) and named (prepared once per connection), over TCP to DATABASE_URL
// and, when the server is on this host, over its Unix socket. Figures: wall time per statement, the
// server backend's CPU per statement (from /proc, same host only) and this process's CPU. Reference
// in the same run: unnamed over TCP. Target: named costs the server at most 60 % of unnamed.
// Run: DATABASE_URL=postgres://… npm run bench (or: node scripts/run-bench.mjs statement-cost).
// BENCH_STATEMENTS (default 10,000) per round, BENCH_ROUNDS (default 3) rounds, modes interleaved.
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { prepareStatements } from '../src/store/prepared-statements.js';
import { percentile, table, verdict } from './support/stats.js';

const STATEMENTS = Number(process.env.BENCH_STATEMENTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_SERVER_SHARE = 0.6;
const url = process.env.DATABASE_URL;

interface Mode {
  readonly name: string;
  readonly url: string;
  readonly named: boolean;
}

interface Round {
  readonly wallUs: number;
  readonly serverUs: number | null;
  readonly clientUs: number;
}

/** The server's Unix socket URL for a DATABASE_URL on this host, if its socket file is here. */
function socketUrl(tcp: string): string | null {
  const parsed = new URL(tcp);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) return null;
  const dir = '/var/run/postgresql';
  const port = parsed.port || '5432';
  if (!existsSync(`${dir}/.s.PGSQL.${port}`)) return null;
  const credentials = parsed.username ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  return `postgres://${credentials}${parsed.pathname}?host=${dir}&port=${port}`;
}

/** CPU time of a process in µs (utime + stime), or null when /proc does not show it. */
function processCpuUs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

async function measure(mode: Mode): Promise<Round> {
  const pool = new pg.Pool({ connectionString: mode.url, max: 1 });
  if (mode.named) prepareStatements(pool);
  const client = await pool.connect();
  try {
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await client.query(
      'create temporary table bench_projects (id text primary key, org_id text, name text, host_suffix text, regionalized boolean, nodes int, created_at timestamptz)',
    );
    await client.query(`insert into bench_projects select 'p' || i, 'org', 'project ' || i, 'h' || i, false, 1, now() from generate_series(1, 1000) as i`);
    const text = 'select * from "bench_projects" where "id" = $1';
    for (let i = 0; i < 200; i++) await client.query(text, [`p${(i % 1000) + 1}`]);
    const server0 = processCpuUs(pid);
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < STATEMENTS; i++) await client.query(text, [`p${(i % 1000) + 1}`]);
    const wallUs = ((performance.now() - t0) * 1000) / STATEMENTS;
    const clientCpu = process.cpuUsage(client0);
    const server1 = processCpuUs(pid);
    return {
      wallUs,
      serverUs: server0 === null || server1 === null ? null : (server1 - server0) / STATEMENTS,
      clientUs: (clientCpu.user + clientCpu.system) / STATEMENTS,
    };
  } finally {
    client.release();
    await pool.end();
  }
}

if (!url) {
  console.log('statement-cost measures PostgreSQL: set DATABASE_URL to run it (nothing measured on PGlite).');
} else {
  const socket = socketUrl(url);
  const modes: Mode[] = [
    { name: 'unnamed, TCP (reference)', url, named: false },
    { name: 'named, TCP', url, named: true },
    ...(socket ? [{ name: 'unnamed, Unix socket', url: socket, named: false } as Mode, { name: 'named, Unix socket', url: socket, named: true } as Mode] : []),
  ];
  console.log(`${STATEMENTS} statements per round, ${ROUNDS} rounds, modes interleaved; load average ${(await import('node:os')).loadavg()[0]!.toFixed(2)} at start`);
  if (!socket) console.log('no Unix socket of this server on this host: TCP only');
  const results = new Map<string, Round[]>(modes.map((m) => [m.name, []]));
  for (let r = 0; r < ROUNDS; r++) for (const mode of modes) results.get(mode.name)!.push(await measure(mode));
  const spread = (values: number[]) => `${percentile(values, 0.5).toFixed(0)} (${Math.min(...values).toFixed(0)}–${Math.max(...values).toFixed(0)})`;
  const rows = modes.map((mode) => {
    const rounds = results.get(mode.name)!;
    const server = rounds.map((x) => x.serverUs).filter((x): x is number => x !== null);
    return [mode.name, spread(rounds.map((x) => x.wallUs)), server.length ? spread(server) : 'n/a', spread(rounds.map((x) => x.clientUs))];
  });
  console.log(table(['per statement, µs: median (min–max)', 'wall', 'server CPU', 'client CPU'], rows));
  const median = (name: string) => {
    const server = results
      .get(name)!
      .map((x) => x.serverUs)
      .filter((x): x is number => x !== null);
    return server.length ? percentile(server, 0.5) : null;
  };
  const unnamed = median(modes[0]!.name);
  const named = median(modes[1]!.name);
  if (unnamed !== null && named !== null) {
    const share = named / unnamed;
    console.log(`goal: named statements cost the server ≤ ${TARGET_SERVER_SHARE * 100} % of unnamed — ${(share * 100).toFixed(0)} %: ${verdict(share <= TARGET_SERVER_SHARE)}`);
  } else {
    console.log('goal: named statements cost the server ≤ 60 % of unnamed — the server is not on this host (no /proc figure): not measured');
  }
}
