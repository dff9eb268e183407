#!/usr/bin/env node
// Runs the whole test suite (compiled to dist/ by `npm test`) with Node's test runner.
//
// Backend: PGlite by default; PostgreSQL when DATABASE_URL is set (each test file then creates
// and drops its own databases on that server). One migrated template is made once per run and
// copied for every test store: a data directory for PGlite (a fresh initdb costs seconds and
// ~800 MB), a template database for PostgreSQL (`create database … template …`, dropped at the end).
//
// Usage: node scripts/run-tests.mjs [path-filter ...]
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = join(root, 'dist');
const filters = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (entry.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const files = ['src', 'test']
  .flatMap((dir) => findTests(join(dist, dir)))
  .filter((file) => filters.length === 0 || filters.some((f) => relative(root, file).includes(f)))
  .sort();
if (files.length === 0) {
  console.error('No test files found (did tsc run?)');
  process.exit(1);
}

const scratch = mkdtempSync(join(scratchBase(), 'privlink-test-'));
const env = { ...process.env, PRIVLINK_TEST_SCRATCH: scratch, NODE_NO_WARNINGS: '1' };
const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';
console.log(`privlink tests: ${files.length} files on ${backend}${backend === 'postgres' ? ` (${redact(process.env.DATABASE_URL)})` : ''}`);

// One migrated template for the whole run: a data directory (PGlite) or a database (PostgreSQL).
let dropTemplate = async () => undefined;
const { prepareTemplate, preparePostgresTemplate, dropLeftoverDatabases } = await import(join(dist, 'test/support/test-store.js'));
{
  const started = Date.now();
  if (backend === 'pglite') env.PRIVLINK_TEST_PGLITE_TEMPLATE = await prepareTemplate(join(scratch, 'template'));
  else {
    env.PRIVLINK_TEST_PG_TEMPLATE = `privlink_template_${process.pid}_${Date.now().toString(36)}`;
    // Every test database of this run starts so (test/support/test-store.ts), then names its test file.
    env.PRIVLINK_TEST_PG_PREFIX = `privlink_t_${process.pid}_`;
    dropTemplate = await preparePostgresTemplate(env.PRIVLINK_TEST_PG_TEMPLATE);
    // Interrupted (Ctrl-C, CI's timeout): still drop it.
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void dropTemplate().finally(() => process.exit(130)));
  }
  console.log(`${backend === 'pglite' ? 'PGlite' : 'PostgreSQL'} template ready in ${Date.now() - started} ms`);
}

// Files named `*.serial.test.js` measure latency under attack (the data plane's isolation): they
// run after the others, one at a time, so other test files' load is not counted against them.
const serial = files.filter((file) => file.endsWith('.serial.test.js'));
// The long files (whole walkthroughs, SIGKILL-and-restart scenarios, many-object runs) start first,
// so the batch does not end with one of them running alone.
const LONG = /^dist\/test\/(.*(readme-|walkthrough|crash|gcp-localcloud|capacity-scale)|console\/)/;
const concurrent = files.filter((file) => !serial.includes(file)).sort((a, b) => Number(LONG.test(relative(root, b))) - Number(LONG.test(relative(root, a))));
const concurrency = process.env.PRIVLINK_TEST_CONCURRENCY ?? '3';
// V8 compiles WebAssembly with its baseline compiler only: PGlite's module is large, and a test
// process or a server a test starts lives seconds, too short for the optimising compiler's
// seconds of CPU to pay back (queries run about 7 % slower, starts use half the CPU). Test
// processes pass it on to the server and CLI processes they start (test/support/server-process.ts).
const NODE_FLAGS = ['--liftoff-only'];
const totals = { pass: 0, fail: 0, cancelled: 0, skipped: 0 };
const fileTimes = {};
let failed = false;
for (const [batch, level] of [
  [concurrent, concurrency],
  [serial, '1'],
]) {
  if (batch.length === 0) continue;
  const code = await runBatch(batch, level);
  if (code !== 0) failed = true;
}
rmSync(scratch, { recursive: true, force: true });
await dropTemplate();
if (backend === 'postgres') {
  // A test database still there was not dropped by the test that made it: name it, then drop it.
  const leftovers = await dropLeftoverDatabases(env.PRIVLINK_TEST_PG_PREFIX);
  if (leftovers.length > 0) console.log(`\n${leftovers.length} test database(s) left behind by their tests, now dropped: ${leftovers.join(', ')}`);
}
// The slowest files, so a slower suite shows where its time went.
const slowest = Object.entries(fileTimes)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 12);
if (slowest.length > 0) {
  console.log('\nslowest test files:');
  for (const [file, ms] of slowest) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${relative(root, file)}`);
}
// One closing line for the whole run (both batches).
// A cancelled test (its promise never settled, or its file died) did not pass: it counts as failed.
console.log(`\ntests: ${totals.pass} passed, ${totals.fail + totals.cancelled} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.fail + totals.cancelled > 0 ? 1 : 0);

/** Runs one batch with Node's test runner, echoing its output and adding up its summary. */
function runBatch(batch, level) {
  const timings = join(scratch, `timings-${level}-${batch.length}.json`);
  return new Promise((resolve) => {
    const reporters = [
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts/test-timings-reporter.mjs')}`,
      `--test-reporter-destination=${timings}`,
    ];
    const child = spawn(process.execPath, [...NODE_FLAGS, '--test', `--test-concurrency=${level}`, '--test-timeout=600000', ...reporters, ...batch], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env,
    });
    let line = '';
    const seen = {};
    const read = (text) => {
      const match = /^ℹ (pass|fail|cancelled|skipped) (\d+)$/.exec(text.trim());
      if (match) seen[match[1]] = Number(match[2]); // the runner's summary of this batch
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (line + chunk.toString()).split('\n');
      line = lines.pop() ?? '';
      lines.forEach(read);
    });
    child.on('exit', (code, signal) => {
      read(line);
      for (const key of Object.keys(totals)) totals[key] += seen[key] ?? 0;
      try {
        Object.assign(fileTimes, JSON.parse(readFileSync(timings, 'utf8')));
      } catch {
        // no timings (the runner died before its reporters finished): the summary still stands
      }
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * Where the run keeps its stores and data directories: in memory (`/dev/shm`) when the host has
 * one with room, else the system's temporary folder. Every test store is a copy of a 42 MB PGlite
 * data directory; on a disk, writing them and PostgreSQL's fsyncs inside PGlite kept the CPUs
 * waiting for I/O a fifth of the time. `PRIVLINK_TEST_SCRATCH_BASE` chooses the folder.
 */
function scratchBase() {
  if (process.env.PRIVLINK_TEST_SCRATCH_BASE) return process.env.PRIVLINK_TEST_SCRATCH_BASE;
  try {
    accessSync('/dev/shm', constants.W_OK);
    const { bavail, bsize } = statfsSync('/dev/shm');
    if (bavail * bsize >= 4 * 1024 ** 3) return '/dev/shm';
  } catch {
    // no /dev/shm here
  }
  return tmpdir();
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
