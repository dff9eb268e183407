import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { openStore } from '../../src/store/database.js';
import { initialisePGliteDataDir } from '../../src/store/pglite-initdb.js';

const run = promisify(execFile);
const scratch = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'first-start-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe("PGlite's first start on a new data directory", () => {
  test("the process does not keep initdb's memory: a fresh store opens at about the size of a reopened one", async () => {
    const dir = join(scratch, 'fresh');
    // In a process of its own, so that nothing else this file does is counted.
    const script = `import('${new URL('../../src/store/database.js', import.meta.url).href}').then(async (m) => {
      const store = await m.openStore({ kind: 'pglite', dataDir: ${JSON.stringify(dir)} });
      const { rss } = process.memoryUsage();
      await store.close();
      console.log(JSON.stringify({ rss }));
    })`;
    const fresh = JSON.parse((await run(process.execPath, ['-e', script])).stdout) as { rss: number };
    assert.ok(existsSync(join(dir, 'PG_VERSION')), 'the directory is initialised');
    const reopened = JSON.parse((await run(process.execPath, ['-e', script])).stdout) as { rss: number };
    const mib = (bytes: number) => Math.round(bytes / 1048576);
    // PGlite's WebAssembly memory (in the store's thread, so counted by the process's resident
    // size, not by the main thread's heap figures) is about 140 MiB once open, about 600 MiB more
    // when initdb ran in the process.
    assert.ok(fresh.rss < reopened.rss + 100 * 1048576, `fresh ${mib(fresh.rss)} MiB against reopened ${mib(reopened.rss)} MiB`);
    assert.ok(fresh.rss < 500 * 1048576, `fresh ${mib(fresh.rss)} MiB`);
  });

  test('an initialised directory is left as it is; one PGlite cannot initialise is a clear error', async () => {
    const dir = join(scratch, 'twice');
    assert.equal(await initialisePGliteDataDir(dir, PGlite.defaultStartParams), true);
    assert.equal(await initialisePGliteDataDir(dir, PGlite.defaultStartParams), false);
    const blocked = join(scratch, 'a-file');
    writeFileSync(blocked, 'not a directory');
    await assert.rejects(openStore({ kind: 'pglite', dataDir: join(blocked, 'data') }), /./);
    await assert.rejects(initialisePGliteDataDir(join(blocked, 'data'), PGlite.defaultStartParams), /PGlite could not initialise .*a-file\/data/);
  });
});
