import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startPrivlink } from '../../src/main.js';
import { AtlasClient } from '../../src/client/atlas-client.js';
import { newStoreLocation } from '../support/test-store.js';

test('with PRIVLINK_AWS=real the local cloud does not run and no lc_* table is created', async () => {
  // An empty store (not the test template, which has the local cloud's tables made once).
  const { location, drop } = await newStoreLocation({ empty: true });
  const dataDir = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'real-aws-'));
  const config = buildConfig(
    { port: 0, localcloudPort: 0, dnsPort: 0, dataDir: join(dataDir, 'data') },
    {
      PRIVLINK_AWS: 'real',
      // No reconcile work exists, so nothing is sent to AWS; the reconciler is off all the same.
      PRIVLINK_RECONCILER: 'off',
      ...(location.kind === 'postgres' ? { DATABASE_URL: location.url } : {}),
    },
  );
  assert.equal(config.localCloud.enabled, false);
  assert.equal(config.azure.mode, 'off', 'a real-AWS deployment serves Azure only when asked (PRIVLINK_AZURE)');
  const running = await startPrivlink(config, createLogger('warn'));
  try {
    assert.equal(running.localCloudUrl, null);
    const tables = (await running.store.db.introspection.getTables()).map((t) => t.name);
    assert.deepEqual(
      tables.filter((name) => name.startsWith('lc_')),
      [],
    );
    assert.ok(tables.includes('endpoint_services'));
  } finally {
    await running.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('with PRIVLINK_AWS=real and PRIVLINK_AZURE=real no emulator runs, no lc_* table is made, and Azure is served', async () => {
  const { location, drop } = await newStoreLocation({ empty: true });
  const dataDir = mkdtempSync(join(process.env.PRIVLINK_TEST_SCRATCH ?? tmpdir(), 'real-azure-'));
  assert.throws(() => buildConfig({ dataDir }, { PRIVLINK_AZURE: 'real' }), /PRIVLINK_AZURE_SUBSCRIPTION_ID/);
  const config = buildConfig(
    { port: 0, localcloudPort: 0, dnsPort: 0, dataDir: join(dataDir, 'data') },
    {
      PRIVLINK_AWS: 'real',
      PRIVLINK_AZURE: 'real',
      PRIVLINK_AZURE_SUBSCRIPTION_ID: '4e133d35-e734-4380-a565-c0945535da37',
      PRIVLINK_RECONCILER: 'off',
      ...(location.kind === 'postgres' ? { DATABASE_URL: location.url } : {}),
    },
  );
  const running = await startPrivlink(config, createLogger('warn'));
  try {
    assert.equal(running.azureCloud, null);
    const tables = (await running.store.db.introspection.getTables()).map((t) => t.name);
    assert.deepEqual(
      tables.filter((name) => name.startsWith('lc_')),
      [],
    );
    const bootstrap = running.createdBootstrap!;
    const client = new AtlasClient({ baseUrl: running.apiUrl, publicKey: bootstrap.publicKey, privateKey: bootstrap.privateKey });
    try {
      const created = await client.post(`/api/atlas/v2/groups/${bootstrap.projectId}/privateEndpoint/endpointService`, { providerName: 'AZURE', region: 'eastus2' });
      assert.equal(created.status, 201, created.text);
    } finally {
      client.close();
    }
  } finally {
    await running.close();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
