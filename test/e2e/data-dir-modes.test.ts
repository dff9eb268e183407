import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { startServer } from '../support/server-process.js';
import { newStoreLocation, testBackend } from '../support/test-store.js';

/** Every entry under `dir` (itself included) with its permission bits. */
function modes(dir: string): Array<{ path: string; kind: 'dir' | 'file'; mode: number }> {
  const out: Array<{ path: string; kind: 'dir' | 'file'; mode: number }> = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    out.push({ path: relative(dir, path) || '.', kind: stat.isDirectory() ? 'dir' : 'file', mode: stat.mode & 0o7777 });
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return out;
}

function assertPrivate(dir: string): ReturnType<typeof modes> {
  const entries = modes(dir);
  const loose = entries.filter((e) => e.mode !== (e.kind === 'dir' ? 0o700 : 0o600));
  assert.deepEqual(
    loose.map((e) => `${e.path} ${e.kind} ${e.mode.toString(8)}`),
    [],
    'directories 0700, files 0600',
  );
  return entries;
}

function scratch(name: string): string {
  const base = process.env.PRIVLINK_TEST_SCRATCH ?? join(tmpdir(), 'privlink-test-scratch');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${name}-`));
}

/**
 * The data directory holds API key hashes, the local cloud's secret keys, the CA key and
 * bootstrap.json: it is private to the user running privlink, from the first start on.
 */
describe('data directory modes', { concurrency: false }, () => {
  test('a fresh data directory: after a start with some work, every directory is 0700 and every file 0600', async () => {
    const parent = scratch('modes');
    const dataDir = join(parent, 'data'); // does not exist yet: privlink creates it
    const fresh = testBackend() === 'postgres' ? await newStoreLocation() : undefined;
    const server = await startServer({ location: fresh?.location ?? { kind: 'pglite', dataDir }, dataDir });
    try {
      const client = new AtlasClient({ baseUrl: server.apiUrl, publicKey: server.bootstrap.publicKey, privateKey: server.bootstrap.privateKey });
      const created = await client.post(`/api/atlas/v2/groups/${server.bootstrap.projectId}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
      assert.equal(created.status, 201, created.text);
      client.close();
    } finally {
      await server.stop();
    }
    try {
      const entries = assertPrivate(dataDir);
      const names = entries.map((e) => e.path);
      for (const name of ['bootstrap.json', 'ca.pem', 'ca-key.pem']) assert.ok(names.includes(name), `${name} in ${names.slice(0, 20).join(', ')}`);
      if (testBackend() === 'pglite') {
        assert.ok(names.includes('PG_VERSION') && names.some((n) => n.startsWith('pg_wal/')), 'the PGlite files are checked too');
        assert.ok(entries.length > 500, `${entries.length} entries`);
      }
    } finally {
      await fresh?.drop();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  test('an existing data directory with 0755/0666 modes is made private at start, with one log line', async () => {
    const { location, drop } = await newStoreLocation();
    const dataDir = location.kind === 'pglite' ? location.dataDir : scratch('loose');
    writeFileSync(join(dataDir, 'notes.txt'), 'left here by hand\n');
    mkdirSync(join(dataDir, 'extra', 'nested'), { recursive: true });
    writeFileSync(join(dataDir, 'extra', 'nested', 'file'), 'x');
    for (const entry of modes(dataDir)) chmodSync(join(dataDir, entry.path), entry.kind === 'dir' ? 0o755 : 0o666);
    const loosened = modes(dataDir).length;
    const server = await startServer({ location, dataDir, env: { PRIVLINK_LOG_LEVEL: 'info' } });
    try {
      await server.stop();
      const line = server
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; entriesFixed?: number; dataDir?: string })
        .filter((l) => l.entriesFixed !== undefined);
      assert.equal(line.length, 1, server.output());
      assert.equal(line[0]!.entriesFixed, loosened);
      assert.equal(line[0]!.dataDir, dataDir);
      assertPrivate(dataDir);
    } finally {
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
