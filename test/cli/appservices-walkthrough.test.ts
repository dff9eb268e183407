import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { customerEndpoint } from '../support/customer-vpc.js';
import { startStack, type Stack } from '../support/full-stack.js';
import { assertGolden, tempHome } from './support/cli-runner.js';
import { CliTranscript } from './support/cli-transcript.js';
import { eventually } from './support/cli-session.js';

/**
 * App Services private endpoints with the privlink CLI (`privlink appservices …`, the built CLI as
 * a subprocess) against a whole privlink: log in, create an app, read the service infos, register a
 * general and a sync endpoint (the customer's VPC endpoints made with the AWS SDK), watch them
 * AVAILABLE, toggle non-VPC requests and read the setting back, delete. The stable outputs are pinned in
 * golden/e2e-appservices-walkthrough.txt.
 */
describe('walkthrough: App Services private endpoints with the CLI', { concurrency: false }, () => {
  let stack: Stack;
  let home: { home: string; cleanup(): void };
  const cli = new CliTranscript(() => home.home);
  const { placeholders, entries: transcript } = cli;
  const name = cli.name.bind(cli);
  const run = cli.run.bind(cli);
  const ok = cli.ok.bind(cli);

  before(async () => {
    stack = await startStack();
    home = tempHome();
    placeholders[stack.dataDir] = '<DATA_DIR>';
    await ok(['config', 'init', '--data-dir', stack.dataDir]);
  });
  after(async () => {
    await stack?.close();
    home?.cleanup();
  });

  test('login, apps create/list, serviceInfos, privateEndpoints create/list/delete, restrictAccess on/off/status', async () => {
    const login = JSON.parse((await ok(['appservices', 'login', '-o', 'json'])).stdout) as { user_id: string; access_token: string };
    assert.match(login.access_token, /\./);
    name(login.user_id, '<API_KEY_ID>');
    await ok(['appservices', 'login'], { record: true });

    const created = JSON.parse((await ok(['appservices', 'apps', 'create', 'MyApp', '--region', 'aws-us-east-1', '-o', 'json'])).stdout) as { _id: string; client_app_id: string };
    name(created._id, '<APP_ID>');
    name(created.client_app_id, '<CLIENT_APP_ID>');
    await ok(['appservices', 'apps', 'list'], { record: true });
    const app = ['--appId', created._id];

    const infos = await eventually(
      async () => {
        const r = JSON.parse((await ok(['appservices', 'privateEndpoints', 'serviceInfos', ...app, '-o', 'json'])).stdout) as Array<{ service_name?: string }>;
        return r.length === 2 && r.every((i) => i.service_name) ? (r as Array<{ service_name: string; endpoint_type: string }>) : undefined;
      },
      60_000,
      'service infos with names',
    );
    name(infos[0]!.service_name, '<GENERAL_SERVICE>');
    name(infos[1]!.service_name, '<SYNC_SERVICE>');
    await ok(['appservices', 'privateEndpoints', 'serviceInfos', ...app], { record: true });

    const general = await customerEndpoint(stack.customerEc2(), infos[0]!.service_name);
    const sync = await customerEndpoint(stack.customerEc2(), infos[1]!.service_name);
    name(general, '<GENERAL_VPCE>');
    name(sync, '<SYNC_VPCE>');

    const early = await run(['appservices', 'privateEndpoints', 'create', ...app, '--endpointId', sync, '--type', 'sync', '--region', 'aws-us-east-1']);
    assert.equal(early.code, 1);
    assert.match(early.stderr, /HTTP 400 Bad Request \(Error code: "InvalidParameter"\) Detail: every sync private endpoint must be paired with a general private endpoint/);

    const g = await ok(['appservices', 'privateEndpoints', 'create', ...app, '--endpointId', general, '--type', 'general', '--region', 'aws-us-east-1', '--comment', 'general']);
    const generalId = /^Private endpoint '([0-9a-f]{24})'/.exec(g.stdout)?.[1] ?? assert.fail(g.stdout);
    name(generalId, '<GENERAL_ID>');
    cli.record(['appservices', 'privateEndpoints', 'create', ...app, '--endpointId', general, '--type', 'general', '--region', 'aws-us-east-1', '--comment', 'general'], g);
    const s = await ok(['appservices', 'privateEndpoints', 'create', ...app, '--endpointId', sync, '--type', 'sync', '--region', 'aws-us-east-1']);
    const syncId = /^Private endpoint '([0-9a-f]{24})'/.exec(s.stdout)?.[1] ?? assert.fail(s.stdout);
    name(syncId, '<SYNC_ID>');
    await eventually(
      async () => {
        const r = JSON.parse((await ok(['appservices', 'privateEndpoints', 'list', ...app, '-o', 'json'])).stdout) as Array<{ status: string }>;
        return r.length === 2 && r.every((e) => e.status === 'AVAILABLE') ? true : undefined;
      },
      60_000,
      'both endpoints AVAILABLE',
    );
    await ok(['appservices', 'privateEndpoints', 'list', ...app], { record: true });

    await ok(['appservices', 'privateEndpoints', 'restrictAccess', 'status', ...app], { record: true });
    await ok(['appservices', 'privateEndpoints', 'restrictAccess', 'off', ...app], { record: true });
    await ok(['appservices', 'privateEndpoints', 'restrictAccess', 'status', ...app, '-o', 'json'], { record: true });
    const opened = JSON.parse((await ok(['appservices', 'privateEndpoints', 'restrictAccess', 'status', ...app, '-o', 'json'])).stdout) as unknown;
    assert.deepEqual(opened, { allow_non_vpc_client_requests: true }, 'status reads back what off set');
    await ok(['appservices', 'privateEndpoints', 'restrictAccess', 'on', ...app], { record: true });
    await ok(['appservices', 'privateEndpoints', 'restrictAccess', 'status', ...app], { record: true });
    const bad = await run(['appservices', 'privateEndpoints', 'restrictAccess', 'maybe', ...app]);
    assert.notEqual(bad.code, 0);

    await ok(['appservices', 'privateEndpoints', 'delete', syncId, ...app, '--force'], { record: true });
    await ok(['appservices', 'privateEndpoints', 'delete', generalId, ...app, '--force'], { record: true });
    await ok(['appservices', 'privateEndpoints', 'list', ...app], { record: true });

    assertGolden('e2e-appservices-walkthrough', transcript.join('\n'));
  });
});
