import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { buildConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startPrivlink } from '../../src/main.js';
import { openStore } from '../../src/store/database.js';
import { repositories } from '../../src/store/repositories.js';
import { newStoreLocation } from '../support/test-store.js';

let drop: (() => Promise<void>) | undefined;
after(async () => drop?.());

describe('graceful shutdown', () => {
  test('closing under load: every acknowledged request is stored; the rest fail cleanly, none hangs', async () => {
    const store = await newStoreLocation();
    drop = store.drop;
    const { location } = store;
    const config = buildConfig(
      { port: 0, localcloudPort: 0, dnsPort: 0, dataDir: location.kind === 'pglite' ? location.dataDir : undefined },
      {
        PRIVLINK_LOCALCLOUD_LOOPBACK_BASE: String(20 + Math.floor(Math.random() * 200)),
        ...(location.kind === 'postgres' ? { DATABASE_URL: location.url, PRIVLINK_DATA_DIR: `${process.env.PRIVLINK_TEST_SCRATCH ?? '/tmp'}/gs-${Date.now()}` } : {}),
      },
    );
    const running = await startPrivlink(config, createLogger('error'));
    const key = running.createdBootstrap!;
    const acknowledged: string[] = [];
    let refused = 0;
    let closing = false;
    // 16 clients create projects back to back until the server stops answering.
    const worker = async (n: number) => {
      const client = new AtlasClient({ baseUrl: running.apiUrl, publicKey: key.publicKey, privateKey: key.privateKey, timeoutMs: 15_000 });
      try {
        for (let i = 0; ; i++) {
          try {
            const created = await client.post('/api/atlas/v2/groups', { name: `load-${n}-${i}`, orgId: key.orgId });
            if (created.status === 201) acknowledged.push((created.json as { id: string }).id);
            else if (closing) {
              refused++;
              return;
            } else assert.fail(`${created.status} ${created.text}`);
          } catch (error) {
            if (!closing) throw error;
            refused++;
            return;
          }
        }
      } finally {
        client.close();
      }
    };
    const workers = Array.from({ length: 16 }, (_, n) => worker(n));
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
    closing = true;
    const started = Date.now();
    await running.close();
    const closeMs = Date.now() - started;
    await Promise.all(workers);
    assert.ok(closeMs < 15_000, `closed in ${closeMs} ms`);
    assert.ok(refused > 0, 'requests after the close began were refused or cut, not answered');

    const reopened = await openStore(location);
    try {
      const repos = repositories(reopened.db);
      const missing: string[] = [];
      for (const id of acknowledged) if (!(await repos.identity.findProject(id))) missing.push(id);
      assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged projects are not stored`);
    } finally {
      await reopened.close();
    }
  });
});
