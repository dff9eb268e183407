import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { newStoreLocation } from '../support/test-store.js';
import { runCliProcess, tempHome } from './support/cli-runner.js';

/**
 * `privlink users create` and `privlink users list`, run as an operator would on the machine that
 * holds the store (the data directory, or DATABASE_URL on PostgreSQL); then the new user signs in
 * to the console of a real server with the password given on stdin.
 */
describe('privlink users', { concurrency: false }, () => {
  let home: { home: string; cleanup(): void };
  let location: Awaited<ReturnType<typeof newStoreLocation>>;
  let dataDir: string;
  let projectId: string;
  let server: ServerProcess | undefined;
  const PASSWORD = 'a long enough passphrase';

  before(async () => {
    home = tempHome();
    location = await newStoreLocation();
    const first = await startServer({ location: location.location });
    dataDir = first.dataDir;
    projectId = first.bootstrap.projectId;
    await first.stop();
  });
  after(async () => {
    await server?.stop();
    await location?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    home?.cleanup();
  });

  const storeEnv = (): Record<string, string> => (location.location.kind === 'postgres' ? { DATABASE_URL: location.location.url } : {});
  const cli = (args: string[], options: { input?: string; tty?: boolean } = {}) =>
    runCliProcess([...args, '--data-dir', dataDir], { home: home.home, ...options, env: storeEnv(), timeoutMs: 120_000 });

  test('create reads the password from stdin, refuses short passwords and duplicate emails; list shows the user', async () => {
    const created = await cli(['users', 'create', '--email', 'Ops@Example.com', '--org-role', 'ORG_MEMBER', '--project-role', `GROUP_READ_ONLY@${projectId}`, '--password-stdin'], {
      input: `${PASSWORD}\n`,
    });
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'Console user ops@example.com created: sign in to the web console with this email and the password.\n');

    const short = await cli(['users', 'create', '--email', 'short@example.com', '--org-role', 'ORG_MEMBER', '--password-stdin'], { input: 'too short\n' });
    assert.equal(short.code, 1);
    assert.match(short.stderr, /The password is not valid: a password has at least 12 characters\./);
    const again = await cli(['users', 'create', '--email', 'OPS@example.com', '--org-role', 'ORG_OWNER', '--password-stdin'], { input: `${PASSWORD}\n` });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /A console user with email ops@example\.com already exists\./);
    const noPassword = await cli(['users', 'create', '--email', 'x@example.com', '--org-role', 'ORG_MEMBER']);
    assert.equal(noPassword.code, 1);
    assert.match(noPassword.stderr, /--password-stdin/);

    const list = await cli(['users', 'list', '-o', 'json']);
    assert.equal(list.code, 0, list.stderr);
    const users = (JSON.parse(list.stdout) as { results: Array<{ username: string; roles: Array<{ roleName: string }> }> }).results;
    assert.deepEqual(
      users.map((u) => [u.username, u.roles.map((r) => r.roleName)]),
      [['ops@example.com', ['ORG_MEMBER', 'GROUP_READ_ONLY']]],
    );
    const table = await cli(['users', 'list']);
    assert.match(table.stdout, new RegExp(`^ID\\tEMAIL\\tROLES\\tCREATED\\n[0-9a-f]{24}\\tops@example\\.com\\tORG_MEMBER, GROUP_READ_ONLY@${projectId}\\t\\d{4}-`));
  });

  test('the user signs in to the console of the running server and reads its project, but cannot write', async () => {
    server = await startServer({ location: location.location, dataDir });
    const wrong = await fetch(`${server.apiUrl}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'not the passphrase' }),
    });
    assert.equal(wrong.status, 401);
    const res = await fetch(`${server.apiUrl}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: PASSWORD }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    const media = 'application/vnd.atlas.2023-01-01+json';
    const read = await fetch(`${server.apiUrl}/api/atlas/v2/groups/${projectId}/privateEndpoint/AWS/endpointService`, { headers: { cookie, accept: media } });
    assert.equal(read.status, 200);
    const write = await fetch(`${server.apiUrl}/api/atlas/v2/groups/${projectId}/privateEndpoint/endpointService`, {
      method: 'POST',
      headers: { cookie, accept: media, 'content-type': media, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ providerName: 'AWS', region: 'us-east-1' }),
    });
    assert.equal(write.status, 403);
  });
});
