#!/usr/bin/env node
// Runs every benchmark in dist/bench (compiled by `npm run bench`), one after another, each in
// its own process. Each prints its figures beside its reference in the same run.
// Usage: node scripts/run-bench.mjs [name-filter ...]
// Benchmarks that take minutes at their defaults (scale: N=100 projects on the local cloud) run only
// when a filter names them, so `npm run bench` stays a few minutes long.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = new URL('../dist/bench/', import.meta.url).pathname;
const filters = process.argv.slice(2);
const OPT_IN = ['scale.bench.js'];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => (filters.length === 0 ? !OPT_IN.includes(f) : filters.some((x) => f.includes(x))))
  .sort();
let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench.replace(/\.js$/, '')}`);
  const result = spawnSync(process.execPath, [join(dir, bench)], { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
