import assert from 'node:assert/strict';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { AppServicesClient } from '../support/appservices-client.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { startStack, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn, enterDefaultVpc } from './support.js';

// App Services → an app → App Settings → Private Endpoints in Debian's Chromium against a whole
// privlink: the app made through the App Services Admin API; Add Private Endpoint (General), the
// generated command to the general endpoint service, the customer's interface endpoint made with
// the AWS SDK on the local cloud while the wizard waits, its ID, the restrict-access toggle, Finish
// → listed Available; Restrict Access; then a Sync endpoint to the sync endpoint service the same
// way; Read Only sees no write buttons; Delete (Sync, then General) → gone, rejected.
let stack: Stack;
let browser: Browser;
let page: Page;
let v3: AppServicesClient;
let appId: string;
let vpce: string;
let syncVpce: string;
const TIMEOUT = 60_000;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(TIMEOUT);
  v3 = new AppServicesClient(stack.running.apiUrl);
  assert.equal((await v3.login(stack.bootstrap.publicKey, stack.bootstrap.privateKey)).status, 200);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function expectAccessible(p: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(p), [], `axe-core on ${where}`);
}

const appPath = () => `/groups/${stack.projectId}/apps/${appId}`;

async function waitFor<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('web console: App Services private endpoints', () => {
  test('Add Private Endpoint (General): type → command → VPC endpoint ID → restrict access → Finish → Available', async () => {
    const created = await v3.post(`/groups/${stack.projectId}/apps`, { name: 'ConsoleApp', provider_region: 'aws-us-east-1' });
    assert.equal(created.status, 201, created.text);
    appId = (created.json as { _id: string })._id;

    await signIn(page, stack.running.apiUrl + '/', stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'App Services' }).click();
    await page.getByRole('heading', { name: /App Services/ }).waitFor();
    await page.locator('tr', { hasText: 'ConsoleApp' }).waitFor();
    await expectAccessible(page, 'App Services, apps');
    await page.getByRole('link', { name: 'App Settings of ConsoleApp' }).click();
    await page.getByRole('heading', { name: 'App Settings — ConsoleApp' }).waitFor();
    await page.getByRole('tab', { name: 'Private Endpoints' }).waitFor();
    await page.getByText('This app has no private endpoints yet.').waitFor();
    await expectAccessible(page, 'App Settings → Private Endpoints, empty');

    await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
    await page.getByRole('radio', { name: /^General/ }).check();
    await page.getByRole('combobox', { name: 'Region' }).selectOption('aws-us-east-1');
    await expectAccessible(page, 'app wizard, endpoint type');
    await page.getByRole('button', { name: 'Next' }).click();

    const ec2 = stack.customerEc2();
    const { vpc, subnet } = await enterDefaultVpc(page, ec2);
    await page.getByText(/General endpoint service ready in us-east-1/).waitFor();
    const copy = page.getByRole('button', { name: 'Copy Run this command with the AWS CLI' });
    assert.equal(await copy.isEnabled(), true, 'Copy is enabled once the service exists');
    const text = (await page.locator('pre', { hasText: 'aws ec2 create-vpc-endpoint' }).textContent())!;
    assert.match(text, new RegExp(`--vpc-id ${vpc.VpcId!} --region us-east-1 `));
    assert.match(text, new RegExp(`--subnet-ids ${subnet.SubnetId!}$`));
    const serviceName = /--service-name (com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17})/.exec(text)?.[1];
    assert.ok(serviceName, text);
    const infos = (await v3.get(`${appPath()}/security/private_endpoint_service_infos`)).json as Array<{ service_name: string; endpoint_type: string }>;
    assert.equal(infos.find((i) => i.endpoint_type === 'general')?.service_name, serviceName, 'the command names the general endpoint service');
    await expectAccessible(page, 'app wizard, interface endpoint');
    await screenshot(page, '21-appservices-wizard-command');

    // The customer runs the command (here with the AWS SDK) while the wizard waits.
    vpce = await customerEndpoint(ec2, serviceName, { openToVpc: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your VPC Endpoint ID').fill(vpce);
    await page.getByRole('button', { name: 'Next' }).click();
    const toggle = page.getByRole('switch', { name: /restrict access/ });
    assert.equal(await toggle.isChecked(), true, 'restricted by default, as App Services');
    await expectAccessible(page, 'app wizard, restrict access');
    await toggle.press('Space');
    assert.equal(await toggle.isChecked(), false, 'the toggle works from the keyboard');
    await page.getByRole('button', { name: 'Finish Endpoint Creation' }).click();

    const row = page.locator('tr', { hasText: vpce });
    await row.waitFor();
    await row.locator('[data-column=status]', { hasText: 'Available' }).waitFor();
    await page.locator('[data-fact=access]', { hasText: 'Access: open' }).waitFor();
    const allow = await v3.get(`${appPath()}/security/allow_non_vpc_client_requests`);
    assert.deepEqual(allow.json, { allow_non_vpc_client_requests: true }, 'the toggle left off opens access');
    const state = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }))).VpcEndpoints![0]!.State;
    assert.equal(state, 'available');
    await expectAccessible(page, 'App Settings → Private Endpoints, endpoint available');
    await screenshot(page, '22-appservices-endpoint-available');
  });

  test('Restrict Access: only requests through private endpoints', async () => {
    await page.getByRole('button', { name: 'Restrict Access' }).click();
    const toggle = page.getByRole('dialog').getByRole('switch', { name: /restrict access/ });
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), false);
    await toggle.check();
    await expectAccessible(page, 'Restrict Access dialog');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-fact=access]', { hasText: 'Access: restricted' }).waitFor();
    const allow = await v3.get(`${appPath()}/security/allow_non_vpc_client_requests`);
    assert.deepEqual(allow.json, { allow_non_vpc_client_requests: false });
  });

  test('an API error is shown as the API words it', async () => {
    await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(/General endpoint service ready/).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your VPC Endpoint ID').fill(vpce);
    await page.getByRole('button', { name: 'Finish Endpoint Creation' }).click();
    await page
      .getByRole('dialog')
      .getByText(/PrivateEndpointExists/)
      .waitFor();
    await page.getByRole('button', { name: 'Back' }).press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  test('Add Private Endpoint (Sync), next to the General one: type → command to the sync service → VPC endpoint ID → Finish → listed Available', async () => {
    await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
    await page.getByRole('radio', { name: /^Sync/ }).check();
    await page.getByRole('combobox', { name: 'Region' }).selectOption('aws-us-east-1');
    await expectAccessible(page, 'app wizard, Sync endpoint type');
    await page.getByRole('button', { name: 'Next' }).click();

    const ec2 = stack.customerEc2();
    const { vpc, subnet } = await enterDefaultVpc(page, ec2);
    await page.getByText(/Sync endpoint service ready in us-east-1/).waitFor();
    const text = (await page.locator('pre', { hasText: 'aws ec2 create-vpc-endpoint' }).textContent())!;
    assert.match(text, new RegExp(`--vpc-id ${vpc.VpcId!} --region us-east-1 `));
    assert.match(text, new RegExp(`--subnet-ids ${subnet.SubnetId!}$`));
    const serviceName = /--service-name (com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17})/.exec(text)?.[1];
    assert.ok(serviceName, text);
    const infos = (await v3.get(`${appPath()}/security/private_endpoint_service_infos`)).json as Array<{ service_name: string; endpoint_type: string }>;
    assert.equal(infos.find((i) => i.endpoint_type === 'sync')?.service_name, serviceName, 'the command names the sync endpoint service');
    assert.notEqual(infos.find((i) => i.endpoint_type === 'general')?.service_name, serviceName, 'not the general one');
    await expectAccessible(page, 'app wizard, Sync interface endpoint');

    // The default security group already admits the VPC (the General endpoint's step opened it).
    syncVpce = await customerEndpoint(ec2, serviceName);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your VPC Endpoint ID').fill(syncVpce);
    assert.equal(await page.getByRole('switch', { name: /restrict access/ }).count(), 0, 'not the first endpoint: no restrict-access step');
    await page.getByRole('button', { name: 'Finish Endpoint Creation' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    const row = page.locator('tr', { hasText: syncVpce });
    await row.locator('[data-column=status]', { hasText: 'Available' }).waitFor();
    assert.equal(await row.locator('td').nth(1).textContent(), 'Sync');
    assert.equal(await page.locator('tr', { hasText: vpce }).locator('td').nth(1).textContent(), 'General', 'the General endpoint stays listed');
    const listed = (await v3.get(`${appPath()}/security/private_endpoints`)).json as Array<{ cloud_provider_endpoint_id: string; endpoint_type: string }>;
    assert.deepEqual(
      listed.map((e) => [e.cloud_provider_endpoint_id, e.endpoint_type]).sort(),
      [
        [syncVpce, 'sync'],
        [vpce, 'general'],
      ].sort(),
    );
    const state = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [syncVpce] }))).VpcEndpoints![0]!.State;
    assert.equal(state, 'available');
    await expectAccessible(page, 'App Settings → Private Endpoints, General and Sync');
    await screenshot(page, '24-appservices-sync-endpoint');
  });

  test('the console session reaches the App Services API only with its CSRF token on writes', async () => {
    const session = (await page.context().cookies()).find((c) => c.name === 'privlink_session');
    assert.ok(session, 'the console session cookie');
    const url = `${v3.base}${appPath()}/security/allow_non_vpc_client_requests`;
    const cookie = `privlink_session=${session.value}`;
    const read = await fetch(url, { headers: { cookie } });
    assert.equal(read.status, 200, 'a read needs only the session');
    const body = JSON.stringify({ allow_non_vpc_client_requests: true });
    const noCsrf = await fetch(url, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
    assert.equal(noCsrf.status, 403, 'a write without the CSRF token is refused');
    assert.equal(((await noCsrf.json()) as { error_code: string }).error_code, 'Forbidden');
    const forged = await fetch(url, { headers: { cookie: `privlink_session=${'A'.repeat(43)}` } });
    assert.equal(forged.status, 401);
    assert.equal(((await forged.json()) as { error_code: string }).error_code, 'InvalidSession');
    assert.deepEqual((await v3.get(`${appPath()}/security/allow_non_vpc_client_requests`)).json, { allow_non_vpc_client_requests: false }, 'nothing changed');
  });

  test('Read Only sees the app endpoints and no write buttons', async () => {
    const made = await stack.owner.post(`${stack.project}/apiKeys`, { desc: 'console read only', roles: ['GROUP_READ_ONLY'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const reader = await context.newPage();
      reader.setDefaultTimeout(TIMEOUT);
      await signIn(reader, stack.running.apiUrl + `/v2/${stack.projectId}/appServices/${appId}/settings/privateEndpoints`, key.publicKey, key.privateKey);
      await reader.locator('tr', { hasText: vpce }).locator('[data-column=status]', { hasText: 'Available' }).waitFor();
      await reader.getByText(/Your role in this project is read-only/).waitFor();
      for (const name of ['Add Private Endpoint', 'Restrict Access', `Delete ${vpce}`]) {
        assert.equal(await reader.getByRole('button', { name }).count(), 0, `no ${name} button`);
      }
      await expectAccessible(reader, 'App Settings → Private Endpoints, read only');
      await screenshot(reader, '23-appservices-read-only');
    } finally {
      await context.close();
    }
  });

  test('Delete → the Sync endpoint, then the General one, are gone and their connections rejected', async () => {
    await page.getByRole('button', { name: `Delete ${syncVpce}` }).click();
    await page.getByRole('dialog').getByText('Delete private endpoint?').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator('tr', { hasText: syncVpce }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: `Delete ${vpce}` }).click();
    await page.getByRole('dialog').getByText('Delete private endpoint?').waitFor();
    await expectAccessible(page, 'app endpoint Delete dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByText('This app has no private endpoints yet.').waitFor();
    assert.deepEqual((await v3.get(`${appPath()}/security/private_endpoints`)).json, []);
    const ec2 = stack.customerEc2();
    for (const id of [syncVpce, vpce]) {
      await waitFor(async () => {
        const state = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] }))).VpcEndpoints![0]!.State;
        return String(state).toLowerCase() === 'rejected' ? state : undefined;
      }, `the customer endpoint ${id} to be rejected`);
    }
  });
});
