import assert from 'node:assert/strict';
import { CreateVpcEndpointCommand, DescribeSubnetsCommand, DescribeVpcsCommand, RejectVpcEndpointConnectionsCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { enterDefaultVpc, launchChromium, screenshot, seriousViolations, signIn } from './support.js';

// The Private Endpoint table and the Add Private Endpoint wizard's region step, in Debian's
// Chromium against a whole privlink that serves AWS only (Azure and Google Cloud off): the wizard
// offers only the served clouds; two interface endpoints on one endpoint service are a row each,
// each with its own status, Edit and Terminate; a connection the service owner rejects in AWS (the
// local cloud, AWS SDK) shows Rejected with what to do; the region step explains Atlas's region
// rules and names a region the API would refuse, in the API's words, before Next.
let stack: Stack;
let browser: Browser;
let page: Page;
let serviceId: string;
let serviceName: string;
let first: string;
let second: string;
const TIMEOUT = 60_000;

before(async () => {
  stack = await startStack({ PRIVLINK_AZURE: 'off', PRIVLINK_GCP: 'off' });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function expectAccessible(where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page), [], `axe-core on ${where}`);
}

function endpointRow(endpointId: string): Locator {
  return page.locator(`tr[data-endpoint-id="${endpointId}"]`);
}

async function openWizard(): Promise<void> {
  await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
  // The wizard first reads the organization (payment information), then shows the providers.
  await page.getByRole('group', { name: 'Cloud Provider' }).getByRole('button', { name: 'AWS', exact: true }).waitFor();
}

/** A VPC endpoint of the customer's default VPC (subnet in us-east-1a) to the service, as `aws ec2 create-vpc-endpoint` makes it. */
async function vpcEndpoint(): Promise<string> {
  const ec2 = stack.customerEc2();
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
  const filters = [
    { Name: 'vpc-id', Values: [vpc.VpcId!] },
    { Name: 'availability-zone', Values: ['us-east-1a'] },
  ];
  const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets![0]!;
  const made = await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnet.SubnetId!] }));
  return made.VpcEndpoint!.VpcEndpointId!;
}

const servicePath = (id: string) => `${stack.project}/privateEndpoint/AWS/endpointService/${id}`;

