import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { configFilePath, readConfigFile } from '../../src/cli/config/profiles.js';
import { runInProcess, tempHome } from './support/cli-runner.js';

const PRIVATE_KEY = '2a2f6b4c-6c3e-4f5e-9a1b-1234567890ab';

describe('config file: location, permissions, secrets', () => {
  let home: string;
  let cleanup: () => void;
  before(() => ({ home, cleanup } = tempHome()));
  after(() => cleanup());

  test('lives in $XDG_CONFIG_HOME/privlink, else ~/.config/privlink', () => {
    assert.equal(configFilePath({ HOME: '/h' }), '/h/.config/privlink/config.toml');
    assert.equal(configFilePath({ HOME: '/h', XDG_CONFIG_HOME: '/x' }), '/x/privlink/config.toml');
    assert.equal(configFilePath({ HOME: '/h', XDG_CONFIG_HOME: 'relative' }), '/h/.config/privlink/config.toml');
  });

  test('config init without a terminal takes flags, writes the file 0600 in a 0700 directory, prints no key', async () => {
    const result = await runInProcess(
      ['config', 'init', '--base-url', 'http://127.0.0.1:9999/', '--public-api-key', 'abcdefgh', '--private-api-key', PRIVATE_KEY, '--projectId', '0123456789abcdef01234567'],
      { home },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'Your profile is now configured.\nYou can use [privlink config set] to change these settings at a later time.\n');
    const path = join(home, '.config/privlink/config.toml');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, '.config/privlink')).mode & 0o777, 0o700);
    assert.deepEqual(readConfigFile(path).profiles.default, {
      ops_manager_url: 'http://127.0.0.1:9999/',
      private_api_key: PRIVATE_KEY,
      project_id: '0123456789abcdef01234567',
      public_api_key: 'abcdefgh',
    });
    assert.ok(!result.stdout.includes(PRIVATE_KEY) && !result.stderr.includes(PRIVATE_KEY));
  });

  test('config set keeps 0600 even if the file had been made world-readable', async () => {
    const path = join(home, '.config/privlink/config.toml');
    writeFileSync(path, readFileSync(path), { mode: 0o644 });
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o644);
    const result = await runInProcess(['config', 'set', 'output', 'json'], { home });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, "Updated property 'output'\n");
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test('config describe redacts keys in every output format', async () => {
    const table = await runInProcess(['config', 'describe', 'default', '-o', 'plaintext'], { home });
    assert.equal(table.code, 0, table.stderr);
    assert.equal(
      table.stdout,
      'SETTING\tVALUE\nops_manager_url\thttp://127.0.0.1:9999/\noutput\tjson\nprivate_api_key\tredacted\nproject_id\t0123456789abcdef01234567\npublic_api_key\tredacted\n',
    );
    const json = await runInProcess(['config', 'describe', 'default', '-o', 'json'], { home });
    assert.equal(JSON.parse(json.stdout).private_api_key, 'redacted');
    assert.ok(!json.stdout.includes(PRIVATE_KEY) && !json.stdout.includes('abcdefgh'));
  });

  test('config set refuses unknown keys and bad values', async () => {
    const unknown = await runInProcess(['config', 'set', 'colour', 'red'], { home });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^Error: invalid property: 'colour', valid properties are: public_api_key, /);
    const badUrl = await runInProcess(['config', 'set', 'ops_manager_url', 'not a url'], { home });
    assert.equal(badUrl.stderr, "Error: 'not a url' is not a valid URL\n");
    const badId = await runInProcess(['config', 'set', 'project_id', 'xyz'], { home });
    assert.equal(badId.stderr, "Error: the provided value 'xyz' is not a valid Id\n");
  });

  test('profiles: -P writes another table; list shows both; Atlas CLI top-level keys survive', async () => {
    const path = join(home, '.config/privlink/config.toml');
    writeFileSync(path, `telemetry_enabled = false\n${readFileSync(path, 'utf8')}`);
    const set = await runInProcess(['config', 'set', 'org_id', 'abcdefabcdefabcdefabcdef', '-P', 'staging'], { home });
    assert.equal(set.code, 0, set.stderr);
    // The default profile says output = json (set above), and that applies here.
    const list = await runInProcess(['config', 'ls'], { home });
    assert.deepEqual(JSON.parse(list.stdout), ['default', 'staging']);
    const table = await runInProcess(['config', 'ls', '-o', 'plaintext'], { home });
    assert.equal(table.stdout, 'PROFILE NAME\ndefault\nstaging\n');
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^telemetry_enabled = false$/m);
    assert.match(text, /^\[staging\]$/m);
  });

  test('config delete asks on a terminal (declined → exit 2), refuses without one, deletes with --force', async () => {
    const declined = await runInProcess(['config', 'delete', 'staging'], { home, tty: true, input: 'n\n' });
    assert.equal(declined.code, 2);
    assert.equal(declined.stderr, '? Are you sure you want to delete: staging (y/N) n\nProfile not deleted\n');
    const piped = await runInProcess(['config', 'delete', 'staging'], { home });
    assert.equal(piped.code, 1);
    assert.match(piped.stderr, /use --force/);
    const forced = await runInProcess(['config', 'rm', 'staging', '--force'], { home });
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(forced.stdout, "Profile 'staging' deleted\n");
    assert.deepEqual(Object.keys(readConfigFile(path()).profiles), ['default']);
    function path() {
      return join(home, '.config/privlink/config.toml');
    }
  });

  test('config init on a terminal asks for missing values, private key included, and echoes none', async () => {
    const other = tempHome();
    try {
      mkdirSync(join(other.home, '.config'), { recursive: true });
      const answers = ['', 'pubkeyab', PRIVATE_KEY, '0123456789abcdef01234567', ''].join('\n') + '\n';
      const result = await runInProcess(['config', 'init'], { home: other.home, tty: true, input: answers });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(!result.stderr.includes(PRIVATE_KEY));
      assert.equal(
        result.stderr,
        '? URL of the privlink Admin API (http://localhost:8080/) \n? Public API Key pubkeyab\n? Private API Key \n? Default Project ID 0123456789abcdef01234567\n? Default Org ID \n',
      );
      const profile = readConfigFile(join(other.home, '.config/privlink/config.toml')).profiles.default!;
      assert.equal(profile.ops_manager_url, 'http://localhost:8080/');
      assert.equal(profile.private_api_key, PRIVATE_KEY);
      assert.equal(profile.org_id, undefined);
    } finally {
      other.cleanup();
    }
  });

  test('config init without a terminal and without keys is a flag error', async () => {
    const other = tempHome();
    try {
      const result = await runInProcess(['config', 'init'], { home: other.home });
      assert.equal(result.code, 1);
      assert.equal(result.stderr, 'Error: required flag(s) "public-api-key", "private-api-key" not set (no terminal to ask on)\n');
    } finally {
      other.cleanup();
    }
  });
});
