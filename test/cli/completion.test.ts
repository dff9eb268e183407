import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI } from '../support/server-process.js';
import { runInProcess, tempHome } from './support/cli-runner.js';

describe('shell completion', () => {
  let home: string;
  let cleanup: () => void;
  before(() => ({ home, cleanup } = tempHome()));
  after(() => cleanup());

  const complete = async (...words: string[]) => (await runInProcess(['__complete', ...words], { home })).stdout.split('\n').filter(Boolean);

  test('completes top-level commands, without hidden ones', async () => {
    assert.deepEqual(await complete(''), [
      'admin',
      'appservices',
      'clusters',
      'completion',
      'config',
      'dbusers',
      'dns',
      'help',
      'localcloud',
      'migrate',
      'organizations',
      'privateEndpoints',
      'projects',
      'reset',
      'serve',
      'serverless',
      'users',
      'webhooks',
    ]);
    assert.deepEqual(await complete('pr'), ['privateEndpoints', 'projects']);
  });

  test('offers canonical names only, never alias spellings, as cobra does', async () => {
    assert.deepEqual(await complete('private'), ['privateEndpoints']);
    assert.deepEqual(await complete('private-'), []);
    assert.deepEqual(await complete('organizations', ''), ['apiKeys', 'list']);
    assert.deepEqual(await complete('privateEndpoints', 'aws', 'interfaces', ''), ['create', 'delete', 'describe']);
  });

  test('completes through aliases and groups', async () => {
    assert.deepEqual(await complete('private-endpoints', ''), ['aws', 'azure', 'gcp', 'regionalModes', 'serverless']);
    assert.deepEqual(await complete('privateEndpoints', 'serverless', ''), ['aws', 'azure']);
    assert.deepEqual(await complete('privateEndpoints', 'serverless', 'azure', ''), ['create', 'delete', 'describe', 'list', 'update', 'watch']);
    assert.deepEqual(await complete('sl', ''), ['create', 'delete', 'describe', 'list', 'watch']);
    assert.deepEqual(await complete('privateEndpoints', 'aws', ''), ['create', 'delete', 'describe', 'interfaces', 'list', 'watch']);
    assert.deepEqual(await complete('privateEndpoints', 'aws', 'interfaces', 'c'), ['create']);
  });

  test('completes flags of the command and the global ones', async () => {
    assert.deepEqual(await complete('privateEndpoints', 'aws', 'create', '--'), ['--help', '--output', '--profile', '--projectId', '--region']);
    assert.deepEqual(await complete('privateEndpoints', 'aws', 'delete', 'x', '--f'), ['--force']);
    assert.deepEqual(await complete('privateEndpoints', 'serverless', 'azure', 'update', 'x', '--privateEndpointI'), ['--privateEndpointId', '--privateEndpointIpAddress']);
    assert.deepEqual(await complete('serverless', 'create', 'x', '--'), ['--help', '--output', '--profile', '--projectId', '--provider', '--region', '--tag']);
  });

  test('completes -o formats and -P profiles', async () => {
    assert.deepEqual(await complete('privateEndpoints', 'aws', 'list', '-o', 'j'), ['json', 'json-path=']);
    await runInProcess(['config', 'set', 'output', 'json', '-P', 'staging'], { home });
    assert.deepEqual(await complete('privateEndpoints', 'aws', 'list', '--profile', ''), ['staging']);
  });

  test('nothing after a leaf command but flags', async () => {
    assert.deepEqual(await complete('privateEndpoints', 'aws', 'list', ''), []);
  });

  test('the bash script completes in a real bash', () => {
    const bin = join(home, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'privlink'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    chmodSync(join(bin, 'privlink'), 0o755);
    const script = [
      'source <(privlink completion bash)',
      'COMP_WORDS=(privlink privateEndpoints aws ""); COMP_CWORD=3; _privlink_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
      'COMP_WORDS=(privlink private-endpoints regionalModes e); COMP_CWORD=3; _privlink_complete',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const result = spawnSync('bash', ['-c', script], { env: { PATH: `${bin}:${process.env.PATH}`, HOME: home, NODE_NO_WARNINGS: '1' }, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'create\ndelete\ndescribe\ninterfaces\nlist\nwatch\nenable\n');
  });

  test('zsh and fish scripts call back into privlink __complete', async () => {
    for (const shell of ['zsh', 'fish']) {
      const result = await runInProcess(['completion', shell], { home });
      assert.equal(result.code, 0);
      assert.match(result.stdout, /privlink __complete/);
    }
    assert.match((await runInProcess(['completion', 'zsh'], { home })).stdout, /^#compdef privlink\n/);
    assert.match((await runInProcess(['completion', 'fish'], { home })).stdout, /complete -c privlink -f -a '\(__privlink_complete\)'/);
  });
});
