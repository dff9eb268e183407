import { request } from 'node:https';
import { ClientSecretCredential } from '@azure/identity';
import { NetworkManagementClient } from '@azure/arm-network';
import { LocalCertificateAuthority } from '../../../src/localcloud/dataplane/certificates.js';
import { createLocalCloudAzure, type AzureCredentials, type LocalCloudAzure, type LocalCloudAzureOptions } from '../../../src/localcloud/azure/local-cloud-azure.js';
import { openTestStore, type TestStore } from '../../support/test-store.js';

/** Fast LRO polling for the SDK's begin…AndWait calls. */
export const POLL = { updateIntervalInMs: 5 } as const;

/**
 * One running Azure emulator for a test file: a fresh store, an in-memory CA, HTTPS on a free
 * port of 127.0.0.1, a controllable clock, and the official SDK's clients for any principal.
 */
export interface AzureHarness {
  readonly cloud: LocalCloudAzure;
  readonly testStore: TestStore;
  readonly ca: string;
  advance(ms: number): void;
  credential(account: AzureCredentials): ClientSecretCredential;
  network(account: AzureCredentials, subscriptionId?: string): NetworkManagementClient;
  /** A bearer token for the account (through the token endpoint, with the official credential). */
  token(account: AzureCredentials): Promise<string>;
  /** A raw ARM call with the account's token (or the given Authorization header). */
  arm(
    account: AzureCredentials | { authorization?: string },
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>;
  /** A form POST without authentication (the token endpoint). */
  form(path: string, fields: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Closes the emulator and starts a new one on the same store (a process restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startAzure(options: Partial<Pick<LocalCloudAzureOptions, 'delays' | 'pageSize'>> = {}): Promise<AzureHarness> {
  const testStore = await openTestStore();
  const authority = await LocalCertificateAuthority.inMemory();
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const start = () =>
    createLocalCloudAzure({
      store: testStore.store,
      delays: options.delays ?? 'instant',
      port: 0,
      certificates: authority,
      now,
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    });
  let cloud = await start();
  const credentials = new Map<string, ClientSecretCredential>();
  const h: AzureHarness = {
    get cloud() {
      return cloud;
    },
    testStore,
    ca: authority.caCertPem,
    advance: (ms) => void (offset += ms),
    credential(account) {
      const key = `${cloud.url}|${account.clientId}|${account.clientSecret}`;
      let credential = credentials.get(key);
      if (!credential) {
        credential = new ClientSecretCredential(account.tenantId, account.clientId, account.clientSecret, {
          authorityHost: cloud.url,
          disableInstanceDiscovery: true,
          tlsOptions: { ca: authority.caCertPem },
        });
        credentials.set(key, credential);
      }
      return credential;
    },
    network(account, subscriptionId = account.subscriptionId) {
      return new NetworkManagementClient(h.credential(account), subscriptionId, { endpoint: cloud.url, tlsOptions: { ca: authority.caCertPem } });
    },
    async token(account) {
      return (await h.credential(account).getToken(`${cloud.url}/.default`)).token;
    },
    async arm(account, method, path, body) {
      const authorization = 'clientId' in account ? `Bearer ${await h.token(account)}` : account.authorization;
      const text = body === undefined ? undefined : JSON.stringify(body);
      const url = new URL(path, cloud.url);
      return new Promise((resolve, reject) => {
        const req = request(
          url,
          {
            method,
            ca: authority.caCertPem,
            headers: { ...(authorization ? { authorization } : {}), ...(text ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) } : {}) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const raw = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw ? JSON.parse(raw) : undefined });
            });
          },
        );
        req.on('error', reject);
        req.end(text);
      });
    },
    async form(path, fields) {
      const text = new URLSearchParams(fields).toString();
      return new Promise((resolve, reject) => {
        const req = request(
          new URL(path, cloud.url),
          { method: 'POST', ca: authority.caCertPem, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(text)) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
          },
        );
        req.on('error', reject);
        req.end(text);
      });
    },
    async restart() {
      await cloud.close();
      credentials.clear();
      cloud = await start();
    },
    async close() {
      await cloud.close();
      await testStore.cleanup();
    },
  };
  return h;
}

