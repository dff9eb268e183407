import assert from 'node:assert/strict';
import { CreateVpcEndpointCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { GcpCustomer } from '../support/gcp-customer.js';
import { azureCustomer, launchChromium, screenshot, seriousViolations, signIn, type AzureCustomer } from './support.js';

// The Add Private Endpoint wizard on Azure and Google Cloud, in Debian's Chromium against a whole
// privlink on free ports: the customer's side is done with the official SDKs (@azure/arm-network,
// @google-cloud/compute) against the local cloud while the wizard waits, from the command the
// wizard generated; the endpoints become Available in the table. Edit re-registers an endpoint;
// Read Only sees neither Edit nor Terminate.
let stack: Stack;
let browser: Browser;
let page: Page;
let gcp: GcpCustomer;
let azure: AzureCustomer;
const TIMEOUT = 60_000;
const WAIT = { updateIntervalInMs: 20 };

before(async () => {
  stack = await startStack();
  azure = azureCustomer(stack.bootstrap.localCloud!.azure!);
  gcp = new GcpCustomer(stack.bootstrap.localCloud!.gcp!);
  await gcp.network('app-net');
  await gcp.subnet('app-central', 'app-net', 'us-central1', '10.128.0.0/20');
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
});
after(async () => {
  await gcp?.close();
  await browser?.close();
  await stack?.close();
});

async function expectAccessible(target: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(target), [], `axe-core on ${where}`);
}

/** The customer's Azure private endpoint `name` in subnet `default` of vnet-app, to `plsId`: what the wizard asks for next. */
async function azurePrivateEndpoint(name: string, plsId: string): Promise<{ id: string; ip: string }> {
  await azure.resources.resourceGroups.createOrUpdate('rg-app', { location: 'eastus2' });
  const vnet = await azure.network.virtualNetworks.beginCreateOrUpdateAndWait(
    'rg-app',
    'vnet-app',
    {
      location: 'eastus2',
      addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [{ name: 'default', addressPrefix: '10.1.0.0/24', privateEndpointNetworkPolicies: 'Disabled' }],
    },
    WAIT,
  );
  const pe = await azure.network.privateEndpoints.beginCreateOrUpdateAndWait(
    'rg-app',
    name,
    { location: 'eastus2', subnet: { id: vnet.subnets!.find((s) => s.name === 'default')!.id! }, manualPrivateLinkServiceConnections: [{ name, privateLinkServiceId: plsId }] },
    WAIT,
  );
  const nic = await azure.network.networkInterfaces.get('rg-app', pe.networkInterfaces![0]!.id!.split('/').pop()!);
  return { id: pe.id!, ip: nic.ipConfigurations![0]!.privateIPAddress! };
}

function row(provider: string): Locator {
  return page.locator(`tr[data-provider=${provider}]`);
}

/** Opens the wizard and chooses the provider with the keyboard (the toggle group is a set of buttons). */
async function chooseProvider(label: string, region: string): Promise<void> {
  await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
  const button = page.getByRole('button', { name: label, exact: true });
  await button.focus();
  await page.keyboard.press('Space');
  await page.locator(`button[aria-pressed=true]`, { hasText: label }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'AWS', exact: true }).getAttribute('aria-pressed'), 'false');
  const regions = await page.getByLabel('Region').locator('option').allTextContents();
  assert.ok(regions.includes(region), `${region} in ${regions.join(', ')}`);
  assert.ok(!regions.includes('us-east-1'), 'the region list follows the provider');
  await page.getByLabel('Region').selectOption(region);
}

