import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { assertGolden, tempHome } from './support/cli-runner.js';
import { CliSession } from './support/cli-session.js';

/**
 * Every error class against a running server — flag error, 400, 401, 403, 404, 409, network
 * down, no credentials — printed in the Atlas CLI's shape with the documented exit codes; and
 * the settings precedence (flag > env > profile) and an Atlas CLI user's environment end to end.
 */
describe('errors and settings against a running server', { concurrency: false }, () => {
  let s: CliSession;
  before(async () => {
    s = await CliSession.start();
  });
  after(async () => {
    await s?.destroy();
  });

  test('every error class prints the Atlas CLI error with its exit code', async () => {
    const parts: string[] = [];
    const run = async (args: string[], options: { tty?: boolean; env?: Record<string, string>; home?: string } = {}) => {
      const result = await s.run(args, options);
      parts.push(s.transcript(args, result, options));
      return result;
    };
    // flag error (exit 1, before any request)
    assert.equal((await run(['privateEndpoints', 'aws', 'create'])).code, 1);
    // 400
    assert.equal((await run(['privateEndpoints', 'aws', 'create', '--region', 'mars-north-1'])).code, 1);
    // 409
    await s.ok(['privateEndpoints', 'aws', 'create', '--region', 'us-east-1']);
    assert.equal((await run(['privateEndpoints', 'aws', 'create', '--region', 'us-east-1'])).code, 1);
    assert.equal((await run(['projects', 'create', 'Project 0'], { tty: true })).code, 1);
    // 404
    assert.equal((await run(['privateEndpoints', 'aws', 'describe', '0123456789abcdef01234567'])).code, 1);
    assert.equal((await run(['privateEndpoints', 'aws', 'list', '--projectId', 'fedcba9876543210fedcba98'], { tty: true })).code, 1);
    // 401 (exit 4)
    assert.equal((await run(['privateEndpoints', 'aws', 'list'], { env: { PRIVLINK_PRIVATE_API_KEY: '00000000-0000-0000-0000-000000000000' } })).code, 4);
    assert.equal((await run(['privateEndpoints', 'aws', 'list'], { env: { MONGODB_ATLAS_PUBLIC_API_KEY: 'zzzzzzzz', PRIVLINK_PUBLIC_API_KEY: '' } })).code, 4);
    // 403: an Organization Member key that is not in the project, then a read-only one writing
    const key = JSON.parse((await s.ok(['organizations', 'apiKeys', 'create', '--role', 'ORG_MEMBER', '--desc', 'member', '-o', 'json'])).stdout) as {
      id: string;
      publicKey: string;
      privateKey: string;
    };
    s.name(key.id, '<MEMBER_KEY>');
    s.name(key.publicKey, '<PUB_M>');
    s.name(key.privateKey, '<MEMBER_PRIVATE>');
    const asMember = { PRIVLINK_PUBLIC_API_KEY: key.publicKey, PRIVLINK_PRIVATE_API_KEY: key.privateKey };
    assert.equal((await run(['privateEndpoints', 'aws', 'list'], { env: asMember })).code, 1);
    await s.ok(['projects', 'apiKeys', 'assign', key.id, '--role', 'GROUP_READ_ONLY']);
    assert.equal((await run(['privateEndpoints', 'aws', 'create', '--region', 'eu-west-1'], { env: asMember })).code, 1);
    // network down: a port that was free a moment ago
    const port = await closedPort();
    s.placeholders[`http://127.0.0.1:${port}`] = '<CLOSED>';
    assert.equal((await run(['privateEndpoints', 'aws', 'list'], { env: { PRIVLINK_BASE_URL: `http://127.0.0.1:${port}` } })).code, 1);
    // no credentials at all (empty HOME, no env): exit 4
    const empty = tempHome();
    try {
      assert.equal((await run(['privateEndpoints', 'aws', 'list', '--projectId', '0123456789abcdef01234567'], { home: empty.home })).code, 4);
    } finally {
      empty.cleanup();
    }
    assertGolden('e2e-api-errors', parts.join('\n'));
  });

  test('colour: "Error:" is red on a terminal, plain with NO_COLOR or in a pipe', async () => {
    const args = ['privateEndpoints', 'aws', 'describe', '0123456789abcdef01234567'];
    const coloured = await s.run(args, { env: { PRIVLINK_FORCE_TTY: '1' } });
    assert.match(coloured.stderr, /^\u001b\[31mError:\u001b\[0m /);
    const noColor = await s.run(args, { env: { PRIVLINK_FORCE_TTY: '1', NO_COLOR: '1' } });
    assert.match(noColor.stderr, /^Error: /);
    const piped = await s.run(args);
    assert.match(piped.stderr, /^Error: /);
    assert.ok(![coloured.stdout, noColor.stdout, piped.stdout].some((out) => out.includes('\u001b')));
  });

  test("an Atlas CLI user's environment works unchanged (MONGODB_ATLAS_* only, no config file)", async () => {
    const empty = tempHome();
    try {
      const b = s.server.bootstrap;
      const env = {
        MONGODB_ATLAS_OPS_MANAGER_URL: `${s.server.apiUrl}/`,
        MONGODB_ATLAS_PUBLIC_API_KEY: b.publicKey,
        MONGODB_ATLAS_PRIVATE_API_KEY: b.privateKey,
        MONGODB_ATLAS_PROJECT_ID: b.projectId,
        MONGODB_ATLAS_ORG_ID: b.orgId,
      };
      const list = await s.run(['privateEndpoints', 'aws', 'list', '-o', 'json'], { home: empty.home, env });
      assert.equal(list.code, 0, list.stderr);
      assert.equal((JSON.parse(list.stdout) as unknown[]).length, 1);
      const keys = await s.run(['organizations', 'apiKeys', 'list', '-o', 'json-path=$.totalCount'], { home: empty.home, env });
      assert.equal(keys.code, 0, keys.stderr);
      const viaBaseUrl = await s.run(['privateEndpoints', 'regionalModes', 'describe'], {
        home: empty.home,
        env: { ...env, MONGODB_ATLAS_OPS_MANAGER_URL: '', MONGODB_ATLAS_BASE_URL: s.server.apiUrl },
      });
      assert.equal(viaBaseUrl.code, 0, viaBaseUrl.stderr);
    } finally {
      empty.cleanup();
    }
  });

  test('precedence end to end: --projectId beats the environment, which beats the profile', async () => {
    const real = s.server.bootstrap.projectId;
    const fromEnv = 'eeeeeeeeeeeeeeeeeeeeeeee';
    const fromProfile = 'ffffffffffffffffffffffff';
    await s.ok(['config', 'set', 'project_id', fromProfile, '-P', 'other']);
    for (const key of ['ops_manager_url', 'public_api_key', 'private_api_key']) {
      const value = { ops_manager_url: s.server.apiUrl, public_api_key: s.server.bootstrap.publicKey, private_api_key: s.server.bootstrap.privateKey }[key]!;
      await s.ok(['config', 'set', key, value, '-P', 'other']);
    }
    const used = async (args: string[], env: Record<string, string>) => {
      const result = await s.run(['privateEndpoints', 'aws', 'list', '-P', 'other', ...args], { env });
      if (result.code === 0) return real;
      return /No group with ID ([0-9a-f]{24}) exists/.exec(result.stderr)?.[1] ?? result.stderr;
    };
    assert.equal(await used(['--projectId', real], { MONGODB_ATLAS_PROJECT_ID: fromEnv }), real);
    assert.equal(await used([], { MONGODB_ATLAS_PROJECT_ID: fromEnv }), fromEnv);
    assert.equal(await used([], { PRIVLINK_PROJECT_ID: fromEnv, MONGODB_ATLAS_PROJECT_ID: real }), fromEnv);
    assert.equal(await used([], {}), fromProfile);
    assert.equal(await used([], { PRIVLINK_PROFILE: 'default' }), fromProfile, '-P beats PRIVLINK_PROFILE');
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
