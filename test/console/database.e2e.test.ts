import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn as signInWithKey } from './support.js';

// The header's Organization and Project pickers and Database → Create / Terminate in Debian's
// Chromium against a whole privlink: a second project (made through the API) chosen with the
// pickers, the API's refusals shown as it words them, an M10 on AWS with 3 nodes that turns Idle
// live, Read Only (on a phone's width) without write buttons nor the projects it cannot read,
// Terminate → Confirm → gone.
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

const optionLabels = (target: Page, name: string) => target.getByRole('combobox', { name, exact: true }).locator('option').allTextContents();

describe('web console: pickers, Create and Terminate a cluster', () => {
  test('the pickers list the organization and both projects; choosing the second opens its pages', async () => {
    await signIn(page, stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    assert.deepEqual(await optionLabels(page, 'Organization'), [orgName]);
    const first = (await stack.owner.get(stack.project)).json as { name: string };
    assert.deepEqual((await optionLabels(page, 'Project')).sort(), [first.name, SECOND].sort());

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
      assert.deepEqual(await optionLabels(reader, 'Project'), [SECOND], 'a project the key cannot read is not listed');
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
});
