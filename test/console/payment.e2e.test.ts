import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn } from './support.js';

// The payment prompt of the Add Private Endpoint wizards in Debian's Chromium against a whole
// privlink, for an organization without payment information: a Project Owner who is not an
// Organization Owner is told to ask one and cannot go on; the Organization Owner sees the step in
// the serverless wizard too, records it (PATCH paymentInformationOnFile) in the dedicated cluster's
// wizard, and the wizard continues to the Cloud Provider step; then the Project Owner's Check
// Again lets it go on too.
let stack: Stack;
let browser: Browser;
let ownerContext: BrowserContext;
let memberContext: BrowserContext;
let owner: Page;
let member: Page;
const TIMEOUT = 60_000;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
  ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  memberContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  owner = await ownerContext.newPage();
  member = await memberContext.newPage();
  owner.setDefaultTimeout(TIMEOUT);
  member.setDefaultTimeout(TIMEOUT);
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

const orgPath = () => `/api/atlas/v2/orgs/${stack.bootstrap.orgId}`;

async function paymentOnFile(): Promise<boolean> {
  const org = await stack.owner.get(orgPath());
  assert.equal(org.status, 200, org.text);
  return (org.json as { paymentInformationOnFile: boolean }).paymentInformationOnFile;
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page), [], `axe-core on ${where}`);
}

const currentStep = (page: Page) => page.getByRole('list', { name: 'Steps' }).locator('[aria-current=step]');

async function signInToNetworkAccess(page: Page, publicKey: string, privateKey: string): Promise<void> {
  await signIn(page, stack.running.apiUrl + '/', publicKey, privateKey);
  await page.getByRole('heading', { name: /Network Access/ }).waitFor();
}

async function openWizard(page: Page, kind: 'Dedicated Cluster' | 'Serverless Instance'): Promise<void> {
  await page.getByRole('button', { name: kind }).click();
  await page.getByRole('button', { name: 'Add Private Endpoint', disabled: false }).click();
  await page.getByRole('dialog').getByText('Add payment information to your organization').waitFor();
}

describe('web console: payment information before a private endpoint', () => {
  test('an organization without payment information: a Project Owner is told to ask an Organization Owner, and cannot go on', async () => {
    const cleared = await stack.owner.patch(orgPath(), { paymentInformationOnFile: false });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(await paymentOnFile(), false);
    const made = await stack.owner.post(`${stack.project}/apiKeys`, { desc: 'console project owner', roles: ['GROUP_OWNER'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };

    await signInToNetworkAccess(member, key.publicKey, key.privateKey);
    await openWizard(member, 'Dedicated Cluster');
    assert.equal(await currentStep(member).textContent(), '1. Payment Information');
    await member.getByText(/Only an Organization Owner can add payment information/).waitFor();
    assert.equal(await member.getByRole('button', { name: 'Add Payment Information' }).count(), 0, 'no Add Payment Information button');
    assert.equal(await member.getByRole('button', { name: 'Next' }).isEnabled(), false, 'Next waits for payment information');
    assert.equal(await member.getByRole('group', { name: 'Cloud Provider' }).count(), 0, 'the Cloud Provider step waits');
    await expectAccessible(member, 'payment prompt, Project Owner');
    await screenshot(member, '31-payment-prompt-project-owner');
  });

  test('the serverless wizard asks for it first too', async () => {
    const created = await stack.owner.post(`${stack.project}/serverless`, {
      name: 'Serverless0',
      providerSettings: { backingProviderName: 'AWS', providerName: 'SERVERLESS', regionName: 'US_EAST_1' },
    });
    assert.equal(created.status, 201, created.text);
    await signInToNetworkAccess(owner, stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await openWizard(owner, 'Serverless Instance');
    assert.equal(await currentStep(owner).textContent(), '1. Payment Information');
    assert.match((await owner.getByRole('list', { name: 'Steps' }).textContent())!, /2\. Serverless Instance/);
    assert.equal(await owner.getByRole('combobox', { name: /^Serverless Instance/ }).count(), 0, 'the instance step waits');
    assert.equal(await owner.getByRole('button', { name: 'Next' }).isEnabled(), false);
    await expectAccessible(owner, 'serverless wizard, payment prompt');
    await owner.getByRole('button', { name: 'Cancel' }).click();
    await owner.getByRole('dialog').waitFor({ state: 'detached' });
  });

  test('the Organization Owner adds payment information and the wizard continues to the Cloud Provider step', async () => {
    await openWizard(owner, 'Dedicated Cluster');
    assert.equal(await currentStep(owner).textContent(), '1. Payment Information');
    await owner.getByText(/privlink has no billing/).waitFor();
    assert.equal(await owner.getByRole('button', { name: 'Next' }).isEnabled(), false, 'Next waits for payment information');
    await expectAccessible(owner, 'payment prompt, Organization Owner');
    await screenshot(owner, '32-payment-prompt-org-owner');

    await owner.getByRole('button', { name: 'Add Payment Information' }).click();
    await owner.getByRole('group', { name: 'Cloud Provider' }).waitFor();
    assert.equal(await currentStep(owner).textContent(), '2. Cloud Provider');
    assert.equal(await owner.getByRole('combobox', { name: 'Region' }).inputValue(), 'us-east-1');
    assert.equal(await paymentOnFile(), true, 'the organization has payment information on file');
    await expectAccessible(owner, 'wizard after the payment prompt');
  });

  test('once the organization has it, Check Again lets the Project Owner go on', async () => {
    await member.getByRole('button', { name: 'Check Again' }).click();
    await member.getByText(/has payment information on file/).waitFor();
    await member.getByRole('button', { name: 'Next' }).click();
    await member.getByRole('group', { name: 'Cloud Provider' }).waitFor();
    assert.equal(await currentStep(member).textContent(), '2. Cloud Provider');
  });

  test('an organization with payment information: the wizard opens at the Cloud Provider step', async () => {
    await owner.getByRole('button', { name: 'Cancel' }).click();
    await owner.getByRole('dialog').waitFor({ state: 'detached' });
    await owner.getByRole('button', { name: 'Add Private Endpoint' }).click();
    await owner.getByRole('group', { name: 'Cloud Provider' }).waitFor();
    assert.equal(await currentStep(owner).textContent(), '1. Cloud Provider');
    assert.doesNotMatch((await owner.getByRole('list', { name: 'Steps' }).textContent())!, /Payment Information/);
  });
});
