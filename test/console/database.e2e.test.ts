import assert from 'node:assert/strict';
import { MongoClient, MongoServerError } from 'mongodb';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { customerEndpoint } from '../support/customer-vpc.js';
import { privateDns } from '../support/driver-dns.js';
import { startStack, until, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn as signInWithKey } from './support.js';

// The header's Organization and Project pickers and Database → Create / Terminate in Debian's
// Chromium against a whole privlink: a second project (made through the API) chosen with the
// pickers, the API's refusals shown as it words them, an M10 on AWS with 3 nodes that turns Idle
// live, Read Only (on a phone's width) without write buttons nor the projects it cannot read,
// Terminate → Confirm → gone. Then Connect in the first project: Standard Connection (the public
// path, the IP access list reminder, a database user made in the dialog, the official driver
// connecting with the standardSrv string shown) and Private Endpoint (the chosen endpoint's strings,
// the command line tools in full).
let stack: Stack;
let browser: Browser;
let page: Page;
let secondId: string;
let orgName: string;
const TIMEOUT = 60_000;
const SECOND = 'Second Project';

before(async () => {
  stack = await startStack();
  // Made before signing in: the key that creates a project becomes its Project Owner.
  const made = await stack.owner.post('/api/atlas/v2/groups', { name: SECOND, orgId: stack.bootstrap.orgId });
  assert.equal(made.status, 201, made.text);
  secondId = (made.json as { id: string }).id;
  const org = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}`);
  orgName = (org.json as { name: string }).name;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(TIMEOUT);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function signIn(target: Page, publicKey: string, privateKey: string): Promise<void> {
  await signInWithKey(target, stack.running.apiUrl + '/', publicKey, privateKey);
  await target.getByRole('heading', { name: /Network Access/ }).waitFor();
}

async function expectAccessible(target: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(target), [], `axe-core on ${where}`);
}

/** The text the console shows for the API's refusal of `body`: its `detail` and `errorCode`. */
async function apiRefusal(body: unknown): Promise<string> {
  const refused = await stack.owner.post(`/api/atlas/v2/groups/${secondId}/clusters`, body);
  assert.equal(refused.status, 400, refused.text);
  const error = refused.json as { detail: string; errorCode: string };
  return `${error.detail} (${error.errorCode})`;
}

/**
 * A picker's option labels once `shown` is among them: the lists arrive after the page (until the
 * organizations answer, the organization picker shows the session's organization by its id).
 */
async function optionLabels(target: Page, name: string, shown: string): Promise<string[]> {
  const picker = target.getByRole('combobox', { name, exact: true });
  await picker.locator('option', { hasText: shown }).first().waitFor({ state: 'attached' });
  return picker.locator('option').allTextContents();
}

describe('web console: pickers, Create and Terminate a cluster', () => {
  test('the pickers list the organization and both projects; choosing the second opens its pages', async () => {
    await signIn(page, stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    assert.deepEqual(await optionLabels(page, 'Organization', orgName), [orgName]);
    const first = (await stack.owner.get(stack.project)).json as { name: string };
    assert.deepEqual((await optionLabels(page, 'Project', SECOND)).sort(), [first.name, SECOND].sort());

    await page.getByRole('combobox', { name: 'Organization' }).selectOption({ label: orgName });
    await page.getByRole('link', { name: 'Database' }).click();
    await page.getByRole('heading', { name: /Database Deployments/ }).waitFor();
    await page.getByRole('combobox', { name: 'Project', exact: true }).selectOption({ label: SECOND });
    await page.getByRole('heading', { name: `Database Deployments — ${SECOND}` }).waitFor();
    assert.match(page.url(), new RegExp(`/v2/${secondId}/clusters$`));
    await page.getByText('No clusters in this project yet. Click Create to deploy one.').waitFor();
    await expectAccessible(page, 'Database, empty');
  });

  test('Create shows the API refusals as worded: a bad name (submitted from the keyboard) and Flex', async () => {
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Deploy your cluster' }).waitFor();
    await expectAccessible(page, 'Deploy your cluster');
    await screenshot(page, '11-create-cluster');
    const name = page.getByLabel('Cluster Name');
    await name.fill('bad_name!');
    await name.press('Enter');
    const badName = await apiRefusal({
      name: 'bad_name!',
      clusterType: 'REPLICASET',
      replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
    });
    await page.getByText(badName, { exact: true }).waitFor();
    await expectAccessible(page, 'Deploy your cluster, refused');

    // Shared tiers are offered with the note; Flex is refused by the clusters API, as shown.
    await name.fill('FlexOne');
    await page.getByLabel('Cluster Tier').selectOption('FLEX');
    await page.getByText(/Private endpoints are unavailable on M0, M2, M5 and Flex clusters/).waitFor();
    assert.equal(await page.getByLabel('Nodes').isDisabled(), true, 'a shared tier has no node count to choose');
    await page.getByRole('button', { name: 'Create Deployment' }).click();
    const flex = await apiRefusal({
      name: 'FlexOne',
      clusterType: 'REPLICASET',
      replicationSpecs: [{ regionConfigs: [{ providerName: 'FLEX', backingProviderName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'FLEX' } }] }],
    });
    await page.getByText(flex, { exact: true }).waitFor();
    // On a phone's width the dialog stays usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, 'Deploy your cluster, shared tier, narrow');
    await screenshot(page, '12-create-cluster-shared-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    const listed = (await stack.owner.get(`/api/atlas/v2/groups/${secondId}/clusters`)).json as { results: unknown[] };
    assert.deepEqual(listed.results, [], 'nothing was created');
  });

  test('Create an M10 on AWS with 3 nodes: listed at once, Idle live', async () => {
    await page.getByLabel('Cluster Name').fill('Cluster1');
    await page.getByLabel('AWS').check();
    await page.getByLabel('Region').selectOption('US_EAST_1');
    await page.getByLabel('Cluster Tier').selectOption('M10');
    await page.getByLabel('Nodes').selectOption('3');
    await page.getByRole('button', { name: 'Create Deployment' }).click();
    await page.getByRole('heading', { name: 'Deploy your cluster' }).waitFor({ state: 'detached' });
    const row = page.locator('tr[data-cluster="Cluster1"]');
    await row.waitFor();
    await row.getByText('M10').waitFor();
    await row.getByText('AWS US_EAST_1').waitFor();
    await row.locator('[data-column=state]', { hasText: 'Idle' }).waitFor();
    const cluster = (await stack.owner.get(`/api/atlas/v2/groups/${secondId}/clusters/Cluster1`)).json as {
      stateName: string;
      replicationSpecs: Array<{ regionConfigs: Array<{ providerName: string; regionName: string; electableSpecs: { instanceSize: string; nodeCount: number } }> }>;
    };
    assert.equal(cluster.stateName, 'IDLE');
    const region = cluster.replicationSpecs[0]!.regionConfigs[0]!;
    assert.deepEqual([region.providerName, region.regionName, region.electableSpecs], ['AWS', 'US_EAST_1', { instanceSize: 'M10', nodeCount: 3 }]);
    await expectAccessible(page, 'Database, one cluster');
    await screenshot(page, '13-database-cluster-idle');
  });

  test('Read Only (on a narrow window) sees its one project, the cluster and no Create or Terminate', async () => {
    const made = await stack.owner.post(`/api/atlas/v2/groups/${secondId}/apiKeys`, { desc: 'console read only', roles: ['GROUP_READ_ONLY'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const reader = await context.newPage();
      reader.setDefaultTimeout(TIMEOUT);
      await signIn(reader, key.publicKey, key.privateKey);
      assert.deepEqual(await optionLabels(reader, 'Project', SECOND), [SECOND], 'a project the key cannot read is not listed');
      await reader.getByRole('link', { name: 'Database' }).click();
      await reader.locator('tr[data-cluster="Cluster1"] [data-column=state]', { hasText: 'Idle' }).waitFor();
      await reader.getByText(/Your role in this project is read-only/).waitFor();
      assert.equal(await reader.getByRole('button', { name: 'Create', exact: true }).count(), 0);
      assert.equal(await reader.getByRole('button', { name: /Terminate/ }).count(), 0);
      await expectAccessible(reader, 'Database, read only, narrow');
      await screenshot(reader, '14-database-read-only-narrow');
    } finally {
      await context.close();
    }
  });

  test('Terminate → Confirm: Deleting, then the cluster is gone', async () => {
    await page.getByRole('button', { name: 'Terminate Cluster1' }).click();
    await page.getByRole('dialog').getByText('Terminate Cluster1?').waitFor();
    await expectAccessible(page, 'Terminate cluster dialog');
    await screenshot(page, '15-terminate-cluster');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('tr[data-cluster="Cluster1"]').waitFor({ state: 'detached', timeout: 120_000 });
    await page.getByText('No clusters in this project yet.').waitFor();
    const gone = await stack.owner.get(`/api/atlas/v2/groups/${secondId}/clusters/Cluster1`);
    assert.equal(gone.status, 404, gone.text);
  });

  test('a shared tier is created as the clusters API allows: M0 on its backing provider, Idle', async () => {
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByLabel('Cluster Name').fill('Free0');
    await page.getByLabel('Google Cloud').check();
    await page.getByLabel('Cluster Tier').selectOption('M0');
    await page.getByText(/Private endpoints are unavailable on M0, M2, M5 and Flex clusters/).waitFor();
    const region = await page.getByLabel('Region').inputValue();
    await page.getByRole('button', { name: 'Create Deployment' }).click();
    const row = page.locator('tr[data-cluster="Free0"]');
    await row.getByText(`GCP ${region}`).waitFor();
    await row.locator('[data-column=state]', { hasText: 'Idle' }).waitFor();
    const cluster = (await stack.owner.get(`/api/atlas/v2/groups/${secondId}/clusters/Free0`)).json as {
      replicationSpecs: Array<{ regionConfigs: Array<{ providerName: string; backingProviderName: string; electableSpecs: { instanceSize: string } }> }>;
    };
    const config = cluster.replicationSpecs[0]!.regionConfigs[0]!;
    assert.deepEqual([config.providerName, config.backingProviderName, config.electableSpecs.instanceSize], ['TENANT', 'GCP', 'M0']);
  });

  test('Connect on a shared tier: the API answers no standardSrv, and Standard Connection says there is no public address', async () => {
    const cluster = (await stack.owner.get(`/api/atlas/v2/groups/${secondId}/clusters/Free0`)).json as { connectionStrings: { standardSrv?: string } };
    assert.equal(cluster.connectionStrings.standardSrv, undefined);
    await page.locator('tr[data-cluster="Free0"]').getByRole('button', { name: 'Connect' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('No private endpoint of this cluster').waitFor();
    await dialog.getByLabel('Standard Connection').check();
    await dialog.getByText('Free0 has no public address').waitFor();
    assert.equal(await dialog.getByRole('link', { name: /IP Access List/ }).count(), 0);
    assert.equal(await dialog.getByText('Choose a connection method').count(), 0);
    await expectAccessible(page, 'Connect dialog, no public address');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  });
});

describe('web console: Connect → Standard Connection and Private Endpoint', () => {
  const USER = 'public-app';
  let connect: Page;
  let password: string;
  type Strings = {
    standard?: string;
    standardSrv?: string;
    privateEndpoint: Array<{ connectionString: string; srvConnectionString: string; endpoints: Array<{ endpointId: string }> }>;
  };
  const strings = async () => ((await stack.owner.get(`${stack.project}/clusters/Cluster0`)).json as { connectionStrings: Strings }).connectionStrings;

  before(async () => {
    const made = await stack.owner.post(`${stack.project}/clusters`, {
      name: 'Cluster0',
      clusterType: 'REPLICASET',
      replicationSpecs: [{ regionConfigs: [{ providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3 } }] }],
    });
    assert.equal(made.status, 201, made.text);
    // The test's client connects from 127.0.0.1: on the project's IP access list first, as a customer would.
    const listed = await stack.owner.post(`${stack.project}/accessList`, [{ ipAddress: '127.0.0.1', comment: 'console test client' }]);
    assert.equal(listed.status, 200, listed.text);
    connect = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    connect.setDefaultTimeout(TIMEOUT);
  });

  test('Standard Connection: the access list reminder, Create a MongoDB User, the standardSrv string the official driver connects with', async () => {
    await until(
      () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
      (r) => (r.json as { stateName: string; connectionStrings: Strings }).stateName === 'IDLE' && !!(r.json as { connectionStrings: Strings }).connectionStrings.standardSrv,
      TIMEOUT,
    );
    const { standard, standardSrv, privateEndpoint } = await strings();
    assert.deepEqual(privateEndpoint, [], 'no private endpoint yet: the public path is the only one');
    await signIn(connect, stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await connect.getByRole('link', { name: 'Database' }).click();
    const row = connect.locator('tr[data-cluster="Cluster0"]');
    await row.locator('[data-column=state]', { hasText: 'Idle' }).waitFor();
    await row.getByRole('button', { name: 'Connect' }).click();
    const dialog = connect.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Connect to Cluster0' }).waitFor();
    assert.equal(await dialog.getByLabel('Standard Connection').isChecked(), true, 'without a private endpoint the dialog opens on Standard Connection');
    await dialog.getByText(/Standard Connection reaches Cluster0 over its public address: your client's IP address must be on the project's IP access list/).waitFor();
    const accessListLink = dialog.getByRole('link', { name: 'Network Access → IP Access List' });
    assert.equal(await accessListLink.getAttribute('href'), `/v2/${stack.projectId}/security/network/accessList`);
    assert.equal(await dialog.getByText(/has no public address/).count(), 0, 'the cluster has one: the dialog does not say otherwise');

    // The project has no MongoDB user yet: the dialog asks for one, as for a private endpoint.
    await dialog.getByText('Create a MongoDB User').waitFor();
    assert.equal(await dialog.getByText('Choose a connection method').count(), 0);
    await dialog.getByLabel('Username').fill(USER);
    // Used once and refused: the API's answer shown in the section, which stays usable.
    await dialog.getByLabel('Password', { exact: true }).fill('short');
    await dialog.getByRole('button', { name: 'Create Database User' }).click();
    const refused = await stack.owner.post(`${stack.project}/databaseUsers`, {
      databaseName: 'admin',
      username: USER,
      password: 'short',
      roles: [{ databaseName: 'admin', roleName: 'atlasAdmin' }],
    });
    assert.equal(refused.status, 400, refused.text);
    const problem = refused.json as { detail: string; errorCode: string };
    await dialog.getByText(`${problem.detail} (${problem.errorCode})`, { exact: true }).waitFor();
    await expectAccessible(connect, 'Connect dialog, Create a MongoDB User refused');
    await dialog.getByRole('button', { name: 'Autogenerate Secure Password' }).click();
    password = await dialog.getByLabel('Password', { exact: true }).inputValue();
    assert.match(password, /^[A-Za-z0-9]{16}$/);
    await expectAccessible(connect, 'Connect dialog, Standard Connection, Create a MongoDB User filled in');
    await dialog.getByRole('button', { name: 'Create Database User' }).click();

    // After use: the section gives way to the new user and its password, which takes the focus.
    await dialog.getByText(`Database user ${USER} created with the Atlas Admin role`).waitFor();
    assert.equal(await dialog.getByText('Create a MongoDB User').count(), 0);
    assert.equal(await connect.evaluate('document.activeElement?.getAttribute("aria-label")'), `Database user ${USER}`, 'focus moves from the gone form to the new user');
    assert.equal(await dialog.getByLabel(`Password for ${USER}`, { exact: true }).textContent(), password);
    await expectAccessible(connect, 'Connect dialog, Standard Connection, after Create Database User');
    await screenshot(connect, '16-connect-standard');

    const options = 'retryWrites=true&w=majority&appName=Cluster0';
    const drivers = (await dialog.getByLabel('Drivers', { exact: true }).textContent())!;
    assert.equal(drivers, `${standardSrv!.replace('mongodb+srv://', `mongodb+srv://${USER}:<db_password>@`)}/?${options}`);
    assert.equal(
      await dialog.getByLabel('Drivers without SRV support', { exact: true }).textContent(),
      `${standard!.replace('mongodb://', `mongodb://${USER}:<db_password>@`)}&${options}`,
    );
    assert.equal(await dialog.getByLabel('Shell', { exact: true }).textContent(), `mongosh "${standardSrv}/" --apiVersion 1 --username ${USER}`);
    assert.equal(
      await dialog.getByLabel('Command Line Tools', { exact: true }).textContent(),
      `mongodump --uri "${standardSrv}/" --username ${USER}\nmongorestore --uri "${standardSrv}/" --username ${USER} <dump folder>`,
    );
    await dialog.getByText(/certificates from this privlink's own certificate authority/).waitFor();

    // The official driver, from 127.0.0.1 (on the access list), over TLS with the local CA,
    // connects with the string as shown and the password the dialog made; a wrong one is refused.
    const dns = privateDns(stack.running.dnsPort);
    const login = async (secret: string) => {
      const client = new MongoClient(drivers.replace('<db_password>', secret), {
        lookup: dns.lookup,
        tlsCAFile: stack.running.caPath!,
        serverSelectionTimeoutMS: 3000,
        connectTimeoutMS: 2000,
      });
      try {
        return (await client.db('admin').command({ connectionStatus: 1 })) as { authInfo: { authenticatedUsers: unknown[] } };
      } finally {
        await client.close();
      }
    };
    try {
      const deadline = Date.now() + 30_000;
      let status: { authInfo: { authenticatedUsers: unknown[] } } | undefined;
      while (!status) {
        // The user and the access-list entry reach the data plane within moments.
        status = await login(password).catch(async (error: unknown) => {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
          return undefined;
        });
      }
      assert.deepEqual(status.authInfo.authenticatedUsers, [{ user: USER, db: 'admin' }]);
      await assert.rejects(login('not-the-password'), (e: Error) => e instanceof MongoServerError && e.code === 18);
    } finally {
      dns.restore();
    }

    // The reminder's link opens Network Access → IP Access List, with the test's entry.
    await accessListLink.click();
    await dialog.waitFor({ state: 'detached' });
    await connect.getByRole('tab', { name: 'IP Access List', selected: true }).waitFor();
    assert.match(connect.url(), new RegExp(`/v2/${stack.projectId}/security/network/accessList$`));
    await connect.getByText('127.0.0.1', { exact: true }).first().waitFor();
  });

  test('Private Endpoint: the chosen endpoint strings, and mongodump / mongorestore in full with its host', async () => {
    const service = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
    assert.equal(service.status, 201, service.text);
    const serviceId = (service.json as { id: string }).id;
    const ready = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}`),
      (r) => (r.json as { status: string }).status === 'AVAILABLE',
      90_000,
    );
    const serviceName = (ready.json as { endpointServiceName: string }).endpointServiceName;
    const vpces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const vpce = await customerEndpoint(stack.customerEc2(), serviceName);
      const registered = await stack.owner.post(`${stack.project}/privateEndpoint/AWS/endpointService/${serviceId}/endpoint`, { id: vpce });
      assert.equal(registered.status, 201, registered.text);
      vpces.push(vpce);
    }
    await until(
      () => stack.owner.get(`${stack.project}/clusters/Cluster0`),
      (r) => (r.json as { connectionStrings: Strings }).connectionStrings.privateEndpoint.length === 2,
      90_000,
    );
    const entries = (await strings()).privateEndpoint;
    const second = entries.find((e) => e.endpoints.some((p) => p.endpointId === vpces[1]))!;
    const first = entries.find((e) => e.endpoints.some((p) => p.endpointId === vpces[0]))!;
    assert.notEqual(second.srvConnectionString, first.srvConnectionString);

    await connect.getByRole('link', { name: 'Database' }).click();
    await connect.locator('tr[data-cluster="Cluster0"]').getByRole('button', { name: 'Connect' }).click();
    const dialog = connect.getByRole('dialog');
    // With private endpoints the dialog shows Private Endpoint (once the cluster's strings list them).
    await dialog.getByRole('radio', { name: 'Private Endpoint', checked: true }).waitFor();
    const tools = dialog.getByLabel('Command Line Tools', { exact: true });
    const toolsFor = (srv: string) => `mongodump --uri "${srv}/" --username ${USER}\nmongorestore --uri "${srv}/" --username ${USER} <dump folder>`;
    await tools.filter({ hasText: first.srvConnectionString }).waitFor();
    assert.equal(await tools.textContent(), toolsFor(first.srvConnectionString));

    await dialog.getByRole('combobox', { name: 'Private endpoint' }).selectOption(vpces[1]!);
    await tools.filter({ hasText: second.srvConnectionString }).waitFor();
    assert.equal(await tools.textContent(), toolsFor(second.srvConnectionString));
    assert.match(second.srvConnectionString, /^mongodb\+srv:\/\/cluster0-pl-\d+\.[a-z0-9]+\.privlink\.test$/);
    const options = 'retryWrites=true&w=majority&appName=Cluster0';
    assert.equal(
      await dialog.getByLabel('Drivers', { exact: true }).textContent(),
      `${second.srvConnectionString.replace('mongodb+srv://', `mongodb+srv://${USER}:<db_password>@`)}/?${options}`,
    );
    assert.equal(
      await dialog.getByLabel('Drivers without SRV support', { exact: true }).textContent(),
      `${second.connectionString.replace('mongodb://', `mongodb://${USER}:<db_password>@`)}&${options}`,
    );
    assert.equal(await dialog.getByLabel('Shell', { exact: true }).textContent(), `mongosh "${second.srvConnectionString}/" --apiVersion 1 --username ${USER}`);
    await expectAccessible(connect, 'Connect dialog, Private Endpoint, second endpoint');

    // Back to Standard Connection: the public strings again, not the endpoint's.
    await dialog.getByLabel('Standard Connection').check();
    const { standardSrv } = await strings();
    await tools.filter({ hasText: standardSrv! }).waitFor();
    assert.equal(await tools.textContent(), toolsFor(standardSrv!));
  });
});
