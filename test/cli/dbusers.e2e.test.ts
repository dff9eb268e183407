import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertGolden } from './support/cli-runner.js';
import { CliSession } from './support/cli-session.js';

/**
 * `privlink dbusers` against a running server, shaped like `atlas dbusers`: create (built-in role
 * as an argument, --role, --scope; the password asked for on a terminal), list, describe, delete;
 * the transcript is pinned by a golden file and never shows a password.
 */
describe('privlink dbusers', { concurrency: false }, () => {
  let s: CliSession;
  before(async () => {
    s = await CliSession.start();
  });
  after(async () => {
    await s?.destroy();
  });

  test('create, list, describe and delete, as the Atlas CLI prints them', async () => {
    const parts: string[] = [];
    const run = async (args: string[], options: { tty?: boolean; input?: string } = {}) => {
      const result = await s.run(args, options);
      parts.push(s.transcript(args, result, options));
      return result;
    };
    assert.equal((await run(['dbusers', 'create', 'atlasAdmin', '--username', 'admin-user', '--password', 'first-password'])).code, 0);
    const made = await run(['dbusers', 'create', '--username', 'reporting', '--role', 'read@sales,readWrite@sales.reports', '--desc', 'reports'], {
      tty: true,
      input: 'second-password\n',
    });
    assert.equal(made.code, 0, made.stderr);
    // No password in a pipe: a flag error before any request.
    assert.equal((await run(['dbusers', 'create', 'readAnyDatabase', '--username', 'nobody'])).code, 1);
    // The API's errors, as the Atlas CLI prints them.
    assert.equal((await run(['dbusers', 'create', 'atlasAdmin', '--username', 'admin-user', '--password', 'first-password'])).code, 1);
    assert.equal((await run(['dbusers', 'create', '--username', 'x', '--password', 'short', '--role', 'read@db'])).code, 1);
    assert.equal((await run(['dbusers', 'create', '--username', 'x', '--password', 'long-enough', '--role', 'read@db', '--scope', 'NoSuchCluster'])).code, 1);
    assert.equal((await run(['dbusers', 'list'])).code, 0);
    const json = await run(['dbusers', 'describe', 'reporting', '-o', 'json']);
    assert.deepEqual((JSON.parse(json.stdout) as { roles: unknown }).roles, [
      { databaseName: 'sales', roleName: 'read' },
      { collectionName: 'reports', databaseName: 'sales', roleName: 'readWrite' },
    ]);
    assert.equal((await run(['dbusers', 'delete', 'reporting', '--force'])).code, 0);
    assert.equal((await run(['dbusers', 'describe', 'reporting'])).code, 1);
    const transcript = parts.join('\n');
    assert.ok(!transcript.includes('first-password') || transcript.split('first-password').length === 3, 'passwords appear only in the command lines typed');
    assert.ok(!transcript.includes('second-password'), 'the typed password is not echoed');
    assertGolden('e2e-dbusers', transcript);
  });
});
