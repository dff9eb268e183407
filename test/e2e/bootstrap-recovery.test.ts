import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import type { StoreLocation } from '../../src/store/database.js';
import { startServer, type BootstrapFile, type ServerOptions } from '../support/server-process.js';
import { newStoreLocation } from '../support/test-store.js';

/** A listening socket on a free port of 127.0.0.1, so a server that wants that port fails. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

/** A fresh store and data directory (not yet used by any server). */
async function freshStore(): Promise<{ location: StoreLocation; dataDir: string; drop: () => Promise<void> }> {
  const { location, drop } = await newStoreLocation();
  let dataDir: string;
  if (location.kind === 'pglite') dataDir = location.dataDir;
  else {
    const base = process.env.PRIVLINK_TEST_SCRATCH ?? join(tmpdir(), 'privlink-test-scratch');
    mkdirSync(base, { recursive: true });
    dataDir = mkdtempSync(join(base, 'boot-'));
  }
  return { location, dataDir, drop: async () => (await drop(), rmSync(dataDir, { recursive: true, force: true })) };
}

/** A start that fails after the store was created: the local cloud's port is taken. */
async function failedStart(options: ServerOptions): Promise<void> {
  const busy = await occupyPort();
  try {
    await assert.rejects(startServer({ ...options, args: ['--localcloud-port', String(busy.port)] }), (error: Error) => {
      assert.match(error.message, /server exited \(1\) before it was ready/);
      assert.match(error.message, new RegExp(`EADDRINUSE.*127\\.0\\.0\\.1:${busy.port}: another process uses that port`));
      return true;
    });
  } finally {
    busy.server.close();
  }
}

/** The status of a Digest-authenticated GET of the bootstrap project. */
async function getProject(apiUrl: string, projectId: string, key: { publicKey: string; privateKey: string }): Promise<number> {
  const client = new AtlasClient({ baseUrl: apiUrl, ...key });
  try {
    return (await client.get(`/api/atlas/v2/groups/${projectId}`)).status;
  } finally {
    client.close();
  }
}

/** A first start that fails after the store was created never loses the way in. */
describe('bootstrap after a failed first start', { concurrency: false }, () => {
  test('the next start prints the credentials and writes bootstrap.json with a key that works', async () => {
    const { location, dataDir, drop } = await freshStore();
    try {
      await failedStart({ location, dataDir });
      assert.ok(!existsSync(join(dataDir, 'bootstrap.json')), 'the failed start wrote no bootstrap.json');

      const server = await startServer({ location, dataDir });
      try {
        const b = server.bootstrap;
        const printed = /privlink created on this first start[^\n]*\n(?:.*\n)*?\s+API key\s+public (\S+)\s+private (\S+)/.exec(server.output());
        assert.ok(printed, server.output());
        assert.deepEqual([printed[1], printed[2]], [b.publicKey, b.privateKey]);
        assert.equal(statSync(join(dataDir, 'bootstrap.json')).mode & 0o777, 0o600);
        assert.equal(await getProject(server.apiUrl, b.projectId, b), 200);
        assert.equal(await getProject(server.apiUrl, b.projectId, { publicKey: b.publicKey, privateKey: randomUUID() }), 401);
      } finally {
        await server.stop();
      }

      // Handed out once: the next start prints nothing and keeps the file's key.
      const again = await startServer({ location, dataDir });
      try {
        assert.doesNotMatch(again.output(), /privlink created/);
        const first = JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8')) as BootstrapFile;
        assert.equal(await getProject(again.apiUrl, first.projectId, first), 200);
      } finally {
        await again.stop();
      }
    } finally {
      await drop();
    }
  });

  test('pinned keys work after a failed start, and after being changed between starts', async () => {
    const { location, dataDir, drop } = await freshStore();
    const pin = (publicKey: string, privateKey: string) => ({ PRIVLINK_BOOTSTRAP_PUBLIC_KEY: publicKey, PRIVLINK_BOOTSTRAP_PRIVATE_KEY: privateKey });
    const first = { publicKey: 'pinfirst', privateKey: randomUUID() };
    try {
      await failedStart({ location, dataDir, env: pin(first.publicKey, first.privateKey) });

      const steps = [
        { key: first, stale: null },
        { key: { publicKey: first.publicKey, privateKey: randomUUID() }, stale: first },
        { key: { publicKey: 'pinsecnd', privateKey: randomUUID() }, stale: null },
      ];
      for (const { key, stale } of steps) {
        const server = await startServer({ location, dataDir, env: pin(key.publicKey, key.privateKey) });
        try {
          assert.equal(server.bootstrap.publicKey, key.publicKey);
          assert.equal(server.bootstrap.privateKey, key.privateKey);
          assert.equal(await getProject(server.apiUrl, server.bootstrap.projectId, key), 200, `pinned ${key.publicKey}`);
          if (stale) assert.equal(await getProject(server.apiUrl, server.bootstrap.projectId, stale), 401, 'the previous private key no longer works');
        } finally {
          await server.stop();
        }
      }
    } finally {
      await drop();
    }
  });
});
