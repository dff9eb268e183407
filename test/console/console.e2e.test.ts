import assert from 'node:assert/strict';
import { CreateVpcEndpointCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { MongoClient, MongoServerError } from 'mongodb';
import { privateDns } from '../support/driver-dns.js';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn as signInWithKey, enterDefaultVpc } from './support.js';
import { openDefaultGroupToVpc } from '../support/customer-vpc.js';

// The web console in Debian's Chromium against a whole privlink on free ports: sign-in with an API
// key (server-side session), Security → Network Access → Private Endpoint, the Add Private Endpoint
// wizard for AWS with the customer's step done through the local cloud (AWS SDK) while the wizard
// waits, statuses live in the table, Read Only without write buttons, Terminate → Confirm → gone.
let stack: Stack;
let browser: Browser;
let owner: BrowserContext;
let page: Page;
let vpce: string;
const TIMEOUT = 60_000;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
  owner = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await owner.newPage();
  page.setDefaultTimeout(TIMEOUT);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function signIn(target: Page, publicKey: string, privateKey: string): Promise<void> {
  await signInWithKey(target, stack.running.apiUrl + '/', publicKey, privateKey);
}

async function expectAccessible(target: Page, where: string): Promise<void> {
  const violations = await seriousViolations(target);
  assert.deepEqual(violations, [], `axe-core on ${where}`);
}

