#!/usr/bin/env node
// Runs the whole test suite (compiled to dist/ by `npm test`) with Node's test runner.
//
// Backend: PGlite by default; PostgreSQL when DATABASE_URL is set (each test file then creates
// and drops its own database on that server). For PGlite one migrated template data directory is
// made once per run and copied for every test store (a fresh initdb costs seconds and ~800 MB).
//
// Usage: node scripts/run-tests.mjs [path-filter ...]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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

const scratch = mkdtempSync(join(tmpdir(), 'privlink-test-'));
const env = { ...process.env, PRIVLINK_TEST_SCRATCH: scratch, NODE_NO_WARNINGS: '1' };
const backend = process.env.DATABASE_URL ? 'postgres' : 'pglite';
console.log(`privlink tests: ${files.length} files on ${backend}${backend === 'postgres' ? ` (${redact(process.env.DATABASE_URL)})` : ''}`);

if (backend === 'pglite') {
  // One migrated template for the whole run.
  const { prepareTemplate } = await import(join(dist, 'test/support/test-store.js'));
  const started = Date.now();
  env.PRIVLINK_TEST_PGLITE_TEMPLATE = await prepareTemplate(join(scratch, 'template'));
  console.log(`PGlite template ready in ${Date.now() - started} ms`);
}

const concurrency = process.env.PRIVLINK_TEST_CONCURRENCY ?? '3';
const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, '--test-timeout=300000', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
child.on('exit', (code, signal) => {
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code ?? (signal ? 1 : 0));
});

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