/** Creates a resource group with a plain ARM call (no @azure/arm-resources here). */
export async function createGroup(h: AzureHarness, account: AzureCredentials, name: string, location = 'eastus'): Promise<void> {
  const res = await h.arm(account, 'PUT', `/subscriptions/${account.subscriptionId}/resourcegroups/${name}?api-version=2021-04-01`, { location });
  if (res.status !== 201 && res.status !== 200) throw new Error(`resource group ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** What `providerService` made. */
export interface ProviderService {
  readonly plsId: string;
  readonly alias: string;
  readonly loadBalancerId: string;
  readonly frontendIp: string;
}

/**
 * The provider flow: group `rg-provider`, a VNet with a frontend subnet and a NAT subnet
 * (privateLinkServiceNetworkPolicies Disabled), a Standard load balancer (frontend, a backend pool
 * of two addresses, a TCP rule 1024 → 27017) and a private link service visible to `visibleTo`.
 */
export async function providerService(
  h: AzureHarness,
  options: { name?: string; visibleTo?: string[]; autoApprove?: string[]; proxyProtocol?: boolean } = {},
): Promise<ProviderService> {
  const provider = h.cloud.accounts.provider;
  const net = h.network(provider);
  const name = options.name ?? 'pl-1';
  await createGroup(h, provider, 'rg-provider');
  const vnet = await net.virtualNetworks.beginCreateOrUpdateAndWait(
    'rg-provider',
    `${name}-vnet`,
    {
      location: 'eastus',
      addressSpace: { addressPrefixes: ['10.10.0.0/16'] },
      subnets: [
        { name: 'frontend', addressPrefix: '10.10.1.0/24' },
        { name: 'nat', addressPrefix: '10.10.2.0/24', privateLinkServiceNetworkPolicies: 'Disabled' },
      ],
    },
    POLL,
  );
  const frontendSubnet = vnet.subnets!.find((s) => s.name === 'frontend')!.id!;
  const natSubnet = vnet.subnets!.find((s) => s.name === 'nat')!.id!;
  const lbId = `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-provider/providers/Microsoft.Network/loadBalancers/${name}-lb`;
  const lb = await net.loadBalancers.beginCreateOrUpdateAndWait(
    'rg-provider',
    `${name}-lb`,
    {
      location: 'eastus',
      sku: { name: 'Standard' },
      frontendIPConfigurations: [{ name: 'fe', subnet: { id: frontendSubnet } }],
      backendAddressPools: [
        {
          name: 'nodes',
          loadBalancerBackendAddresses: [
            { name: 'n0', ipAddress: '10.10.1.10' },
            { name: 'n1', ipAddress: '10.10.1.11' },
          ],
        },
      ],
      loadBalancingRules: [
        {
          name: 'node0',
          frontendIPConfiguration: { id: `${lbId}/frontendIPConfigurations/fe` },
          backendAddressPool: { id: `${lbId}/backendAddressPools/nodes` },
          protocol: 'Tcp',
          frontendPort: 1024,
          backendPort: 27017,
        },
      ],
    },
    POLL,
  );
  const pls = await net.privateLinkServices.beginCreateOrUpdateAndWait(
    'rg-provider',
    name,
    {
      location: 'eastus',
      loadBalancerFrontendIpConfigurations: [{ id: lb.frontendIPConfigurations![0]!.id! }],
      ipConfigurations: [{ name: 'nat0', subnet: { id: natSubnet }, primary: true }],
      visibility: { subscriptions: options.visibleTo ?? [h.cloud.accounts.customer.subscriptionId] },
      autoApproval: { subscriptions: options.autoApprove ?? [] },
      enableProxyProtocol: options.proxyProtocol ?? false,
    },
    POLL,
  );
  return { plsId: pls.id!, alias: pls.alias!, loadBalancerId: lb.id!, frontendIp: lb.frontendIPConfigurations![0]!.privateIPAddress! };
}

/** The customer's group `rg-customer` with a VNet 10.20.0.0/16 and subnet `endpoints`; returns the subnet id. */
export async function customerSubnet(h: AzureHarness, account = h.cloud.accounts.customer): Promise<string> {
  await createGroup(h, account, 'rg-customer');
  const vnet = await h
    .network(account)
    .virtualNetworks.beginCreateOrUpdateAndWait(
      'rg-customer',
      'app-vnet',
      { location: 'eastus', addressSpace: { addressPrefixes: ['10.20.0.0/16'] }, subnets: [{ name: 'endpoints', addressPrefix: '10.20.1.0/24' }] },
      POLL,
    );
  return vnet.subnets![0]!.id!;
}

/** Asserts the promise rejects with an ARM RestError of this code (and status). */
export async function rejectsWithCode(call: Promise<unknown>, code: string, status?: number): Promise<Error & { code?: string; statusCode?: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as Error & { code?: string; statusCode?: number };
    if (e.code !== code) throw new Error(`expected ${code}, got ${e.code ?? e.name}: ${e.message}`);
    if (status !== undefined && e.statusCode !== status) throw new Error(`expected HTTP ${status}, got ${e.statusCode}`);
    return e;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}
