import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { startPrivlink } from '../../src/main.js';
import { newStoreLocation } from '../support/test-store.js';

test('with PRIVLINK_AWS=real the local cloud does not run and no lc_* table is created', async () => {
  // A fresh store (on PGlite not the test template, which has the local cloud's tables made once).
  const { location, drop } = await newStoreLocation();
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
