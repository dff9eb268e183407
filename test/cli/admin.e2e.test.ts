import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertGolden, normalise } from './support/cli-runner.js';
import { CliSession, withoutProgress } from './support/cli-session.js';

const DATES = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g;

/**
 * Administration without curl: organizations, projects, API keys and clusters, against a running
 * server, in pipe and terminal mode, compared with golden transcripts.
 */
describe('administration commands against a running server', { concurrency: false }, () => {
  let s: CliSession;
  const transcript = (
    args: string[],
    result: Awaited<ReturnType<CliSession['run']>>,
    options: { tty?: boolean; env?: Record<string, string>; stderr?: (t: string) => string } = {},
  ) => s.transcript(args, result, options).replace(DATES, '<DATE>');

  before(async () => {
    s = await CliSession.start();
  });
  after(async () => {
    await s?.destroy();
  });

  test('organizations and projects: list, create, describe, delete', async () => {
    const parts: string[] = [];
    const run = async (args: string[], options: { tty?: boolean; input?: string } = {}) => {
      const result = await s.run(args, options);
      parts.push(transcript(args, result, options));
      return result;
    };
    await run(['organizations', 'list']);
    await run(['orgs', 'ls'], { tty: true });
    await run(['organizations', 'list', '-o', 'json-path=$.results[0].name']);
    const created = await s.ok(['projects', 'create', 'cli-project']);
    const projectId = /^Project '([0-9a-f]{24})' created\.\n$/.exec(created.stdout)?.[1] ?? assert.fail(created.stdout);
    s.name(projectId, '<PROJECT_2>');
    parts.push(transcript(['projects', 'create', 'cli-project'], created));
    const createdTty = await s.ok(['projects', 'create', 'cli-project-tty', '-o', 'json'], { tty: true });
    const projectId3 = (JSON.parse(createdTty.stdout) as { id: string }).id;
    s.name(projectId3, '<PROJECT_3>');
    parts.push(transcript(['projects', 'create', 'cli-project-tty', '-o', 'json'], createdTty, { tty: true }));
    await run(['projects', 'list']);
    await run(['projects', 'list'], { tty: true });
    await run(['projects', 'describe', projectId]);
    await run(['projects', 'get', projectId], { tty: true });
    await run(['projects', 'delete', projectId, '--force']);
    await run(['projects', 'rm', projectId3], { tty: true, input: 'y\n' });
    await run(['projects', 'ls', '-o', 'go-template={{range .results}}{{.name}}\n{{end}}']);
    assertGolden('e2e-projects', parts.join('\n'));
  });

  test('API keys: create (private key shown once), list, assign to a project, delete', async () => {
    const parts: string[] = [];
    const existing = JSON.parse((await s.ok(['organizations', 'apiKeys', 'list', '-o', 'json'])).stdout) as { results: Array<{ id: string; desc: string }> };
    s.name(existing.results.find((k) => k.desc === 'privlink bootstrap key')!.id, '<BOOTSTRAP_KEY>');
    const created = await s.ok(['organizations', 'apiKeys', 'create', '--role', 'ORG_MEMBER', '--desc', 'ci key']);
    const match = /^API Key '([0-9a-f]{24})' created\.\nPublic API Key ([a-z]{8})\nPrivate API Key ([0-9a-f-]{36})\n$/.exec(created.stdout) ?? assert.fail(created.stdout);
    s.name(match[1]!, '<KEY_1>');
    s.name(match[2]!, '<PUB_1>');
    s.name(match[3]!, '<PRIVATE_1>');
    parts.push(transcript(['organizations', 'apiKeys', 'create', '--role', 'ORG_MEMBER', '--desc', 'ci key'], created));
    const createdTty = await s.ok(['orgs', 'apikeys', 'create', '--role', 'ORG_READ_ONLY,ORG_MEMBER', '--desc', 'second key', '-o', 'json'], { tty: true });
    const key2 = JSON.parse(createdTty.stdout) as { id: string; publicKey: string; privateKey: string };
    s.name(key2.id, '<KEY_2>');
    s.name(key2.publicKey, '<PUB_2>');
    s.name(key2.privateKey, '<PRIVATE_2>');
    parts.push(transcript(['orgs', 'apikeys', 'create', '--role', 'ORG_READ_ONLY,ORG_MEMBER', '--desc', 'second key', '-o', 'json'], createdTty, { tty: true }));
    for (const tty of [false, true]) parts.push(transcript(['organizations', 'apiKeys', 'list'], await s.ok(['organizations', 'apiKeys', 'list'], { tty }), { tty }));
    const assign = ['projects', 'apiKeys', 'assign', match[1]!, '--role', 'GROUP_READ_ONLY'];
    parts.push(transcript(assign, await s.ok(assign)));
    const assignTty = ['projects', 'api-keys', 'assign', key2.id, '--role', 'GROUP_OWNER'];
    parts.push(transcript(assignTty, await s.ok(assignTty, { tty: true }), { tty: true }));
    // The new key works and sees the project's private endpoints (read-only role).
    const asKey1Env = { PRIVLINK_PUBLIC_API_KEY: match[2]!, PRIVLINK_PRIVATE_API_KEY: match[3]! };
    const asKey1 = await s.ok(['privateEndpoints', 'aws', 'list'], { env: asKey1Env });
    parts.push(transcript(['privateEndpoints', 'aws', 'list'], asKey1, { env: asKey1Env }));
    const del = ['organizations', 'apiKeys', 'delete', key2.id, '--force'];
    parts.push(transcript(del, await s.run(del)));
    const delTty = ['organizations', 'apiKeys', 'rm', match[1]!];
    parts.push(transcript(delTty, await s.run(delTty, { tty: true, input: 'y\n' }), { tty: true }));
    const gone = await s.run(['privateEndpoints', 'aws', 'list'], { env: { PRIVLINK_PUBLIC_API_KEY: match[2]!, PRIVLINK_PRIVATE_API_KEY: match[3]! } });
    assert.equal(gone.code, 4, 'a deleted key is refused (401 → exit 4)');
    assertGolden('e2e-api-keys', parts.join('\n'));
  });

  test('clusters: create, watch, list, describe, delete in both modes', async () => {
    const parts: string[] = [];
    const run = async (args: string[], options: { tty?: boolean; input?: string } = {}, stderr?: (t: string) => string) => {
      const result = await s.run(args, options);
      assert.notEqual(result.code, null);
      parts.push(transcript(args, result, { ...options, ...(stderr ? { stderr } : {}) }));
      return result;
    };
    await run(['clusters', 'create', 'Cluster0', '--provider', 'AWS', '--region', 'us-east-1', '--tier', 'M10', '--members', '3']);
    await run(['clusters', 'create', 'Sharded0', '--provider', 'AWS', '--region', 'US_EAST_1', '--type', 'SHARDED', '--shards', '2'], { tty: true });
    for (const name of ['Cluster0', 'Sharded0']) {
      const id = (await s.ok(['clusters', 'describe', name, '-o', 'go-template={{.id}}'])).stdout;
      s.name(id, `<CLUSTER_${name}>`);
    }
    const watch = await run(['clusters', 'watch', 'Cluster0', '--interval', '250ms'], {}, withoutProgress);
    assert.match(watch.stderr, /^\.*$/);
    const watchTty = await run(['clusters', 'watch', 'Sharded0', '--interval', '250ms'], { tty: true }, withoutProgress);
    assert.match(watchTty.stderr, /^([|/\\-](\u0008[|/\\-])*\u0008 \u0008)?$/);
    await run(['clusters', 'list']);
    await run(['clusters', 'ls'], { tty: true });
    await run(['clusters', 'describe', 'Cluster0']);
    await run(['cluster', 'get', 'Sharded0'], { tty: true });
    await run(['clusters', 'describe', 'Cluster0', '-o', 'json-path=$.replicationSpecs[0].regionConfigs[0].electableSpecs']);
    await run(['clusters', 'describe', 'Sharded0', '-o', 'json-path=$.replicationSpecs[*].regionConfigs[0].regionName']);
    await run(['clusters', 'delete', 'Cluster0', '--force']);
    await run(['clusters', 'delete', 'Sharded0'], { tty: true, input: 'y\n' });
    assertGolden('e2e-clusters', parts.join('\n'));
    const json = await s.ok(['clusters', 'describe', 'Cluster0', '-o', 'json']).catch(() => undefined);
    if (json) assert.ok(['DELETING', 'DELETED'].includes((JSON.parse(json.stdout) as { stateName: string }).stateName));
  });

  test('serve --help documents the flags `npm start` takes', async () => {
    const help = await s.ok(['serve', '--help']);
    for (const flag of ['--port', '--data-dir', '--localcloud-port', '--no-localcloud', '--no-reconciler']) assert.ok(help.stdout.includes(flag), flag);
    assert.equal(normalise(help.stdout, {}), help.stdout);
  });
});
