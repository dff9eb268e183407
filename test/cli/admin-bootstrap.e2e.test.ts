import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AtlasClient } from '../../src/client/atlas-client.js';
import type { BootstrapFile } from '../../src/store/bootstrap-file.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { newStoreLocation } from '../support/test-store.js';
import { runCliProcess, tempHome } from './support/cli-runner.js';

/**
 * `privlink admin reset-bootstrap-key` and `privlink reset`, run as a user would, against the data
 * directory (and, on PostgreSQL, the database) of a real server.
 */
describe('privlink admin reset-bootstrap-key and privlink reset', { concurrency: false }, () => {
  let home: { home: string; cleanup(): void };
  let location: Awaited<ReturnType<typeof newStoreLocation>>;
  let dataDir: string;
  let server: ServerProcess | undefined;
  before(async () => {
    home = tempHome();
    location = await newStoreLocation();
    const first = await startServer({ location: location.location });
    dataDir = first.dataDir;
    await first.stop();
  });
  after(async () => {
    await server?.stop();
    await location?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    home?.cleanup();
  });

  const postgres = () => location.location.kind === 'postgres';
  /** The store's environment: DATABASE_URL on PostgreSQL, nothing for PGlite. */
  const storeEnv = (): Record<string, string> => (location.location.kind === 'postgres' ? { DATABASE_URL: location.location.url } : {});
  const cli = (args: string[], options: { env?: Record<string, string>; tty?: boolean; input?: string } = {}) =>
    runCliProcess(args, { home: home.home, ...options, env: { ...(options.env ?? {}) } });
  const readFile = () => JSON.parse(readFileSync(join(dataDir, 'bootstrap.json'), 'utf8')) as BootstrapFile;
  const getProject = async (apiUrl: string, key: { publicKey: string; privateKey: string; projectId: string }) => {
    const client = new AtlasClient({ baseUrl: apiUrl, publicKey: key.publicKey, privateKey: key.privateKey });
    try {
      return (await client.get(`/api/atlas/v2/groups/${key.projectId}`)).status;
    } finally {
      client.close();
    }
  };

  test('without bootstrap.json, a start says how to get a key; reset-bootstrap-key gives one that works', async () => {
    const old = readFile();
    rmSync(join(dataDir, 'bootstrap.json'));
    server = await startServer({ location: location.location, dataDir });
    assert.match(server.output(), new RegExp(`privlink admin reset-bootstrap-key --data-dir ${dataDir}`));
    assert.ok(!existsSync(join(dataDir, 'bootstrap.json')));

    if (!postgres()) {
      // The embedded store is held by the server: refused, clearly, and nothing changes.
      const refused = await cli(['admin', 'reset-bootstrap-key', '--data-dir', dataDir]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, new RegExp(`Error: ${dataDir} is in use by a running privlink server \\(pid ${server.child.pid}\\); stop it`));
      assert.equal(await getProject(server.apiUrl, old), 200);
      await server.stop();
      server = undefined;
    }

    const reset = await cli(['admin', 'reset-bootstrap-key', '--data-dir', dataDir], { env: storeEnv() });
    assert.equal(reset.code, 0, reset.stderr);
    const file = readFile();
    assert.equal(statSync(join(dataDir, 'bootstrap.json')).mode & 0o777, 0o600);
    assert.equal(file.publicKey, old.publicKey);
    assert.notEqual(file.privateKey, old.privateKey);
    assert.match(reset.stdout, new RegExp(`public ${file.publicKey}  private ${file.privateKey}  \\(Organization Owner, Project Owner\\)`));

    server ??= await startServer({ location: location.location, dataDir });
    assert.doesNotMatch(server.output(), /privlink created/, 'the key was handed out by the command');
    assert.equal(await getProject(server.apiUrl, file), 200);
    assert.equal(await getProject(server.apiUrl, { ...file, privateKey: old.privateKey }), 401);
  });

  test('reset refuses while a server runs, asks on a terminal, needs --force elsewhere, then deletes the data directory', async () => {
    server ??= await startServer({ location: location.location, dataDir });
    if (!postgres()) {
      const refused = await cli(['reset', '--data-dir', dataDir, '--force']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`Error: ${dataDir} is in use by a running privlink server \\(pid ${server.child.pid}\\); stop it first`));
      assert.ok(existsSync(join(dataDir, 'bootstrap.json')));
    }
    const withDatabase = await cli(['reset', '--data-dir', dataDir, '--force'], { env: { DATABASE_URL: 'postgres://127.0.0.1/anything' } });
    assert.equal(withDatabase.code, 1);
    assert.match(withDatabase.stderr, /DATABASE_URL is set: privlink reset deletes only an embedded data directory/);
    await server.stop();
    server = undefined;

    const noTerminal = await cli(['reset', '--data-dir', dataDir]);
    assert.equal(noTerminal.code, 1);
    assert.match(noTerminal.stderr, /use --force/);
    const declined = await cli(['reset', '--data-dir', dataDir], { tty: true, input: 'n\n' });
    assert.equal(declined.code, 2, declined.stderr);
    assert.match(declined.stderr, new RegExp(`Are you sure you want to delete: ${dataDir}`));
    assert.ok(existsSync(join(dataDir, 'bootstrap.json')), 'still there');

    const elsewhere = join(home.home, 'project');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'README.md'), 'not privlink\n');
    const notOurs = await cli(['reset', '--data-dir', elsewhere, '--force']);
    assert.equal(notOurs.code, 1);
    assert.match(notOurs.stderr, /does not look like a privlink data directory/);
    assert.ok(existsSync(join(elsewhere, 'README.md')));

    const done = await cli(['reset', '--data-dir', dataDir, '--force']);
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, `Data directory '${dataDir}' deleted\n`);
    assert.ok(!existsSync(dataDir));
  });
});
