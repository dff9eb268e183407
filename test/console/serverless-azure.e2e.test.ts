import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page, Route } from 'playwright-core';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { azureCommandArguments, azureCustomer, createAzurePrivateEndpoint, launchChromium, screenshot, seriousViolations, signIn, type AzureCustomer } from './support.js';

// Network Access → Private Endpoint → Serverless Instance for an instance on Azure, in Debian's
// Chromium against a whole privlink: the wizard offers the instances on the clouds privlink serves
// (not Google Cloud ones, which have no private endpoints), fills in Azure and the instance's
// region, Atlas reserves the private link service (RESERVATION_REQUESTED → RESERVED) while Copy
// waits, the generated `az network private-endpoint create` command is run with the official Azure
// SDK against the local cloud, the private endpoint's resource ID and IP address are registered
// (PATCH) and the row becomes Available. A registration Atlas does not accept shows the Azure note;
// Terminate removes the endpoint. Without Azure served, Azure instances are not offered.
let stack: Stack;
let browser: Browser;
let page: Page;
let azure: AzureCustomer;
const TIMEOUT = 60_000;

before(async () => {
  stack = await startStack();
  azure = azureCustomer(stack.bootstrap.localCloud!.azure!);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(TIMEOUT);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function expectAccessible(target: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(target), [], `axe-core on ${where}`);
}

const endpointsPath = (instance = 'AzureServerless') => `${stack.project}/privateEndpoint/serverless/instance/${instance}/endpoint`;

interface AzureTenantEndpoint {
  _id: string;
  status: string;
  providerName: string;
  endpointServiceName: string | null;
  privateLinkServiceResourceId: string | null;
  cloudProviderEndpointId: string | null;
  privateEndpointIpAddress: string | null;
  errorMessage: string | null;
}

async function createInstance(target: Stack, name: string, backingProviderName: string, regionName: string): Promise<void> {
  const created = await target.owner.post(`${target.project}/serverless`, {
    name,
    providerSettings: { backingProviderName, providerName: 'SERVERLESS', regionName },
  });
  assert.equal(created.status, 201, created.text);
}

describe('web console: serverless private endpoints on Azure', () => {
  let registered: { id: string; ip: string };
  let endpointId: string;

  test('the wizard offers the AWS and Azure instances, not the Google Cloud one; choosing the Azure one fills in Azure and eastus2', async () => {
    await createInstance(stack, 'AzureServerless', 'AZURE', 'US_EAST_2');
    await createInstance(stack, 'AwsServerless', 'AWS', 'US_EAST_1');
    await createInstance(stack, 'GcpServerless', 'GCP', 'CENTRAL_US');
    await until(
      () => stack.owner.get(`${stack.project}/serverless/AzureServerless`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
      TIMEOUT,
    );

    await signIn(page, stack.running.apiUrl + '/', stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await page.getByRole('heading', { name: /Network Access/ }).waitFor();
    await page.getByRole('button', { name: 'Serverless Instance' }).click();
    await page.getByText('No private endpoints for serverless instances yet. Click Add Private Endpoint to connect your AWS VPC or Azure VNet to an instance.').waitFor();

    await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
    const select = page.getByRole('combobox', { name: /^Serverless Instance/ });
    await select.waitFor();
    assert.deepEqual((await select.locator('option').allTextContents()).sort(), ['AwsServerless', 'AzureServerless'], 'a Google Cloud instance has no private endpoints');
    await select.selectOption('AwsServerless');
    assert.equal(await page.locator('[data-fact=provider]').textContent(), 'AWS');
    assert.equal(await page.locator('[data-fact=region]').textContent(), 'us-east-1');
    await page.getByText('2. Interface Endpoint').waitFor();
    await select.selectOption('AzureServerless');
    assert.equal(await page.locator('[data-fact=provider]').textContent(), 'Azure');
    assert.equal(await page.locator('[data-fact=region]').textContent(), 'eastus2');
    await page.getByText('2. Create Private Endpoint').waitFor();
    await page.getByText('your Azure VNet must be in eastus2').waitFor();
    await expectAccessible(page, 'serverless wizard, Azure instance');
    await screenshot(page, 'serverless-azure-01-instance');
  });

  test('Next: Atlas reserves the private link service; Copy waits for it; the az command names it; the SDK makes the private endpoint; resource ID + IP → Available', async () => {
    // Hold the wizard's reads of the new endpoint (unchanged, only later) so the step is seen before the service exists.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route) => {
      await held;
      await route.continue();
    };
    const endpointUrl = /\/privateEndpoint\/serverless\/instance\/AzureServerless\/endpoint\/[0-9a-f]{24}$/;
    await page.route(endpointUrl, hold);
    await page.getByRole('button', { name: 'Next' }).click();

    const banner = page.getByTestId('service-progress');
    await banner.waitFor();
    assert.match((await banner.textContent())!, /Atlas is creating the private link service in eastus2 \(Reservation Requested\)/);
    const copy = page.getByRole('button', { name: 'Copy Run this command with the Azure CLI' });
    await page.getByLabel('Resource Group Name').fill('rg-app');
    await page.getByLabel('Virtual Network Name').fill('vnet-app');
    await page.getByLabel('Subnet Name').fill('default');
    await page.getByLabel('Private Endpoint Name').fill('pe-serverless');
    const command = page.locator('pre', { hasText: 'az network private-endpoint create' });
    assert.match((await command.textContent())!, /--private-connection-resource-id <creating…> --connection-name <creating…>/);
    assert.equal(await copy.isDisabled(), true, 'Copy waits for the private link service');
    assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
    await page.getByText("You can't copy the command until Atlas finishes creating the private link service in the background.").waitFor();
    await expectAccessible(page, 'serverless wizard, Azure private endpoint step, reserving');
    release();
    await page.unrouteAll({ behavior: 'wait' });

    await page.getByText(/Atlas endpoint service ready in eastus2: pls_[0-9a-f]{24}/).waitFor();
    assert.equal(await copy.isEnabled(), true, 'Copy is enabled once the private link service exists');
    const [reserved] = (await stack.owner.get(endpointsPath())).json as AzureTenantEndpoint[];
    assert.equal(reserved!.status, 'RESERVED');
    assert.equal(reserved!.providerName, 'AZURE');
    endpointId = reserved!._id;
    const text = (await command.textContent())!;
    assert.equal(
      text.split('\n')[0],
      `az network private-endpoint create --resource-group rg-app --name pe-serverless --vnet-name vnet-app --subnet default --private-connection-resource-id ${reserved!.privateLinkServiceResourceId} --connection-name ${reserved!.endpointServiceName} --manual-request true`,
    );
    await expectAccessible(page, 'serverless wizard, Azure command');
    await screenshot(page, 'serverless-azure-02-command');

    // The customer runs the command (here with the Azure SDK against the local cloud).
    registered = await createAzurePrivateEndpoint(azure, azureCommandArguments(text), 'eastus2');

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Atlas Private Link Service').waitFor();
    assert.equal(await page.locator('pre', { hasText: /^pls_/ }).textContent(), reserved!.endpointServiceName);
    const create = page.getByRole('button', { name: 'Create' });
    await page.getByLabel('Private Endpoint Resource ID').fill(registered.id);
    assert.equal(await create.isDisabled(), true, 'the IP address is required too');
    await page.getByLabel('Private Endpoint IP Address').fill('10.1.0.400');
    await create.click();
    await page.getByText(/\(INVALID_ATTRIBUTE\)/).waitFor();
    assert.equal(((await stack.owner.get(`${endpointsPath()}/${endpointId}`)).json as AzureTenantEndpoint).status, 'RESERVED', 'a refused PATCH changes nothing');
    await page.getByLabel('Private Endpoint IP Address').fill(registered.ip);
    await expectAccessible(page, 'serverless wizard, Azure finalize');
    await screenshot(page, 'serverless-azure-03-finalize');
    await create.click();

    const row = page.locator(`tr[data-endpoint-id="${endpointId}"]`);
    await row.locator('[data-column=endpoint]', { hasText: registered.id }).waitFor();
    await row.locator('[data-column=status]', { hasText: 'Available' }).waitFor();
    assert.deepEqual((await row.locator('td').allTextContents()).slice(0, 4), ['AzureServerless', 'Azure', 'eastus2', reserved!.endpointServiceName]);
    await row.locator('[data-column=endpoint]', { hasText: `IP address ${registered.ip}` }).waitFor();
    const available = (await stack.owner.get(`${endpointsPath()}/${endpointId}`)).json as AzureTenantEndpoint;
    assert.equal(available.status, 'AVAILABLE');
    assert.equal(available.cloudProviderEndpointId, registered.id);
    assert.equal(available.privateEndpointIpAddress, registered.ip);
    const pe = await azure.network.privateEndpoints.get('rg-app', 'pe-serverless');
    assert.equal(pe.manualPrivateLinkServiceConnections![0]!.privateLinkServiceConnectionState!.status, 'Approved', 'privlink approved the connection on the customer side');
    await expectAccessible(page, 'Serverless Instance tab, Azure endpoint available');
    await screenshot(page, 'serverless-azure-04-available');
  });

  test('a registration Atlas does not accept: the row is Failed, says why, and that the private endpoint stays in the VNet', async () => {
    const reserved = await stack.owner.post(endpointsPath(), { comment: 'wrong endpoint' });
    assert.equal(reserved.status, 201, reserved.text);
    const otherId = (reserved.json as { _id: string })._id;
    await until(
      () => stack.owner.get(`${endpointsPath()}/${otherId}`),
      (r) => (r.json as { status: string }).status === 'RESERVED',
      TIMEOUT,
    );
    // A private endpoint to the first endpoint's private link service, registered with the second.
    const first = (await stack.owner.get(`${endpointsPath()}/${endpointId}`)).json as AzureTenantEndpoint;
    const wrong = await createAzurePrivateEndpoint(
      azure,
      {
        resourceGroup: 'rg-app',
        vnet: 'vnet-app',
        subnet: 'default',
        name: 'pe-wrong',
        privateLinkServiceId: first.privateLinkServiceResourceId!,
        connectionName: first.endpointServiceName!,
      },
      'eastus2',
    );
    const patched = await stack.owner.patch(`${endpointsPath()}/${otherId}`, { providerName: 'AZURE', cloudProviderEndpointId: wrong.id, privateEndpointIpAddress: wrong.ip });
    assert.equal(patched.status, 200, patched.text);
    const failed = await until(
      () => stack.owner.get(`${endpointsPath()}/${otherId}`),
      (r) => (r.json as { status: string }).status === 'FAILED',
      TIMEOUT,
    );
    const errorMessage = (failed.json as AzureTenantEndpoint).errorMessage;
    assert.ok(errorMessage, failed.text);

    const row = page.locator(`tr[data-endpoint-id="${otherId}"]`);
    await row.locator('[data-column=status]', { hasText: 'Failed' }).waitFor();
    await row.getByText(errorMessage).waitFor();
    await row.getByText('A rejected private endpoint stays in your VNet: delete it in your Azure subscription (az network private-endpoint delete).').waitFor();
    assert.equal(await page.getByText(/delete-vpc-endpoints/).count(), 0, 'no AWS wording on Azure rows');
    await expectAccessible(page, 'Serverless Instance tab, Azure endpoint failed');

    await row.getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('dialog').getByText('Your private endpoint in Azure stays in your VNet until you delete it there (az network private-endpoint delete).').waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await row.waitFor({ state: 'detached', timeout: 120_000 });
  });

  test('Terminate → Confirm removes the Available Azure endpoint', async () => {
    const row = page.locator(`tr[data-endpoint-id="${endpointId}"]`);
    await row.getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('dialog').getByText(`This removes the private endpoint ${registered.id} of AzureServerless.`, { exact: false }).waitFor();
    await expectAccessible(page, 'serverless Terminate dialog, Azure');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No private endpoints for serverless instances yet.').waitFor({ timeout: 120_000 });
    assert.deepEqual((await stack.owner.get(endpointsPath())).json, []);
  });
});

describe('web console: serverless instances on a cloud privlink does not serve', () => {
  test('with Azure not served, the wizard offers no Azure instance and says why', async () => {
    const narrow = await startStack({ PRIVLINK_AZURE: 'off', PRIVLINK_GCP: 'off' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      await createInstance(narrow, 'AzureServerless', 'AZURE', 'US_EAST_2');
      const other = await context.newPage();
      other.setDefaultTimeout(TIMEOUT);
      await signIn(other, narrow.running.apiUrl + '/', narrow.bootstrap.publicKey, narrow.bootstrap.privateKey);
      await other.getByRole('heading', { name: /Network Access/ }).waitFor();
      await other.getByRole('button', { name: 'Serverless Instance' }).click();
      await other.getByText('No private endpoints for serverless instances yet. Click Add Private Endpoint to connect your AWS VPC to an instance.').waitFor();
      await other.getByRole('button', { name: 'Add Private Endpoint' }).click();
      await other
        .getByText(
          'This project has no serverless instance on AWS. Create one first (Admin API or CLI). Private endpoints on Azure are not served by this privlink deployment: its Azure instances are not offered.',
        )
        .waitFor();
      assert.equal(
        await other
          .getByRole('combobox', { name: /^Serverless Instance/ })
          .locator('option')
          .count(),
        0,
      );
      assert.equal(await other.getByRole('button', { name: 'Next' }).isDisabled(), true);
      await expectAccessible(other, 'serverless wizard, Azure not served');
      const refused = await narrow.owner.post(`${narrow.project}/privateEndpoint/serverless/instance/AzureServerless/endpoint`, {});
      assert.equal((refused.json as { errorCode: string }).errorCode, 'PROVIDER_UNSUPPORTED', 'the API refuses what the wizard does not offer');
    } finally {
      await context.close();
      await narrow.close();
    }
  });
});
