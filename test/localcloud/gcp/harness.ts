import { request } from 'node:http';
import {
  AddressesClient,
  FirewallsClient,
  ForwardingRulesClient,
  GlobalOperationsClient,
  NetworkEndpointGroupsClient,
  NetworksClient,
  RegionBackendServicesClient,
  RegionNetworkEndpointGroupsClient,
  RegionOperationsClient,
  ServiceAttachmentsClient,
  SubnetworksClient,
  ZoneOperationsClient,
  type protos,
} from '@google-cloud/compute';
import { createLocalCloudGcp, type GcpProject, type LocalCloudGcp, type LocalCloudGcpOptions } from '../../../src/localcloud/gcp/local-cloud-gcp.js';
import { openTestStore, type TestStore } from '../../support/test-store.js';

// The client probes the metadata server when it looks for default credentials; the tests pass keys.
process.env.METADATA_SERVER_DETECTION = 'none';

export type Operation = protos.google.cloud.compute.v1.IOperation;
export const REGION = 'us-central1';
export const ZONE = 'us-central1-a';

/** The official Compute clients for one project, authenticated with its service-account key (self-signed JWTs). */
export interface ComputeClients {
  readonly project: string;
  readonly networks: NetworksClient;
  readonly subnetworks: SubnetworksClient;
  readonly firewalls: FirewallsClient;
  readonly addresses: AddressesClient;
  readonly negs: NetworkEndpointGroupsClient;
  readonly regionNegs: RegionNetworkEndpointGroupsClient;
  readonly backendServices: RegionBackendServicesClient;
  readonly forwardingRules: ForwardingRulesClient;
  readonly serviceAttachments: ServiceAttachmentsClient;
  readonly regionOperations: RegionOperationsClient;
  readonly globalOperations: GlobalOperationsClient;
  readonly zoneOperations: ZoneOperationsClient;
  /** Waits (operations `wait`) until the operation a write answered is DONE; throws its error. */
  done(call: Promise<unknown>): Promise<Operation>;
}