describe('web console', () => {
  test('served at / with security headers; API paths keep their Atlas errors', async () => {
    const home = await fetch(stack.running.apiUrl + '/', { headers: { accept: 'text/html' } });
    assert.equal(home.status, 200);
    assert.match(home.headers.get('content-type') ?? '', /text\/html/);
    assert.match(home.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(home.headers.get('x-frame-options'), 'DENY');
    assert.match(await home.text(), /<div id="root">/);
    const deep = await fetch(`${stack.running.apiUrl}/v2/${stack.projectId}/security/network/privateEndpoint`, { headers: { accept: 'text/html' } });
    assert.equal(deep.status, 200, 'a console page path answers the console (client-side routing)');
    const api = await fetch(stack.running.apiUrl + '/api/atlas/v2/nothing/here', { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { errorCode: string }).errorCode, 'RESOURCE_NOT_FOUND');
    const unauthenticated = await fetch(stack.running.apiUrl + '/console/api/session');
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.headers.get('www-authenticate'), null, 'no Digest challenge, so browsers show no prompt');
  });

  test('a wrong private key is refused with the API error; the right one signs in to a server-side session', async () => {
    await signIn(page, stack.bootstrap.publicKey, '00000000-0000-0000-0000-000000000000');
    await page.getByText('You are not authorized for this resource.').waitFor();
    await expectAccessible(page, 'sign-in');
    await screenshot(page, '01-sign-in');
    await page.getByLabel('Private Key').fill(stack.bootstrap.privateKey);
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('heading', { name: /Network Access/ }).waitFor();
    assert.match(page.url(), new RegExp(`/v2/${stack.projectId}/security/network/privateEndpoint$`));
    const cookies = await owner.cookies();
    const session = cookies.find((c) => c.name === 'privlink_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    const stored = (await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')) as string;
    assert.ok(!stored.includes(stack.bootstrap.privateKey), 'nothing secret in web storage');
    assert.equal(await page.evaluate('document.cookie'), '', 'the session cookie is not readable by scripts');

    // Writes without the CSRF token are refused, even with the session cookie.
    const cookie = `privlink_session=${session.value}`;
    const forged = await fetch(`${stack.running.apiUrl}/api/atlas/v2/groups/${stack.projectId}/privateEndpoint/endpointService`, {
      method: 'POST',
      headers: { cookie, accept: 'application/vnd.atlas.2023-01-01+json', 'content-type': 'application/json' },
      body: JSON.stringify({ providerName: 'AWS', region: 'us-east-1' }),
    });
    assert.equal(forged.status, 403);
    assert.equal(((await forged.json()) as { errorCode: string }).errorCode, 'CONSOLE_CSRF_TOKEN_INVALID');
    const read = await fetch(`${stack.running.apiUrl}/api/atlas/v2/groups/${stack.projectId}/privateEndpoint/AWS/endpointService`, {
      headers: { cookie, accept: 'application/vnd.atlas.2023-01-01+json' },
    });
    assert.equal(read.status, 200, 'reads with the session cookie need no CSRF token');
  });

  test('Add Private Endpoint: region → Atlas creates the service → VPC + subnets → command → endpoint ID → Available', async () => {
    await page.getByRole('tab', { name: 'Private Endpoint' }).waitFor();
    await page.getByText('No private endpoints yet.').waitFor();
    await expectAccessible(page, 'Network Access, empty');
    await page.getByRole('button', { name: 'Add Private Endpoint' }).click();
    await page.getByLabel('Region').selectOption('us-east-1');
    await expectAccessible(page, 'wizard, provider and region');
    await screenshot(page, '02-wizard-region');
    await page.getByRole('button', { name: 'Next' }).click();

    // While Atlas creates the service, the command shows no service name and Copy is disabled.
    const command = page.locator('pre', { hasText: 'aws ec2 create-vpc-endpoint' });
    await command.waitFor();
    const copy = page.getByRole('button', { name: 'Copy Run this command with the AWS CLI' });
    assert.equal(await copy.isDisabled(), true, 'Copy is disabled until the service exists and the VPC is entered');
    const ec2 = stack.customerEc2();
    const { vpc, subnet } = await enterDefaultVpc(page, ec2);
    await page.getByText(/does not support the availability zone of the subnet/).waitFor();

    // The service becomes AVAILABLE: its name appears in the command and Copy is enabled.
    await page.getByText(/Atlas endpoint service ready in us-east-1/).waitFor();
    assert.equal(await copy.isEnabled(), true, 'Copy is enabled once the service exists');
    const text = (await command.textContent())!;
    const serviceName = /--service-name (com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17})/.exec(text)?.[1];
    assert.ok(serviceName, text);
    assert.match(
      text,
      new RegExp(
        `aws ec2 create-vpc-endpoint --vpc-id ${vpc.VpcId} --region us-east-1 --service-name ${serviceName} --vpc-endpoint-type Interface --subnet-ids ${subnet.SubnetId}`,
      ),
    );
    await expectAccessible(page, 'wizard, interface endpoint');
    await screenshot(page, '03-wizard-command');

    // The customer runs the command (here with the AWS SDK against the local cloud).
    // The default security group (attached to the endpoint) admits the VPC's own clients.
    const groupId = await openDefaultGroupToVpc(ec2, vpc);
    const created = await ec2.send(
      new CreateVpcEndpointCommand({ VpcId: vpc.VpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnet.SubnetId!], SecurityGroupIds: [groupId] }),
    );
    vpce = created.VpcEndpoint!.VpcEndpointId!;
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Your VPC Endpoint ID').fill('vpce-nonsense');
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .locator('[role=alert], .error, [data-lgid]')
      .filter({ hasText: /INVALID|invalid|Invalid/ })
      .first()
      .waitFor();
    await page.getByLabel('Your VPC Endpoint ID').fill(vpce);
    await screenshot(page, '04-wizard-endpoint-id');
    await page.getByRole('button', { name: 'Create' }).click();

    const row = page.locator('tr', { hasText: vpce });
    await row.waitFor();
    await row.locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
    await row.locator('[data-column=service-status]', { hasText: 'Available' }).waitFor();
    const state = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }))).VpcEndpoints![0]!.State;
    assert.equal(state, 'available', 'privlink accepted the connection on the customer side too');
    await expectAccessible(page, 'Network Access, endpoint available');
    await screenshot(page, '05-endpoint-available');
  });

  test('Read Only sees the statuses and no write buttons (on a narrow window)', async () => {
    const made = await stack.owner.post(`${stack.project}/apiKeys`, { desc: 'console read only', roles: ['GROUP_READ_ONLY'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };
    // On a narrow window (a phone's width): the layout stacks and the table scrolls.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const reader = await context.newPage();
      reader.setDefaultTimeout(TIMEOUT);
      await signIn(reader, key.publicKey, key.privateKey);
      await reader.getByRole('heading', { name: /Network Access/ }).waitFor();
      await reader.locator('[data-column=endpoint-status]', { hasText: 'Available' }).waitFor();
      await reader.getByText(/Your role in this project is read-only/).waitFor();
      assert.equal(await reader.getByRole('button', { name: 'Add Private Endpoint' }).count(), 0);
      assert.equal(await reader.getByRole('button', { name: 'Terminate' }).count(), 0);
      await expectAccessible(reader, 'Network Access, read only');
      await screenshot(reader, '06-read-only');
    } finally {
      await context.close();
    }
  });

  test('an Organization Owner without a project role is told, as the API says, to add itself to the project', async () => {
    const made = await stack.owner.post(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/apiKeys`, { desc: 'console org owner', roles: ['ORG_OWNER'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const orgOwner = await context.newPage();
      orgOwner.setDefaultTimeout(TIMEOUT);
      await signIn(orgOwner, key.publicKey, key.privateKey);
      await orgOwner.getByText(/is an Organization Owner of .* but is not a member of project .*Add it to the project as Project Owner/).waitFor();
      assert.equal(await orgOwner.getByRole('button', { name: 'Add Private Endpoint' }).count(), 0);
      await expectAccessible(orgOwner, 'Network Access, Organization Owner outside the project');
    } finally {
      await context.close();
    }
  });

  test('Database → Connect → Private Endpoint → Create a MongoDB User: the SRV string the official driver then connects with', async () => {
    const made = await stack.owner.post(`${stack.project}/clusters`, {
      name: 'Cluster0',
      clusterType: 'REPLICASET',
      replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
    });
    assert.equal(made.status, 201, made.text);
    await page.getByRole('link', { name: 'Database' }).click();
    await page.getByRole('heading', { name: /Database Deployments/ }).waitFor();
    await page.locator('tr', { hasText: 'Cluster0' }).getByText('Idle').waitFor();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByLabel('Private Endpoint', { exact: true }).check();

    // The project has no MongoDB user yet: the dialog asks for one (Atlas Admin role).
    await page.getByText('Create a MongoDB User').waitFor();
    assert.equal(await page.getByText('Choose a connection method').count(), 0, 'the connection methods wait for a database user');
    await expectAccessible(page, 'Connect dialog, Create a MongoDB User');
    await page.getByLabel('Username').fill('console-app');
    await page.getByRole('button', { name: 'Autogenerate Secure Password' }).click();
    const password = await page.getByLabel('Password', { exact: true }).inputValue();
    assert.match(password, /^[A-Za-z0-9]{16}$/);
    await page.getByRole('button', { name: 'Create Database User' }).click();
    await page.getByText(/Database user console-app created with the Atlas Admin role/).waitFor();
    assert.equal(await page.locator('pre', { hasText: password }).count(), 1, 'the new password is shown once, to copy');
    const users = (await stack.owner.get(`${stack.project}/databaseUsers`)).json as { results: Array<{ username: string; databaseName: string; roles: unknown[] }> };
    assert.deepEqual(
      users.results.map((u) => [u.username, u.databaseName, u.roles]),
      [['console-app', 'admin', [{ databaseName: 'admin', roleName: 'atlasAdmin' }]]],
    );

    const drivers = page.getByText(/^mongodb\+srv:\/\/console-app:<db_password>@cluster0-pl-0\./);
    await drivers.waitFor();
    await page.locator('pre', { hasText: /^mongosh "mongodb\+srv:\/\/cluster0-pl-0\..*--username console-app$/ }).waitFor();
    await expectAccessible(page, 'Connect dialog');
    await screenshot(page, '08-connect-private-endpoint');
    const uri = (await drivers.first().textContent())!;
    const api = (await stack.owner.get(`${stack.project}/clusters/Cluster0`)).json as { connectionStrings: { privateEndpoint: Array<{ srvConnectionString: string }> } };
    const srv = api.connectionStrings.privateEndpoint[0]!.srvConnectionString;
    assert.equal(uri, `${srv.replace('mongodb+srv://', 'mongodb+srv://console-app:<db_password>@')}/?retryWrites=true&w=majority&appName=Cluster0`);

    // A client inside the customer VPC (another address of the endpoint's subnet) connects with it
    // and the new user's password; a wrong password is refused.
    const snapshot = await stack.running.localCloud!.snapshot();
    const endpointAddress = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces[0]!.loopbackAddress;
    const [a, b, c] = endpointAddress.split('.');
    const dns = privateDns(stack.running.dnsPort);
    const connect = async (secret: string) => {
      const client = new MongoClient(uri.replace('<db_password>', secret).replace('/?', '/?tls=false&'), {
        lookup: dns.lookup,
        localAddress: `${a}.${b}.${c}.250`,
        serverSelectionTimeoutMS: 8000,
        connectTimeoutMS: 3000,
      });
      try {
        return await client.db('admin').command({ connectionStatus: 1 });
      } finally {
        await client.close();
      }
    };
    try {
      await assert.rejects(connect('not-the-password'), (e: Error) => e instanceof MongoServerError && e.code === 18);
      let status: { authInfo: { authenticatedUsers: unknown[] } } | undefined;
      for (let i = 0; i < 50 && !status; i++) {
        status = (await connect(password).catch(async (e: unknown) => {
          if (!(e instanceof MongoServerError && e.code === 18)) throw e;
          await new Promise((resolve) => setTimeout(resolve, 200)); // the user reaches the data plane
          return undefined;
        })) as typeof status;
      }
      assert.deepEqual(status?.authInfo.authenticatedUsers, [{ user: 'console-app', db: 'admin' }]);
    } finally {
      dns.restore();
    }
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('link', { name: 'Network Access' }).click();
    await page.getByRole('heading', { name: /Network Access/ }).waitFor();
  });

  test('Terminate → Confirm: DELETING, then the private endpoint is gone', async () => {
    await page.getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('dialog').getByText('Terminate private endpoint?').waitFor();
    await expectAccessible(page, 'Terminate dialog');
    await screenshot(page, '07-terminate-confirm');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Deleting').first().waitFor();
    await page.getByText('No private endpoints yet.').waitFor({ timeout: 120_000 });
    const left = await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService`);
    assert.deepEqual(left.json, []);
  });

  test('sign-out ends the session on the server', async () => {
    const session = (await owner.cookies()).find((c) => c.name === 'privlink_session')!;
    await page.getByRole('button', { name: 'Sign Out' }).click();
    await page.getByRole('button', { name: 'Sign In' }).waitFor();
    const after = await fetch(stack.running.apiUrl + '/console/api/session', { headers: { cookie: `privlink_session=${session.value}` } });
    assert.equal(after.status, 401);
  });
});
