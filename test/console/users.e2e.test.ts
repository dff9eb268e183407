import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn, signInWithEmail } from './support.js';

// Console users in Debian's Chromium against a whole privlink: an Organization Owner opens
// Organization → Access Manager → Users and creates a user (the API's refusal of a short password
// shown as is), the user signs in with email and password, sees the project read-only, and is
// deleted again; a wrong password gets one generic answer.
let stack: Stack;
let browser: Browser;
const TIMEOUT = 60_000;
const EMAIL = 'reader@example.com';
const PASSWORD = 'read only but long enough';

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await stack?.close();
});

async function newPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(TIMEOUT);
  return page;
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(page), [], `axe-core on ${where}`);
}

describe('web console: console users', () => {
  let owner: Page;

  test('an Organization Owner creates a read-only user in Access Manager → Users', async () => {
    owner = await newPage();
    await signIn(owner, stack.running.apiUrl + '/', stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await owner.getByRole('heading', { name: /Network Access/ }).waitFor();
    await owner.getByRole('link', { name: 'Access Manager' }).click();
    await owner.getByRole('heading', { name: 'Organization Access Manager' }).waitFor();
    assert.match(owner.url(), new RegExp(`/v2/org/${stack.bootstrap.orgId}/access/users$`));
    await owner.getByText('No console users yet.').waitFor();

    await owner.getByLabel('Email').fill(EMAIL);
    await owner.getByLabel('Password').fill('too short');
    await owner.getByRole('button', { name: 'Create User' }).click();
    await owner.getByText('The password is not valid: a password has at least 12 characters. (CONSOLE_USER_INVALID_PASSWORD)').waitFor();

    await owner.getByLabel('Password').fill(PASSWORD);
    await owner.getByLabel('Organization Role').selectOption({ label: 'Organization Member' });
    await owner.getByLabel('Project Access').selectOption({ label: 'Project 0' });
    await owner.getByLabel('Project Role').selectOption({ label: 'Project Read Only' });
    await expectAccessible(owner, 'Access Manager → Users');
    await owner.getByRole('button', { name: 'Create User' }).click();
    const row = owner.locator(`tr[data-user="${EMAIL}"]`);
    await row.getByText('Organization Member, Project Read Only (Project 0)').waitFor();
    await screenshot(owner, 'users-01-access-manager');

    const list = await stack.owner.get(`/api/atlas/v2/orgs/${stack.bootstrap.orgId}/privlink/consoleUsers`);
    assert.deepEqual(
      (list.json as { results: Array<{ username: string; roles: Array<{ roleName: string }> }> }).results.map((u) => [u.username, u.roles.map((r) => r.roleName)]),
      [[EMAIL, ['ORG_MEMBER', 'GROUP_READ_ONLY']]],
    );
  });

  test('the user signs in with email and password, sees the project read-only, and no Access Manager', async () => {
    const page = await newPage();
    await signInWithEmail(page, stack.running.apiUrl + '/', EMAIL, 'not the password');
    await page.getByText('Wrong email or password. (CONSOLE_SIGN_IN_FAILED)').waitFor();
    await expectAccessible(page, 'sign-in with email');
    await screenshot(page, 'users-02-sign-in-email');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign In' }).click();
    await page.getByRole('heading', { name: 'Network Access — Project 0' }).waitFor();
    assert.match(page.url(), new RegExp(`/v2/${stack.projectId}/security/network/privateEndpoint$`));
    await page.getByText(EMAIL, { exact: true }).waitFor();
    await page.getByText('Your role in this project is read-only').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Add Private Endpoint' }).count(), 0, 'no write button for a read-only user');
    assert.equal(await page.getByRole('link', { name: 'Access Manager' }).count(), 0);
    const stored = (await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')) as string;
    assert.ok(!stored.includes(PASSWORD), 'nothing secret in web storage');
    await page.context().close();
  });

  test('the Organization Owner deletes the user: it is gone and cannot sign in', async () => {
    await owner
      .locator(`tr[data-user="${EMAIL}"]`)
      .getByRole('button', { name: `Delete ${EMAIL}` })
      .click();
    await owner.getByRole('button', { name: 'Confirm' }).click();
    await owner.getByText('No console users yet.').waitFor();
    const res = await fetch(`${stack.running.apiUrl}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    assert.equal(res.status, 401);
  });
});
