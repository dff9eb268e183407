import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startStack, type Stack } from '../support/full-stack.js';
import { launchChromium, screenshot, seriousViolations, signIn as signInWithKey } from './support.js';

// Security → Network Access → IP Access List in Debian's Chromium against a whole privlink: the
// empty list, Add IP Address with the API's own refusal shown, a temporary CIDR block with a
// comment and a permanent address, Read Only without write buttons, Delete → Confirm → gone.
let stack: Stack;
let browser: Browser;
let page: Page;
const TIMEOUT = 60_000;

interface Entry {
  cidrBlock?: string;
  ipAddress?: string;
  comment?: string;
  deleteAfterDate?: string;
}

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

async function signIn(target: Page, publicKey: string, privateKey: string): Promise<void> {
  await signInWithKey(target, stack.running.apiUrl + '/', publicKey, privateKey);
  await target.getByRole('heading', { name: /Network Access/ }).waitFor();
}

async function expectAccessible(target: Page, where: string): Promise<void> {
  assert.deepEqual(await seriousViolations(target), [], `axe-core on ${where}`);
}

async function apiList(): Promise<Entry[]> {
  const list = await stack.owner.get(`${stack.project}/accessList`);
  assert.equal(list.status, 200, list.text);
  return (list.json as { results: Entry[] }).results;
}

describe('web console: IP Access List', () => {
  test('empty list; Add IP Address shows the API refusal, then adds a temporary CIDR block and an address', async () => {
    await signIn(page, stack.bootstrap.publicKey, stack.bootstrap.privateKey);
    await page.getByRole('tab', { name: 'IP Access List' }).click();
    await page.getByText('No IP access list entries yet.').waitFor();
    assert.match(page.url(), new RegExp(`/v2/${stack.projectId}/security/network/accessList$`));
    await expectAccessible(page, 'IP Access List, empty');

    await page.getByRole('button', { name: 'Add IP Address' }).click();
    await page.getByLabel('Access List Entry', { exact: true }).fill('10.1.2.300/16');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('The address 10.1.2.300/16 must be in valid IP address or CIDR notation. (INVALID_IP_ADDRESS_OR_CIDR_NOTATION)').waitFor();
    assert.deepEqual(await apiList(), [], 'nothing was added');

    await page.getByLabel('Access List Entry', { exact: true }).fill('10.1.2.3/16');
    await page.getByLabel('Comment').fill('office');
    assert.equal(await page.getByLabel('Delete after').isDisabled(), true, 'the expiry is chosen only for a temporary entry');
    await page.getByLabel('This entry is temporary and will be deleted in').check();
    await page.getByLabel('Delete after').selectOption({ label: '1 day' });
    await expectAccessible(page, 'Add IP Access List Entry dialog');
    await screenshot(page, '09-access-list-add');
    await page.getByRole('button', { name: 'Confirm' }).click();
    const block = page.locator('tr[data-entry="10.1.0.0/16"]');
    await block.waitFor();
    await block.getByText('office').waitFor();
    await block.locator('[data-column=status]', { hasText: 'Temporary' }).waitFor();

    await page.getByRole('button', { name: 'Add IP Address' }).click();
    await page.getByLabel('Access List Entry', { exact: true }).fill('192.0.2.7');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('tr[data-entry="192.0.2.7"]', { hasText: 'Active' }).waitFor();

    const entries = await apiList();
    assert.equal(entries.length, 2);
    const office = entries.find((e) => e.cidrBlock === '10.1.0.0/16')!;
    assert.equal(office.comment, 'office');
    const hours = (Date.parse(office.deleteAfterDate!) - Date.now()) / 3600_000;
    assert.ok(hours > 23 && hours <= 24, `deleted after about a day: ${office.deleteAfterDate}`);
    const address = entries.find((e) => e.ipAddress === '192.0.2.7')!;
    assert.equal(address.deleteAfterDate, undefined);
    await expectAccessible(page, 'IP Access List, two entries');
    await screenshot(page, '10-access-list');
  });

  test('Read Only sees the entries and no Add or Delete buttons', async () => {
    const made = await stack.owner.post(`${stack.project}/apiKeys`, { desc: 'console read only', roles: ['GROUP_READ_ONLY'] });
    assert.equal(made.status, 200, made.text);
    const key = made.json as { publicKey: string; privateKey: string };
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const reader = await context.newPage();
      reader.setDefaultTimeout(TIMEOUT);
      await signIn(reader, key.publicKey, key.privateKey);
      await reader.getByRole('tab', { name: 'IP Access List' }).click();
      await reader.locator('tr[data-entry="10.1.0.0/16"]', { hasText: 'office' }).waitFor();
      await reader.getByText(/you can see the IP access list, but not add or delete entries/).waitFor();
      assert.equal(await reader.getByRole('button', { name: 'Add IP Address' }).count(), 0);
      assert.equal(await reader.getByRole('button', { name: /^Delete/ }).count(), 0);
      await expectAccessible(reader, 'IP Access List, read only');
    } finally {
      await context.close();
    }
  });

  test('Delete → Confirm removes the entry', async () => {
    await page.getByRole('button', { name: 'Delete 192.0.2.7' }).click();
    await page.getByRole('dialog').getByText('Delete IP access list entry?').waitFor();
    await expectAccessible(page, 'Delete IP access list entry dialog');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('tr[data-entry="192.0.2.7"]').waitFor({ state: 'detached' });
    assert.deepEqual(
      (await apiList()).map((e) => e.cidrBlock),
      ['10.1.0.0/16'],
    );
  });

  test('no two fields are ever labelled by one label, not even on their first render (sign-in, Add IP Address)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      // Every DOM change is checked as it lands: an input whose aria-labelledby names the same
      // element as another input's, or an element that is not there, is recorded.
      await context.addInitScript(`
        window.labelFaults = [];
        new MutationObserver(() => {
          const seen = new Map();
          for (const input of document.querySelectorAll('input[aria-labelledby]')) {
            const labelId = input.getAttribute('aria-labelledby');
            if (!document.getElementById(labelId)) window.labelFaults.push(input.id + ': no element ' + labelId);
            if (seen.has(labelId)) window.labelFaults.push(seen.get(labelId) + ' and ' + input.id + ' share ' + labelId);
            seen.set(labelId, input.id);
          }
        }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-labelledby', 'id'] });
      `);
      const watched = await context.newPage();
      watched.setDefaultTimeout(TIMEOUT);
      await signIn(watched, stack.bootstrap.publicKey, stack.bootstrap.privateKey);
      await watched.getByRole('tab', { name: 'IP Access List' }).click();
      await watched.getByRole('button', { name: 'Add IP Address' }).click();
      await watched.getByLabel('Comment').waitFor();
      assert.equal((await watched.locator('input[aria-labelledby]').count()) >= 2, true, 'the dialog has labelled fields');
      assert.deepEqual(await watched.evaluate('window.labelFaults'), []);
    } finally {
      await context.close();
    }
  });
});