export interface GcpHarness {
  readonly cloud: LocalCloudGcp;
  readonly testStore: TestStore;
  advance(ms: number): void;
  clients(project: GcpProject): ComputeClients;
  /** A raw HTTP call (JSON), with the given Authorization header or none. */
  http(method: string, path: string, options?: { authorization?: string; body?: string; contentType?: string }): Promise<{ status: number; body: any }>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The official clients for `project` against `cloud`. */
export function computeClients(cloud: LocalCloudGcp, project: GcpProject): ComputeClients {
  // The whole key file as `credentials`: the client signs JWTs with it (kid = private_key_id) and, with no scopes, sends them as is.
  const withKey = {
    apiEndpoint: cloud.host,
    port: cloud.port,
    protocol: 'http',
    credentials: { ...project.serviceAccountKey },
    scopes: [] as string[],
    projectId: project.projectId,
  };
  const c: ComputeClients = {
    project: project.projectId,
    networks: new NetworksClient(withKey),
    subnetworks: new SubnetworksClient(withKey),
    firewalls: new FirewallsClient(withKey),
    addresses: new AddressesClient(withKey),
    negs: new NetworkEndpointGroupsClient(withKey),
    regionNegs: new RegionNetworkEndpointGroupsClient(withKey),
    backendServices: new RegionBackendServicesClient(withKey),
    forwardingRules: new ForwardingRulesClient(withKey),
    serviceAttachments: new ServiceAttachmentsClient(withKey),
    regionOperations: new RegionOperationsClient(withKey),
    globalOperations: new GlobalOperationsClient(withKey),
    zoneOperations: new ZoneOperationsClient(withKey),
    async done(call: Promise<unknown>): Promise<Operation> {
      const [lro] = (await call) as [{ latestResponse: Operation }];
      let op = lro.latestResponse;
      while (op.status !== 'DONE') {
        const name = op.name!;
        if (op.region) [op] = await c.regionOperations.wait({ project: project.projectId, region: op.region.split('/').pop()!, operation: name });
        else if (op.zone) [op] = await c.zoneOperations.wait({ project: project.projectId, zone: op.zone.split('/').pop()!, operation: name });
        else [op] = await c.globalOperations.wait({ project: project.projectId, operation: name });
      }
      if (op.error?.errors?.length) throw new Error(`operation failed: ${JSON.stringify(op.error)}`);
      return op;
    },
  };
  return c;
}

export async function startGcp(options: Partial<Pick<LocalCloudGcpOptions, 'delays' | 'pageSize' | 'operationWaitMs' | 'quotas'>> = {}): Promise<GcpHarness> {
  const testStore = await openTestStore();
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const start = () => createLocalCloudGcp({ store: testStore.store, delays: options.delays ?? 'instant', port: 0, now, ...options });
  let cloud = await start();
  const h: GcpHarness = {
    get cloud() {
      return cloud;
    },
    testStore,
    advance: (ms) => void (offset += ms),
    clients: (project) => computeClients(cloud, project),
    http(method, path, o = {}) {
      return new Promise((resolve, reject) => {
        const req = request(
          new URL(path, cloud.url),
          {
            method,
            headers: {
              ...(o.authorization ? { authorization: o.authorization } : {}),
              ...(o.body !== undefined ? { 'content-type': o.contentType ?? 'application/json', 'content-length': String(Buffer.byteLength(o.body)) } : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
            });
          },
        );
        req.on('error', reject);
        req.end(o.body);
      });
    },
    async restart() {
      await cloud.close();
      cloud = await start();
    },
    async close() {
      await cloud.close();
      await testStore.cleanup();
    },
  };
  return h;
}

/** What `producerService` made (resource names in the producer project). */
export interface ProducerService {
  readonly attachmentUrl: string;
  readonly ilbUrl: string;
  readonly ilbIp: string;
}

/**
 * The producer flow: network `prod-net`, subnet 10.10.1.0/24, NAT subnet 10.10.9.0/24
 * (PRIVATE_SERVICE_CONNECT), a hybrid NEG with two node endpoints, an INTERNAL backend service,
 * an ILB forwarding rule on port 27017 and a service attachment (ACCEPT_MANUAL, empty accept list
 * unless given).
 */
export async function producerService(
  h: Pick<GcpHarness, 'cloud' | 'clients'>,
  options: { name?: string; acceptLists?: Array<{ projectIdOrNum: string; connectionLimit: number }>; proxyProtocol?: boolean } = {},
): Promise<ProducerService> {
  const p = h.clients(h.cloud.projects.producer);
  const project = p.project;
  const name = options.name ?? 'svc';
  await p.done(p.networks.insert({ project, networkResource: { name: `${name}-net`, autoCreateSubnetworks: false } }));
  await p.done(
    p.subnetworks.insert({ project, region: REGION, subnetworkResource: { name: `${name}-nodes`, network: `global/networks/${name}-net`, ipCidrRange: '10.10.1.0/24' } }),
  );
  await p.done(
    p.subnetworks.insert({
      project,
      region: REGION,
      subnetworkResource: { name: `${name}-nat`, network: `global/networks/${name}-net`, ipCidrRange: '10.10.9.0/24', purpose: 'PRIVATE_SERVICE_CONNECT' },
    }),
  );
  await p.done(
    p.negs.insert({
      project,
      zone: ZONE,
      networkEndpointGroupResource: { name: `${name}-nodes`, networkEndpointType: 'NON_GCP_PRIVATE_IP_PORT', network: `global/networks/${name}-net`, defaultPort: 27017 },
    }),
  );
  await p.done(
    p.negs.attachNetworkEndpoints({
      project,
      zone: ZONE,
      networkEndpointGroup: `${name}-nodes`,
      networkEndpointGroupsAttachEndpointsRequestResource: { networkEndpoints: [{ ipAddress: '10.10.1.10', port: 27017 }, { ipAddress: '10.10.1.11' }] },
    }),
  );
  await p.done(
    p.backendServices.insert({
      project,
      region: REGION,
      backendServiceResource: { name: `${name}-bs`, loadBalancingScheme: 'INTERNAL', protocol: 'TCP', backends: [{ group: `zones/${ZONE}/networkEndpointGroups/${name}-nodes` }] },
    }),
  );
  await p.done(
    p.forwardingRules.insert({
      project,
      region: REGION,
      forwardingRuleResource: {
        name: `${name}-ilb`,
        loadBalancingScheme: 'INTERNAL',
        backendService: `regions/${REGION}/backendServices/${name}-bs`,
        subnetwork: `regions/${REGION}/subnetworks/${name}-nodes`,
        ports: ['27017'],
      },
    }),
  );
  const [ilb] = await p.forwardingRules.get({ project, region: REGION, forwardingRule: `${name}-ilb` });
  await p.done(
    p.serviceAttachments.insert({
      project,
      region: REGION,
      serviceAttachmentResource: {
        name,
        targetService: ilb.selfLink!,
        connectionPreference: 'ACCEPT_MANUAL',
        natSubnets: [`regions/${REGION}/subnetworks/${name}-nat`],
        consumerAcceptLists: options.acceptLists ?? [],
        enableProxyProtocol: options.proxyProtocol ?? true,
      },
    }),
  );
  const [attachment] = await p.serviceAttachments.get({ project, region: REGION, serviceAttachment: name });
  return { attachmentUrl: attachment.selfLink!, ilbUrl: ilb.selfLink!, ilbIp: ilb.IPAddress! };
}

/** The consumer's network `app-net` with subnet 10.20.1.0/24 (idempotent per harness only once). */
export async function consumerNetwork(h: Pick<GcpHarness, 'cloud' | 'clients'>, project: GcpProject = h.cloud.projects.consumer): Promise<ComputeClients> {
  const c = h.clients(project);
  await c.done(c.networks.insert({ project: c.project, networkResource: { name: 'app-net', autoCreateSubnetworks: false } }));
  await c.done(
    c.subnetworks.insert({ project: c.project, region: REGION, subnetworkResource: { name: 'app-subnet', network: 'global/networks/app-net', ipCidrRange: '10.20.1.0/24' } }),
  );
  return c;
}

/** The consumer reserves `name`-ip and creates PSC forwarding rule `name` to the attachment. */
export async function pscEndpoint(c: ComputeClients, name: string, attachmentUrl: string): Promise<void> {
  await c.done(
    c.addresses.insert({
      project: c.project,
      region: REGION,
      addressResource: { name: `${name}-ip`, addressType: 'INTERNAL', subnetwork: `regions/${REGION}/subnetworks/app-subnet` },
    }),
  );
  await c.done(
    c.forwardingRules.insert({
      project: c.project,
      region: REGION,
      forwardingRuleResource: { name, target: attachmentUrl, network: 'global/networks/app-net', IPAddress: `regions/${REGION}/addresses/${name}-ip` },
    }),
  );
}

/** Asserts the call rejects with this HTTP status and returns the parsed Compute error body. */
export async function rejectsWith(
  call: Promise<unknown>,
  status: number,
): Promise<{ error: { code: number; message: string; errors: Array<{ reason: string; message: string; domain: string }> } }> {
  try {
    await call;
  } catch (error) {
    const e = error as Error & { code?: number; status?: number };
    const code = e.code ?? e.status;
    if (code !== status) throw new Error(`expected HTTP ${status}, got ${String(code)}: ${e.message}`);
    return JSON.parse(e.message);
  }
  throw new Error(`expected HTTP ${status}, but the call succeeded`);
}
