import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startStack, type Stack } from '../support/full-stack.js';
import { assertGolden, runCliProcess, tempHome } from './support/cli-runner.js';
import { CliTranscript } from './support/cli-transcript.js';
import { eventually } from './support/cli-session.js';

/**
 * An Azure private endpoint set up as a user does it, with nothing but the privlink CLI: the
 * Atlas-side commands (`privateEndpoints azure …`) against a whole privlink, and the customer's
 * side in the local cloud's Azure with `localcloud azure …` (the official Azure SDK inside).
 * The stable outputs are pinned in golden/e2e-azure-walkthrough.txt.
 */
describe('walkthrough: Azure private endpoint with the CLI, the customer side with privlink localcloud azure', { concurrency: false }, () => {
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
    const azure = stack.bootstrap.localCloud!.azure!;
    placeholders[stack.dataDir] = '<DATA_DIR>';
    placeholders[azure.endpoint] = '<AZURE>';
    name(azure.customer.subscriptionId, '<CUSTOMER_SUBSCRIPTION>');
    name(azure.provider.subscriptionId, '<PROVIDER_SUBSCRIPTION>');
    await ok(['config', 'init', '--data-dir', stack.dataDir]);
  });
  after(async () => {
    await stack?.close();
    home?.cleanup();
  });

  test('create the service, watch it, make the private endpoint, register it, see it AVAILABLE, delete both', async () => {
    const azure = stack.bootstrap.localCloud!.azure!;

    // The Atlas side: the private endpoint service, watched until AVAILABLE.
    const created = await ok(['privateEndpoints', 'azure', 'create', '--region', 'eastus2']);
    const serviceId = /^Private endpoint '([0-9a-f]{24})' created\.\n$/.exec(created.stdout)?.[1] ?? assert.fail(created.stdout);
    name(serviceId, '<SERVICE>');
    await ok(['privateEndpoints', 'azure', 'watch', serviceId, '--interval', '200ms'], { record: true });

    // describe shows the private link service's name; its resource id is in the JSON.
    const described = await ok(['privateEndpoints', 'azure', 'describe', serviceId], { tty: true, record: true });
    assert.equal(described.stdout, `ID${' '.repeat(25)}ENDPOINT SERVICE${' '.repeat(15)}STATUS      ERROR\n${serviceId}   pls_${serviceId}   AVAILABLE   \n`);
    const service = JSON.parse((await ok(['privateEndpoints', 'azure', 'describe', serviceId, '-o', 'json'])).stdout) as { privateLinkServiceResourceId: string };
    const plsId = service.privateLinkServiceResourceId;
    assert.match(
      plsId,
      new RegExp(`^/subscriptions/${azure.provider.subscriptionId}/resourceGroups/rg_${serviceId}_[0-9a-f]{8}/providers/Microsoft\\.Network/privateLinkServices/pls_${serviceId}$`),
    );
    name(plsId, '<PRIVATE_LINK_SERVICE>');
    await ok(['privateEndpoints', 'azure', 'list'], { record: true });

    // The customer's side: credentials for SDK scripts, then the private endpoint itself.
    const credentials = await ok(['localcloud', 'azure', 'credentials', '--data-dir', stack.dataDir]);
    assert.equal(
      credentials.stdout,
      [
        `export AZURE_TENANT_ID='${azure.customer.tenantId}'`,
        `export AZURE_CLIENT_ID='${azure.customer.clientId}'`,
        `export AZURE_CLIENT_SECRET='${azure.customer.clientSecret}'`,
        `export AZURE_SUBSCRIPTION_ID='${azure.customer.subscriptionId}'`,
        `export AZURE_AUTHORITY_HOST='${azure.endpoint}'`,
        `export AZURE_RESOURCE_MANAGER_ENDPOINT='${azure.endpoint}'`,
        `export NODE_EXTRA_CA_CERTS='${azure.caPath}'`,
        '',
      ].join('\n'),
    );
    const made = await ok(['localcloud', 'azure', 'create-private-endpoint', '--data-dir', stack.dataDir, '--private-link-service-id', plsId, '--location', 'eastus2'], {
      record: true,
    });
    const endpoint = JSON.parse(made.stdout) as { id: string; privateEndpointIPAddress: string };
    assert.equal(endpoint.id, `/subscriptions/${azure.customer.subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas`);
    assert.match(endpoint.privateEndpointIPAddress, /^10\.1\.0\.\d+$/);
    const customerView = async () =>
      JSON.parse((await ok(['localcloud', 'azure', 'describe-private-endpoint', endpoint.id, '--data-dir', stack.dataDir, '-o', 'json'])).stdout) as {
        connectionStatus: string;
        privateEndpointIPAddress: string;
        privateLinkServiceId: string;
      };
    assert.deepEqual(
      { ...(await customerView()), connectionDescription: undefined },
      {
        id: endpoint.id,
        privateEndpointIPAddress: endpoint.privateEndpointIPAddress,
        privateLinkServiceId: plsId,
        connectionStatus: 'Pending',
        connectionDescription: undefined,
        provisioningState: 'Succeeded',
      },
    );

    // Register it with Atlas; the id is one path segment (URL-encoded) for describe and delete.
    const registered = await ok(
      ['privateEndpoints', 'azure', 'interfaces', 'create', serviceId, '--privateEndpointId', endpoint.id, '--privateEndpointIpAddress', endpoint.privateEndpointIPAddress],
      { record: true },
    );
    assert.equal(registered.stdout, `Interface endpoint '${endpoint.id}' created.\n`);
    const table = await eventually(
      async () => {
        const r = await ok(['privateEndpoints', 'azure', 'interfaces', 'describe', endpoint.id, '--endpointServiceId', serviceId]);
        return r.stdout.includes('\tAVAILABLE\t') ? r.stdout : undefined;
      },
      60_000,
      'interface endpoint AVAILABLE',
    );
    assert.equal(table, `ID\tIP ADDRESS\tSTATUS\tERROR\n${endpoint.id}\t${endpoint.privateEndpointIPAddress}\tAVAILABLE\t\n`);
    await ok(['privateEndpoints', 'azure', 'interfaces', 'describe', endpoint.id, '--endpointServiceId', serviceId], { tty: true, record: true });
    assert.equal((await customerView()).connectionStatus, 'Approved');
    await ok(['localcloud', 'azure', 'describe-private-endpoint', endpoint.id, '--data-dir', stack.dataDir], { tty: true, record: true });
    const withEndpoint = JSON.parse((await ok(['privateEndpoints', 'azure', 'describe', serviceId, '-o', 'json'])).stdout) as { privateEndpoints: string[] };
    assert.deepEqual(withEndpoint.privateEndpoints, [endpoint.id]);

    // Clean up: the registration (privlink rejects the connection), the service, the customer's endpoint.
    await ok(['privateEndpoints', 'azure', 'interfaces', 'delete', endpoint.id, '--endpointServiceId', serviceId, '--force'], { record: true });
    await eventually(
      async () => {
        const r = await run(['privateEndpoints', 'azure', 'interfaces', 'describe', endpoint.id, '--endpointServiceId', serviceId]);
        return r.code === 1 && /HTTP 404 Not Found/.test(r.stderr) ? true : undefined;
      },
      60_000,
      'interface endpoint gone (404)',
    );
    assert.equal((await customerView()).connectionStatus, 'Rejected');
    await ok(['privateEndpoints', 'azure', 'delete', serviceId, '--force'], { record: true });
    await eventually(
      async () => {
        const r = await run(['privateEndpoints', 'azure', 'describe', serviceId]);
        return r.code === 1 && /HTTP 404 Not Found/.test(r.stderr) ? true : undefined;
      },
      60_000,
      'endpoint service gone (404)',
    );
    await ok(['localcloud', 'azure', 'delete-private-endpoint', endpoint.id, '--data-dir', stack.dataDir], { record: true });
    const gone = await run(['localcloud', 'azure', 'describe-private-endpoint', endpoint.id, '--data-dir', stack.dataDir]);
    assert.equal(gone.code, 1);
    assert.equal(
      gone.stderr,
      "Error: (ResourceNotFound) The Resource 'Microsoft.Network/privateEndpoints/pe-atlas' under resource group 'rg-app' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix\n",
    );

    assertGolden('e2e-azure-walkthrough', transcript.join('\n'));
  });

  test('localcloud azure: a malformed resource id and missing credentials are refused before any call', async () => {
    const bad = await run(['localcloud', 'azure', 'describe-private-endpoint', 'pe-atlas', '--data-dir', stack.dataDir]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^Error: 'pe-atlas' is not a private endpoint resource id/);
    const id = `/subscriptions/${stack.bootstrap.localCloud!.azure!.customer.subscriptionId}/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas`;
    const noEndpoint = await run(['localcloud', 'azure', 'delete-private-endpoint', id]);
    assert.equal(noEndpoint.code, 1);
    assert.match(noEndpoint.stderr, /^Error: no local cloud Azure endpoint/);
    const noCredentials = await runCliProcess(['localcloud', 'azure', 'describe-private-endpoint', id], {
      home: home.home,
      env: { AZURE_RESOURCE_MANAGER_ENDPOINT: stack.bootstrap.localCloud!.azure!.endpoint },
    });
    assert.equal(noCredentials.code, 4);
    assert.match(noCredentials.stderr, /^Error: Unable to locate credentials\./);
    const azure = stack.bootstrap.localCloud!.azure!;
    const wrongSecret = await runCliProcess(['localcloud', 'azure', 'describe-private-endpoint', id], {
      home: home.home,
      env: {
        AZURE_RESOURCE_MANAGER_ENDPOINT: azure.endpoint,
        NODE_EXTRA_CA_CERTS: azure.caPath!,
        AZURE_TENANT_ID: azure.customer.tenantId,
        AZURE_SUBSCRIPTION_ID: azure.customer.subscriptionId,
        AZURE_CLIENT_ID: azure.customer.clientId,
        AZURE_CLIENT_SECRET: 'not-the-secret',
      },
    });
    assert.equal(wrongSecret.code, 4, wrongSecret.stderr);
    assert.match(wrongSecret.stderr, /^Error: sign-in to https:\/\/127\.0\.0\.1:\d+ failed: /);
  });
});