describe('Private Endpoint table and region step', () => {
  test('a privlink serving only AWS: the session names it, the wizard offers only AWS and explains the region rules', async () => {
    await signIn(page, stack.running.apiUrl + '/', stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await page.getByRole('heading', { name: /Network Access/ }).waitFor();
    await page.getByText('No private endpoints yet. Click Add Private Endpoint to connect your AWS VPC to this project.').waitFor();
    const session = (await page.evaluate(() => fetch('/console/api/session').then((r) => r.json()))) as { providers: string[] };
    assert.deepEqual(session.providers, ['AWS']);

    await openWizard();
    assert.deepEqual(await page.getByRole('group', { name: 'Cloud Provider' }).getByRole('button').allTextContents(), ['AWS']);
    const rules = page.getByTestId('region-rules');
    await rules.getByText('AWS PrivateLink must be active in all regions into which you deploy a multi-region cluster.').waitFor();
    await rules
      .getByText(
        'If you create private endpoints in more than one region, you can’t create more than one private endpoint in each region. If you create more than one private endpoint in a single region, you can’t create private endpoints in other regions.',
      )
      .waitFor();
    await rules.getByText('You can use AWS PrivateLink in Atlas projects with up to 30 addressable targets per region.').waitFor();
    assert.equal(await page.getByTestId('region-refusal').count(), 0, 'nothing stands in the way of a first endpoint');
    await expectAccessible('wizard, AWS only, region rules');
    await screenshot(page, 'table-01-aws-only-region-rules');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('two interface endpoints on one endpoint service: a row each, both Available, each with its own Edit and Terminate', async () => {
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(created.status, 201, created.text);
    serviceId = (created.json as { id: string }).id;
    const ready = await until(
      () => stack.owner.get(servicePath(serviceId)),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
      TIMEOUT,
    );
    serviceName = (ready.json as { endpointServiceName: string }).endpointServiceName;
    first = await vpcEndpoint();
    second = await vpcEndpoint();
    const registered = await stack.owner.post(`${servicePath(serviceId)}/endpoint`, { id: first });
    assert.equal(registered.status, 201, registered.text);
    await endpointRow(first).locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();

    // The second one through the wizard, which reuses the region's service.
    await openWizard();
    await page.getByLabel('Region').selectOption('us-east-1');
    assert.equal(await page.getByTestId('region-refusal').count(), 0, 'several endpoints in one region are allowed');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText(`Atlas endpoint service ready in us-east-1: ${serviceName}`).waitFor();
    await enterDefaultVpc(page, stack.customerEc2());
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your VPC Endpoint ID').fill(second);
    await page.getByRole('button', { name: 'Create' }).click();

    await endpointRow(second).locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    await endpointRow(first).locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    assert.equal(await page.locator(`tr[data-service-id="${serviceId}"]`).count(), 2, 'one row per interface endpoint of the service');
    for (const id of [first, second]) {
      assert.equal(await endpointRow(id).locator('[data-column=endpoint]').textContent(), id);
      assert.equal(await endpointRow(id).locator('[data-column=service-status]').textContent(), 'Available');
      assert.equal(
        await endpointRow(id)
          .getByRole('button', { name: `Edit ${id}` })
          .count(),
        1,
      );
      assert.equal(
        await endpointRow(id)
          .getByRole('button', { name: `Terminate ${id}` })
          .count(),
        1,
      );
    }
    const service = (await stack.owner.get(servicePath(serviceId))).json as { interfaceEndpoints: string[] };
    assert.deepEqual([...service.interfaceEndpoints].sort(), [first, second].sort());
    await expectAccessible('Network Access, two endpoints on one service');
    await screenshot(page, 'table-02-two-endpoints');
  });

  test("the region step names a region the API would refuse, in the API's words, and Next waits; regionalized mode lifts the rule", async () => {
    // What the API answers for an endpoint in us-west-2 while us-east-1 has two.
    const west = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-west-2' });
    assert.equal(west.status, 201, west.text);
    const westId = (west.json as { id: string }).id;
    const refused = await stack.owner.post(`${servicePath(westId)}/endpoint`, { id: 'vpce-0123456789abcdef0' });
    assert.equal(refused.status, 409, refused.text);
    const answer = refused.json as { detail: string; errorCode: string };
    assert.equal(answer.errorCode, 'PRIVATE_ENDPOINT_SINGLE_REGION_LIMIT');

    await openWizard();
    const next = page.getByRole('button', { name: 'Next' });
    await page.getByLabel('Region').selectOption('us-west-2');
    const refusal = page.getByTestId('region-refusal');
    await refusal.waitFor();
    assert.equal(await refusal.textContent(), `${answer.detail} (${answer.errorCode})`);
    assert.equal(await next.isDisabled(), true, 'Next waits for a region the API accepts');
    await expectAccessible('wizard, region refused');
    await screenshot(page, 'table-03-region-refused');
    await page.getByLabel('Region').selectOption('us-east-1');
    await refusal.waitFor({ state: 'detached' });
    assert.equal(await next.isEnabled(), true);
    await page.getByRole('button', { name: 'Cancel' }).click();

    const regional = await stack.owner.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: true });
    assert.equal(regional.status, 202, regional.text);
    try {
      await openWizard();
      await page.getByTestId('region-rules').getByText('Regionalized private endpoints are enabled for this project').waitFor();
      await page.getByLabel('Region').selectOption('us-west-2');
      assert.equal(await page.getByTestId('region-refusal').count(), 0);
      assert.equal(await next.isEnabled(), true, 'regionalized: any region may have endpoints');
      await page.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      const back = await stack.owner.patch(`${stack.project}/privateEndpoint/regionalMode`, { enabled: false });
      assert.equal(back.status, 202, back.text);
    }
  });

  test('a connection the service owner rejects in AWS: that row shows Rejected and what to do in AWS; the other row stays Available', async () => {
    const provider = stack.providerEc2();
    const rejected = await provider.send(new RejectVpcEndpointConnectionsCommand({ ServiceId: serviceName.split('.').pop()!, VpcEndpointIds: [second] }));
    assert.deepEqual(rejected.Unsuccessful ?? [], []);
    const status = endpointRow(second).locator('[data-column=endpoint-status]');
    await status.getByText('Rejected', { exact: true }).waitFor();
    await status.getByText('A rejected endpoint stays in your VPC: delete it in your AWS account (aws ec2 delete-vpc-endpoints).').waitFor();
    await status.getByText(new RegExp(`The connection from ${second} to .* is rejected in AWS`)).waitFor();
    await endpointRow(first).locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    assert.equal(
      await endpointRow(first)
        .getByText(/rejected/i)
        .count(),
      0,
      'the note is on the rejected row only',
    );
    await expectAccessible('Network Access, a rejected endpoint');
    await screenshot(page, 'table-04-rejected');
  });

  test('Terminate on one of two rows removes that endpoint only; the service and the other row stay', async () => {
    await endpointRow(second)
      .getByRole('button', { name: `Terminate ${second}` })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`This removes the private endpoint ${second}; the Atlas endpoint service in US_EAST_1 and its other private endpoints stay.`).waitFor();
    await expectAccessible('Terminate dialog, one of two endpoints');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await endpointRow(second).waitFor({ state: 'detached', timeout: 120_000 });
    const left = await until(
      () => stack.owner.get(servicePath(serviceId)),
      (r) => (r.json as { interfaceEndpoints: string[] }).interfaceEndpoints.length === 1,
      TIMEOUT,
    );
    assert.deepEqual((left.json as { interfaceEndpoints: string[] }).interfaceEndpoints, [first]);
    assert.equal((left.json as { status: string }).status, 'AVAILABLE', 'the service stays');
    await endpointRow(first).locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
  });

  test('a service without endpoints is one row with —; its Terminate removes the service', async () => {
    const westId = ((await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService`)).json as Array<{ id: string; regionName: string }>).find(
      (s) => s.regionName === 'US_WEST_2',
    )!.id;
    const row = page.locator(`tr[data-service-id="${westId}"]`);
    assert.equal(await row.count(), 1);
    assert.equal(await row.locator('[data-column=endpoint]').textContent(), '—');
    assert.equal(await row.locator('[data-column=endpoint-status]').textContent(), '—');
    await row.getByRole('button', { name: 'Terminate the endpoint service in US_WEST_2' }).click();
    await page.getByRole('dialog').getByText('This removes the Atlas endpoint service in US_WEST_2.').waitFor();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await row.waitFor({ state: 'detached', timeout: 120_000 });
    await until(
      () => stack.owner.get(servicePath(westId)),
      (r) => r.status === 404,
      TIMEOUT,
    );
    assert.equal(await endpointRow(first).count(), 1, 'the other service keeps its row');
  });
});
