import { PGlite } from '@electric-sql/pglite';

/**
 * Runs as a process of its own (pglite-initdb.ts): starts PGlite once on a data directory it has
 * not initialised yet, which makes PGlite run `initdb`, and closes it. Input: one argument, the
 * JSON of `{ dataDir, startParams }`. Output: exit code 0 when done; otherwise a message on
 * stderr and exit code 1.
 */
const { dataDir, startParams } = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; startParams: string[] };
try {
  await (await PGlite.create(dataDir, { startParams })).close();
} catch (error) {
  process.stderr.write(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