describe('Add Private Endpoint on Azure and Google Cloud', () => {
  let azureEndpoint: { id: string; ip: string };

  test('signs in to Network Access → Private Endpoint; the wizard offers AWS, Azure and Google Cloud', async () => {
    await signIn(page, stack.running.apiUrl + '/', stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await page.getByText('No private endpoints yet. Click Add Private Endpoint to connect your AWS VPC, Azure VNet or Google Cloud VPC to this project.').waitFor();
    const session = (await page.evaluate(() => fetch('/console/api/session').then((r) => r.json()))) as { providers: string[] };
    assert.deepEqual(session.providers, ['AWS', 'AZURE', 'GCP'], 'the session names the clouds this privlink serves');
    await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
    const group = page.getByRole('group', { name: 'Cloud Provider' });
    // The wizard first reads the organization (payment information), then shows the providers.
    await group.getByRole('button', { name: 'AWS', exact: true }).waitFor();
    assert.deepEqual(await group.getByRole('button').allTextContents(), ['AWS', 'Azure', 'Google Cloud']);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('Azure: region → the service (its real status) → resource group, VNet, subnet → az command → resource ID + IP → Available', async () => {
    await chooseProvider('Azure', 'eastus2');
    await expectAccessible(page, 'wizard, Azure provider and region');
    await screenshot(page, 'azure-01-region');
    await page.getByRole('button', { name: 'Next' }).click();

    const banner = page.getByTestId('service-progress');
    await banner.waitFor();
    assert.match((await banner.textContent())!, /Atlas is creating the private link service in eastus2 \((Initiating|Available)\)|Atlas endpoint service ready in eastus2/);
    const command = page.locator('pre', { hasText: 'az network private-endpoint create' });
    const copy = page.getByRole('button', { name: 'Copy Run this command with the Azure CLI' });
    assert.equal(await copy.isDisabled(), true, 'Copy waits for the network names (and the service)');
    await page.getByLabel('Resource Group Name').fill('rg-app');
    await page.getByLabel('Virtual Network Name').fill('vnet-app');
    await page.getByLabel('Subnet Name').fill('default');
    await page.getByLabel('Private Endpoint Name').fill('pe-atlas');
    await page.getByText('Atlas endpoint service ready in eastus2').waitFor();
    await page.locator('pre', { hasText: '<creating…>' }).waitFor({ state: 'detached' });
    assert.equal(await copy.isEnabled(), true, 'Copy is enabled once the private link service exists');

    const services = (await stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService`)).json as Array<{
      id: string;
      privateLinkServiceResourceId: string;
      privateLinkServiceName: string;
    }>;
    assert.equal(services.length, 1);
    const service = services[0]!;
    const text = (await command.textContent())!;
    assert.ok(
      text.includes(
        `az network private-endpoint create --resource-group rg-app --name pe-atlas --vnet-name vnet-app --subnet default --private-connection-resource-id ${service.privateLinkServiceResourceId} --connection-name ${service.privateLinkServiceName} --manual-request true`,
      ),
      text,
    );
    await expectAccessible(page, 'wizard, Azure command');
    await screenshot(page, 'azure-02-command');

    // The customer runs it (here with the Azure SDK against the local cloud), with the id from the command.
    const plsId = /--private-connection-resource-id (\S+)/.exec(text)![1]!;
    azureEndpoint = await azurePrivateEndpoint('pe-atlas', plsId);

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Private Endpoint Resource ID').fill(azureEndpoint.id);
    await page.getByLabel('Private Endpoint IP Address').fill('10.1.0.400');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText(/\(INVALID_ATTRIBUTE\)/).waitFor();
    await page.getByLabel('Private Endpoint IP Address').fill(azureEndpoint.ip);
    await expectAccessible(page, 'wizard, Azure finalize');
    await screenshot(page, 'azure-03-finalize');
    await page.getByRole('button', { name: 'Create' }).click();

    await row('AZURE').locator('[data-column=endpoint]', { hasText: azureEndpoint.id }).waitFor();
    await row('AZURE').locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    await row('AZURE').locator('[data-column=service-status]', { hasText: 'Available' }).waitFor();
    const pe = await azure.network.privateEndpoints.get('rg-app', 'pe-atlas');
    assert.equal(pe.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState!.status, 'Approved', 'privlink approved the connection on the customer side too');
    await expectAccessible(page, 'Network Access, Azure endpoint available');
    await screenshot(page, 'azure-04-available');
  });

  test('Google Cloud: region → the service → project, VPC, subnet, prefix → gcloud script → pasted forwarding rules → Available', async () => {
    await chooseProvider('Google Cloud', 'us-central1');
    await expectAccessible(page, 'wizard, Google Cloud provider and region');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('service-progress').waitFor();
    const copy = page.getByRole('button', { name: 'Copy Run this script with the gcloud CLI' });
    await page.getByLabel('Your Google Cloud Project ID').fill(gcp.project);
    await page.getByLabel('VPC Name').fill('app-net');
    await page.getByLabel('Subnet Name').fill('app-central');
    await page.getByLabel('Private Service Connect Endpoint Prefix').fill('psc');
    await page.getByText('Atlas endpoint service ready in us-central1').waitFor();
    await page.locator('pre', { hasText: '<creating…>' }).waitFor({ state: 'detached' });
    assert.equal(await copy.isEnabled(), true);
    const services = (await stack.owner.get(`${stack.project}/privateEndpoint/GCP/endpointService`)).json as Array<{
      serviceAttachmentNames: string[];
      portMappingEnabled: boolean;
    }>;
    assert.equal(services.length, 1);
    const attachments = services[0]!.serviceAttachmentNames;
    const script = (await page.locator('pre', { hasText: 'gcloud config set project' }).textContent())!;
    assert.ok(script.startsWith(`gcloud config set project ${gcp.project}\n`), script);
    for (const [i, attachment] of attachments.entries()) {
      assert.ok(script.includes(`gcloud compute addresses create psc-ip-${i} --region=us-central1 --subnet=app-central`), script);
      assert.ok(
        script.includes(`gcloud compute forwarding-rules create psc-${i} --region=us-central1 --network=app-net --address=psc-ip-${i} --target-service-attachment=${attachment}`),
        script,
      );
    }
    await expectAccessible(page, 'wizard, Google Cloud script');
    await screenshot(page, 'gcp-01-script');

    // The customer creates an address and a forwarding rule per attachment (Google Cloud client against the local cloud).
    const rules = await gcp.endpoints('psc', { region: 'us-central1', network: 'app-net', subnet: 'app-central' }, attachments);
    const listed = ['NAME   REGION       IP_ADDRESS  IP_PROTOCOL  TARGET', ...rules.map((r, i) => `${r.endpointName}  us-central1  ${r.ipAddress}  TCP  ${attachments[i]}`)].join(
      '\n',
    );

    await page.getByRole('button', { name: 'Next' }).click();
    assert.equal(await page.getByLabel('Endpoint Group Name').inputValue(), 'psc', 'the group is named after the prefix');
    assert.equal(await page.getByLabel('Google Cloud Project ID').inputValue(), gcp.project);
    await page.getByLabel('Forwarding Rules').fill(listed);
    await page.getByText(`${rules.length} forwarding rule${rules.length === 1 ? '' : 's'} read`).waitFor();
    await expectAccessible(page, 'wizard, Google Cloud finalize');
    await screenshot(page, 'gcp-02-finalize');
    await page.getByRole('button', { name: 'Create' }).click();

    await row('GCP').locator('[data-column=endpoint]', { hasText: 'psc' }).waitFor();
    await row('GCP').locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    const group = (await stack.owner.get(`${stack.project}/privateEndpoint/GCP/endpointService/${(services[0] as unknown as { id: string }).id}/endpoint/psc`)).json as {
      endpoints: Array<{ endpointName: string; ipAddress: string }>;
      gcpProjectId: string;
    };
    assert.deepEqual(
      group.endpoints.map(({ endpointName, ipAddress }) => ({ endpointName, ipAddress })),
      rules,
    );
    assert.equal(group.gcpProjectId, gcp.project);
    await expectAccessible(page, 'Network Access, Google Cloud endpoint available');
    await screenshot(page, 'gcp-03-available');
  });

  test('Edit: the Azure endpoint is replaced by another private endpoint; the new one becomes Available and the old one is gone', async () => {
    const services = (await stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService`)).json as Array<{ id: string; privateLinkServiceResourceId: string }>;
    const replacement = await azurePrivateEndpoint('pe-atlas-2', services[0]!.privateLinkServiceResourceId);
    await row('AZURE')
      .getByRole('button', { name: /^Edit / })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Edit Private Endpoint' });
    await dialog.waitFor();
    assert.equal(await dialog.getByLabel('Private Endpoint Resource ID').inputValue(), azureEndpoint.id, 'the fields hold what is registered');
    assert.equal(await dialog.getByLabel('Private Endpoint IP Address').inputValue(), azureEndpoint.ip);
    assert.equal(await dialog.getByRole('button', { name: 'Save' }).isDisabled(), true, 'nothing changed yet');
    await dialog.getByLabel('Private Endpoint IP Address').fill('10.1.0.77');
    await dialog.getByText(/Enter another private endpoint/).waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Save' }).isDisabled(), true, 'the same endpoint cannot be registered again');
    await dialog.getByLabel('Private Endpoint Resource ID').fill(replacement.id);
    await dialog.getByLabel('Private Endpoint IP Address').fill(replacement.ip);
    await expectAccessible(page, 'Edit dialog');
    await screenshot(page, 'edit-01-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    await row('AZURE').locator('[data-column=endpoint]', { hasText: replacement.id }).waitFor();
    await page.locator('tr[data-provider=AZURE]', { hasText: replacement.id }).locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    await row('AZURE')
      .locator('[data-column=endpoint]', { hasText: `IP address ${replacement.ip}` })
      .waitFor();
    const left = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AZURE/endpointService/${services[0]!.id}`),
      (r) => (r.json as { privateEndpoints: string[] }).privateEndpoints.length === 1,
      TIMEOUT,
    );
    assert.deepEqual((left.json as { privateEndpoints: string[] }).privateEndpoints, [replacement.id], 'the old registration is removed, the new one kept');
    await screenshot(page, 'edit-02-replaced');
  });

  test('Edit on AWS: another VPC endpoint ID is registered in place of the old one', async () => {
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(created.status, 201, created.text);
    const serviceId = (created.json as { id: string }).id;
    const ready = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
      TIMEOUT,
    );
    const serviceName = (ready.json as { endpointServiceName: string }).endpointServiceName;
    const ec2 = stack.customerEc2();
    const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
    const subnet = (
      await ec2.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpc.VpcId!] },
            { Name: 'availability-zone', Values: ['us-east-1a'] },
          ],
        }),
      )
    ).Subnets![0]!;
    const vpce = async () =>
      (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnet.SubnetId!] }))).VpcEndpoint!
        .VpcEndpointId!;
    const first = await vpce();
    const registered = await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: first });
    assert.equal(registered.status, 201, registered.text);
    await row('AWS').locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    const second = await vpce();

    await row('AWS')
      .getByRole('button', { name: `Edit ${first}` })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Edit Private Endpoint' });
    assert.equal(await dialog.getByLabel('Your VPC Endpoint ID').inputValue(), first);
    await dialog.getByLabel('Your VPC Endpoint ID').fill(second);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row('AWS').locator('[data-column=endpoint]', { hasText: second }).waitFor();
    await row('AWS').locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    const left = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
      (r) => (r.json as { interfaceEndpoints: string[] }).interfaceEndpoints.length === 1,
      TIMEOUT,
    );
    assert.deepEqual((left.json as { interfaceEndpoints: string[] }).interfaceEndpoints, [second]);
    const states = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [first, second] }))).VpcEndpoints!.map((e) => [e.VpcEndpointId, e.State]);
    assert.deepEqual(Object.fromEntries(states), { [first]: 'rejected', [second]: 'available' }, 'the old endpoint is let go of, the new one accepted');
  });

  test("Edit shows the API's detail when it refuses the new endpoint and keeps the old one; Google Cloud rows offer no Edit", async () => {
    await row('AZURE')
      .getByRole('button', { name: /^Edit / })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Edit Private Endpoint' });
    await dialog.getByLabel('Private Endpoint Resource ID').fill('pe-atlas-3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/\(INVALID_ATTRIBUTE\)/).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row('AZURE').locator('[data-column=endpoint]', { hasText: 'pe-atlas-2' }).waitFor();
    await row('AZURE').locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    assert.equal(await row('GCP').getByRole('button', { name: /^Edit/ }).count(), 0);
    assert.equal(await row('GCP').getByRole('button', { name: 'Terminate' }).count(), 1);
  });

  test('Read Only sees the Azure and Google Cloud endpoints, and neither Edit nor Terminate', async () => {
    const made = await stack.owner.post(`${stack.project}/apiKeys`, { desc: 'providers read only', roles: ['GROUP_READ_ONLY'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const reader = await context.newPage();
      reader.setDefaultTimeout(TIMEOUT);
      await signIn(reader, stack.running.apiUrl + '/', key.publicKey, key.privateKey);
      await reader.locator('tr[data-provider=AZURE] [data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
      await reader.locator('tr[data-provider=GCP] [data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
      assert.equal(await reader.getByRole('button', { name: /^Edit/ }).count(), 0);
      assert.equal(await reader.getByRole('button', { name: 'Terminate' }).count(), 0);
      await expectAccessible(reader, 'Network Access, read only, Azure and Google Cloud');
    } finally {
      await context.close();
    }
  });
});
