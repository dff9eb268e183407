import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { DescribeSubnetsCommand, DescribeVpcsCommand, type EC2Client, type Subnet, type Vpc } from '@aws-sdk/client-ec2';
import { chromium, type Browser, type Page } from 'playwright-core';
import { azureClients, type AzureClients, type AzurePrincipal } from '../support/azure-clients.js';

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

/** The local cloud's Azure Resource Manager as bootstrap.json describes it (`localCloud.azure`). */
export interface LocalAzure {
  readonly endpoint: string;
  readonly caPath?: string;
  readonly customer: AzurePrincipal;
}

/** The customer's Azure clients (the official SDK, signed in as the customer's service principal against the local cloud). */
export type AzureCustomer = AzureClients;

export function azureCustomer(cloud: LocalAzure): AzureCustomer {
  return azureClients(cloud, cloud.customer);
}

/** What `az network private-endpoint create` is asked to make (the wizard's command names each of these). */
export interface AzurePrivateEndpointRequest {
  readonly resourceGroup: string;
  readonly vnet: string;
  readonly subnet: string;
  readonly name: string;
  readonly privateLinkServiceId: string;
  readonly connectionName: string;
}

/** Reads the arguments of the `az network private-endpoint create …` line the wizard generated. */
export function azureCommandArguments(command: string): AzurePrivateEndpointRequest {
  const line = command.split('\n').find((l) => l.startsWith('az network private-endpoint create '));
  if (!line) throw new Error(`no az network private-endpoint create in: ${command}`);
  const arg = (flag: string) => {
    const value = new RegExp(`--${flag} (\\S+)`).exec(line)?.[1];
    if (!value) throw new Error(`--${flag} missing in: ${line}`);
    return value;
  };
  return {
    resourceGroup: arg('resource-group'),
    vnet: arg('vnet-name'),
    subnet: arg('subnet'),
    name: arg('name'),
    privateLinkServiceId: arg('private-connection-resource-id'),
    connectionName: arg('connection-name'),
  };
}

const AZURE_WAIT = { updateIntervalInMs: 20 };

/**
 * The customer runs the wizard's command, here with the Azure SDK: resource group, VNet
 * 10.1.0.0/16 with the subnet 10.1.0.0/24 (in `location`), and the private endpoint with a manual
 * connection to the private link service. Returns what the wizard asks for next: the private
 * endpoint's resource id and its IP address (on its network interface).
 */
export async function createAzurePrivateEndpoint(customer: AzureCustomer, request: AzurePrivateEndpointRequest, location: string): Promise<{ id: string; ip: string }> {
  const { network, resources } = customer;
  await resources.resourceGroups.createOrUpdate(request.resourceGroup, { location });
  const vnet = await network.virtualNetworks.beginCreateOrUpdateAndWait(
    request.resourceGroup,
    request.vnet,
    {
      location,
      addressSpace: { addressPrefixes: ['10.1.0.0/16'] },
      subnets: [{ name: request.subnet, addressPrefix: '10.1.0.0/24', privateEndpointNetworkPolicies: 'Disabled' }],
    },
    AZURE_WAIT,
  );
  const pe = await network.privateEndpoints.beginCreateOrUpdateAndWait(
    request.resourceGroup,
    request.name,
    {
      location,
      subnet: { id: vnet.subnets!.find((s) => s.name === request.subnet)!.id! },
      manualPrivateLinkServiceConnections: [{ name: request.connectionName, privateLinkServiceId: request.privateLinkServiceId }],
    },
    AZURE_WAIT,
  );
  const nic = await network.networkInterfaces.get(request.resourceGroup, pe.networkInterfaces![0]!.id!.split('/').pop()!);
  return { id: pe.id!, ip: nic.ipConfigurations![0]!.privateIPAddress! };
}
