import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { newStoreLocation } from '../support/test-store.js';
import { runCliProcess, tempHome } from './support/cli-runner.js';

/** `privlink admin provider-accounts add|list|drain` and `privlink admin capacity`, run on a store as an operator would. */
describe('privlink admin provider-accounts and capacity', { concurrency: false }, () => {
  let home: { home: string; cleanup(): void };
  let location: Awaited<ReturnType<typeof newStoreLocation>>;
  before(async () => {
    home = tempHome();
    location = await newStoreLocation();
  });
  after(async () => {
    await location?.drop();
    home?.cleanup();
  });
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const store: Record<string, string> = location.location.kind === 'postgres' ? { DATABASE_URL: location.location.url } : { PRIVLINK_DATA_DIR: location.location.dataDir };
    return runCliProcess(['admin', ...args], { home: home.home, env: { ...store, ...env } });
  };

  test('add, list, drain; secrets never shown; bad input is refused with the reason', async () => {
    const added = await cli(['provider-accounts', 'add', 'pool-a']);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'Provider account pool-a (LOCAL_CLOUD) added to the pool: it takes placements now.\n');
    const again = await cli(['provider-accounts', 'add', 'pool-a']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /A provider account named pool-a is already in the pool\./);
    const badName = await cli(['provider-accounts', 'add', 'no spaces']);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /Invalid attribute name specified\./);
    const badArn = await cli(['provider-accounts', 'add', 'pool-r', '--kind', 'ASSUME_ROLE', '--role-arn', 'arn:aws:s3:::bucket']);
    assert.equal(badArn.code, 1);
    assert.match(badArn.stderr, /Invalid attribute roleArn specified\./);
    const role = await cli(['provider-accounts', 'add', 'pool-r', '--kind', 'ASSUME_ROLE', '--role-arn', 'arn:aws:iam::123456789012:role/privlink-provider']);
    assert.equal(role.code, 0, role.stderr);
    const missingSecret = await cli([
      'provider-accounts',
      'add',
      'pool-k',
      '--kind',
      'ACCESS_KEY',
      '--access-key-id',
      'AKIAABCDEFGHIJKLMNOP',
      '--secret-access-key-env',
      'POOL_K_SECRET',
    ]);
    assert.equal(missingSecret.code, 1);
    assert.match(missingSecret.stderr, /The environment variable POOL_K_SECRET is not set\./);
    const keyed = await cli(['provider-accounts', 'add', 'pool-k', '--kind', 'ACCESS_KEY', '--access-key-id', 'AKIAABCDEFGHIJKLMNOP', '--secret-access-key-env', 'POOL_K_SECRET'], {
      POOL_K_SECRET: 'verysecretkeyvalue0123456789',
    });
    assert.equal(keyed.code, 0, keyed.stderr);

    const listed = await cli(['provider-accounts', 'list', '-o', 'json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.doesNotMatch(listed.stdout, /verysecretkeyvalue/);
    const accounts = (JSON.parse(listed.stdout) as { results: Array<{ name: string; kind: string; state: string; roleArn: string | null }> }).results;
    assert.deepEqual(
      accounts.map((a) => [a.name, a.kind, a.state]),
      [
        ['pool-a', 'LOCAL_CLOUD', 'ACTIVE'],
        ['pool-r', 'ASSUME_ROLE', 'ACTIVE'],
        ['pool-k', 'ACCESS_KEY', 'ACTIVE'],
      ],
    );
    const drained = await cli(['provider-accounts', 'drain', 'pool-a']);
    assert.equal(drained.code, 0, drained.stderr);
    assert.match(drained.stdout, /pool-a is draining/);
    const table = await cli(['provider-accounts', 'list']);
    assert.match(table.stdout, /^NAME\s+KIND\s+STATE/);
    assert.match(table.stdout, /pool-a\s+LOCAL_CLOUD\s+DRAINING/);
    const unknown = await cli(['provider-accounts', 'drain', 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No provider account named nope exists in the pool\./);
  });

  test('capacity lists every account; quotas show once read', async () => {
    const report = await cli(['capacity', '-o', 'json']);
    assert.equal(report.code, 0, report.stderr);
    const lines = (JSON.parse(report.stdout) as { results: Array<{ accountName: string; regionName: string; placements: number; state: string }> }).results;
    assert.deepEqual(
      lines.map((l) => [l.accountName, l.regionName, l.placements, l.state]),
      [
        ['pool-a', '-', 0, 'DRAINING'],
        ['pool-r', '-', 0, 'ACTIVE'],
        ['pool-k', '-', 0, 'ACTIVE'],
      ],
    );
    const table = await cli(['capacity']);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ACCOUNT\s+STATE\s+REGION\s+PLACEMENTS\s+QUOTA\s+USED\s+LIMIT\s+LEFT/);
  });

  test('Azure subscriptions: LOCAL_CLOUD or a service principal, with the reason for what is missing; GCP projects with a service account key file', async () => {
    const local = await cli(['provider-accounts', 'add', 'azure-a', '--provider', 'AZURE']);
    assert.equal(local.code, 0, local.stderr);
    const wrongKind = await cli(['provider-accounts', 'add', 'azure-k', '--provider', 'AZURE', '--kind', 'ACCESS_KEY']);
    assert.equal(wrongKind.code, 1);
    assert.match(wrongKind.stderr, /An invalid enumeration value ACCESS_KEY was specified for kind\./);
    const principal = ['provider-accounts', 'add', 'azure-p', '--provider', 'AZURE', '--kind', 'SERVICE_PRINCIPAL', '--subscription-id', '11111111-1111-1111-1111-111111111111'];
    const noTenant = await cli(principal);
    assert.equal(noTenant.code, 1);
    assert.match(noTenant.stderr, /The required attribute tenantId was not specified\./);
    const full = [...principal, '--tenant-id', '22222222-2222-2222-2222-222222222222', '--client-id', '33333333-3333-3333-3333-333333333333', '--client-secret-env', 'AZ_SECRET'];
    const noSecret = await cli(full);
    assert.equal(noSecret.code, 1);
    assert.match(noSecret.stderr, /The environment variable AZ_SECRET is not set\./);
    const added = await cli(full, { AZ_SECRET: 'azure-client-secret-value' });
    assert.equal(added.code, 0, added.stderr);
    const { writeFileSync } = await import('node:fs');
    const keyFile = `${home.home}/pool-key.json`;
    writeFileSync(
      keyFile,
      JSON.stringify({ type: 'service_account', project_id: 'pool-project-7', client_email: 'p@pool-project-7.iam.gserviceaccount.com', private_key: 'gcp-private-key-value' }),
    );
    const noKey = await cli(['provider-accounts', 'add', 'gcp-k', '--provider', 'GCP', '--kind', 'SERVICE_ACCOUNT_KEY']);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /The required attribute serviceAccountKey was not specified\./);
    const gcp = await cli(['provider-accounts', 'add', 'gcp-k', '--provider', 'GCP', '--kind', 'SERVICE_ACCOUNT_KEY', '--service-account-key-file', keyFile]);
    assert.equal(gcp.code, 0, gcp.stderr);
    assert.doesNotMatch(gcp.stdout + gcp.stderr, /gcp-private-key-value/);
    const listed = await cli(['provider-accounts', 'list', '-o', 'json']);
    assert.doesNotMatch(listed.stdout, /azure-client-secret-value|gcp-private-key-value/);
    const accounts = (
      JSON.parse(listed.stdout) as { results: Array<{ name: string; providerName: string; kind: string; subscriptionId: string | null; projectId: string | null }> }
    ).results;
    assert.deepEqual(
      accounts.filter((a) => a.providerName !== 'AWS').map((a) => [a.name, a.providerName, a.kind, a.subscriptionId, a.projectId]),
      [
        ['azure-a', 'AZURE', 'LOCAL_CLOUD', null, null],
        ['azure-p', 'AZURE', 'SERVICE_PRINCIPAL', '11111111-1111-1111-1111-111111111111', null],
        ['gcp-k', 'GCP', 'SERVICE_ACCOUNT_KEY', null, 'pool-project-7'],
      ],
    );
    const table = await cli(['provider-accounts', 'list']);
    assert.match(table.stdout, /azure-p\s+SERVICE_PRINCIPAL\s+ACTIVE\s+.*AZURE\s+11111111-1111-1111-1111-111111111111/);
    const capacity = await cli(['capacity']);
    assert.match(capacity.stdout, /azure-a\s+ACTIVE\s+-\s+0\s+.*AZURE/);
  });
});
