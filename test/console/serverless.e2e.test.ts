import assert from 'node:assert/strict';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { customerEndpoint } from '../support/customer-vpc.js';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn, enterDefaultVpc } from './support.js';

// Network Access → Private Endpoint → Serverless Instance in Debian's Chromium against a whole
// privlink: choose the instance (provider and region filled in), Atlas reserves the endpoint
// service while the wizard waits, the generated command, the customer's interface endpoint made
// with the AWS SDK on the local cloud, the endpoint ID → Available, a Project Read Only key that
// sees every endpoint and status and no Add, Edit or Terminate, Terminate → Confirm → gone.
let stack: Stack;
let browser: Browser;
let page: Page;
let vpce: string;
const TIMEOUT = 60_000;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(TIMEOUT);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function expectAccessible(where: string): Promise<void> {
  await expectAccessibleOn(page, where);
}

async function expectAccessibleOn(target: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(target), [], `axe-core on ${where}`);
}

const endpointsPath = () => `${stack.project}/privateEndpoint/serverless/instance/Serverless0/endpoint`;

describe('web console: serverless instance private endpoints', () => {
  test('Add Private Endpoint for a serverless instance: instance → reserved service → command → endpoint ID → Available', async () => {
    const created = await stack.owner.post(`${stack.project}/serverless`, {
      name: 'Serverless0',
      providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
    });
    assert.equal(created.status, 201, created.text);
    await until(
      () => stack.owner.get(`${stack.project}/serverless/Serverless0`),
      (r) => (r.json as { stateName: string }).stateName === 'IDLE',
      TIMEOUT,
    );

    await signIn(page, stack.running.apiUrl + '/', stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await page.getByRole('heading', { name: /Network Access/ }).waitFor();
    await page.getByRole('button', { name: 'Serverless Instance' }).click();
    await page.getByText('No private endpoints for serverless instances yet.').waitFor();
    await expectAccessible('Serverless Instance tab, empty');

    await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
    await page.getByRole('combobox', { name: /^Serverless Instance/ }).selectOption('Serverless0');
    assert.equal(await page.locator('[data-fact=provider]').textContent(), 'AWS');
    assert.equal(await page.locator('[data-fact=region]').textContent(), 'us-east-1');
    await expectAccessible('serverless wizard, instance');
    await page.getByRole('button', { name: 'Next' }).click();

    const command = page.locator('pre', { hasText: 'aws ec2 create-vpc-endpoint' });
    await command.waitFor();
    const copy = page.getByRole('button', { name: 'Copy Run this command with the AWS CLI' });
    const ec2 = stack.customerEc2();
    await enterDefaultVpc(page, ec2);
    await page.getByText(/Atlas endpoint service ready in us-east-1/).waitFor();
    assert.equal(await copy.isEnabled(), true, 'Copy is enabled once the service is reserved');
    const text = (await command.textContent())!;
    const serviceName = /--service-name (com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17})/.exec(text)?.[1];
    assert.ok(serviceName, text);
    const [reserved] = (await stack.owner.get(endpointsPath())).json as Array<{ _id: string; status: string; endpointServiceName: string }>;
    assert.equal(reserved!.status, 'RESERVED');
    assert.equal(reserved!.endpointServiceName, serviceName, 'the command names the service Atlas reserved for the instance');
    await expectAccessible('serverless wizard, interface endpoint');
    await screenshot(page, '11-serverless-wizard-command');

    vpce = await customerEndpoint(ec2, serviceName, { openToVpc: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your VPC Endpoint ID').fill(vpce);
    await page.getByRole('button', { name: 'Create' }).click();

    const row = page.locator('tr', { hasText: vpce });
    await row.waitFor();
    await row.locator('[data-column=status]', { hasText: 'Available' }).waitFor();
    assert.equal(await row.locator('td').first().textContent(), 'Serverless0');
    const state = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }))).VpcEndpoints![0]!.State;
    assert.equal(state, 'available');
    await expectAccessible('Serverless Instance tab, endpoint available');
    await screenshot(page, '12-serverless-endpoint-available');
  });

  test('Project Read Only sees the endpoints and their statuses, and no Add, Edit or Terminate', async () => {
    // A second endpoint, reserved through the API and left waiting for the customer.
    const reserved = await stack.owner.post(endpointsPath(), { comment: 'waiting for the customer' });
    assert.equal(reserved.status, 201, reserved.text);
    const reservedId = (reserved.json as { _id: string })._id;
    await until(
      () => stack.owner.get(`${endpointsPath()}/${reservedId}`),
      (r) => (r.json as { status: string }).status === 'RESERVED',
      TIMEOUT,
    );
    const made = await stack.owner.post(`${stack.project}/apiKeys`, { desc: 'serverless read only', roles: ['GROUP_READ_ONLY'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const reader = await context.newPage();
      reader.setDefaultTimeout(TIMEOUT);
      await signIn(reader, stack.running.apiUrl + '/', key.publicKey, key.privateKey);
      await reader.getByRole('heading', { name: /Network Access/ }).waitFor();
      await reader.getByRole('button', { name: 'Serverless Instance' }).click();
      const available = reader.locator('tr', { hasText: vpce });
      await available.locator('[data-column=status]', { hasText: 'Available' }).waitFor();
      assert.deepEqual((await available.locator('td').allTextContents()).slice(0, 3), ['Serverless0', 'AWS', 'us-east-1']);
      const waiting = reader.locator(`tr[data-endpoint-id="${reservedId}"]`);
      await waiting.locator('[data-column=status]', { hasText: 'Reserved' }).waitFor();
      await waiting.getByText('Waiting for the interface endpoint: a Project Owner registers its ID.').waitFor();
      await reader.getByText(/Your role in this project is read-only/).waitFor();
      assert.deepEqual(await reader.getByRole('columnheader').allTextContents(), [
        'Serverless Instance',
        'Cloud Provider',
        'Region',
        'Atlas Endpoint Service',
        'Endpoint',
        'Status',
      ]);
      for (const name of [/Add/, /Edit/, /Terminate/]) assert.equal(await reader.getByRole('button', { name }).count(), 0, `no ${String(name)} button for Project Read Only`);
      await expectAccessibleOn(reader, 'Serverless Instance tab, read only');
      await screenshot(reader, '13-serverless-read-only');
    } finally {
      await context.close();
    }
    const deleted = await stack.owner.delete(`${endpointsPath()}/${reservedId}`);
    assert.equal(deleted.status, 204, deleted.text);
    await until(
      () => stack.owner.get(endpointsPath()),
      (r) => (r.json as unknown[]).length === 1,
      120_000,
    );
  });

  test('Terminate → Confirm: the serverless private endpoint is deleted', async () => {
    await page.locator('tr', { hasText: vpce }).getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('dialog').getByText('Terminate private endpoint?').waitFor();
    await expectAccessible('serverless Terminate dialog');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('No private endpoints for serverless instances yet.').waitFor({ timeout: 120_000 });
    const left = await stack.owner.get(endpointsPath());
    assert.deepEqual(left.json, []);
  });
});
