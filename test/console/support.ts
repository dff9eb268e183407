import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client, type Subnet, type Vpc } from '@aws-sdk/client-ec2';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: the console tests drive it and never download a browser. */
export const CHROMIUM = process.env.PRIVLINK_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium; fails loudly when it is not installed (CI installs the `chromium` package). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium) or set PRIVLINK_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** Where the tests write screenshots (a few are committed under docs/console/). */
export const SCREENSHOTS = process.env.PRIVLINK_CONSOLE_SCREENSHOTS ?? join(process.env.PRIVLINK_TEST_SCRATCH ?? '/tmp', 'privlink-console-screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: ReadonlyArray<{ readonly target: unknown }>;
}

/** Runs axe-core in the page; returns the serious and critical violations (as text, for the assertion message). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Colours are checked as they end up: wait for running CSS transitions and animations to finish.
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');
  // Evaluated over the DevTools protocol, which the console's CSP (no inline script) does not govern.
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/**
 * Opens the console at `url`, chooses "API key" and submits the sign-in form with the key, finding
 * the fields by their labels.
 */
export async function signIn(page: Page, url: string, publicKey: string, privateKey: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign In' }).waitFor();
  await page.getByRole('button', { name: 'API key', exact: true }).click();
  await page.locator('#public-key').waitFor();
  await page.getByLabel('Public Key').fill(publicKey);
  await page.getByLabel('Private Key').fill(privateKey);
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/** Opens the console at `url` and signs in as a console user ("Email", the form's first choice). */
export async function signInWithEmail(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign In' }).waitFor();
  await page.getByRole('button', { name: 'Email', exact: true }).click();
  await page.locator('#email').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign In' }).click();
}

/**
 * The customer's part of the Interface Endpoint step: finds the default VPC and its subnet in
 * `zone` through the local cloud (AWS SDK), and types them into the wizard's VPC ID and Subnet IDs.
 */
export async function enterDefaultVpc(page: Page, ec2: EC2Client, zone = 'us-east-1a'): Promise<{ vpc: Vpc; subnet: Subnet }> {
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
  const filters = [
    { Name: 'vpc-id', Values: [vpc.VpcId!] },
    { Name: 'availability-zone', Values: [zone] },
  ];
  const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: filters }))).Subnets![0]!;
  await page.getByLabel('Your VPC ID').fill(vpc.VpcId!);
  await page.getByLabel('Your Subnet IDs').fill(subnet.SubnetId!);
  return { vpc, subnet };
}
