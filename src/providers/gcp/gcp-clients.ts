import type { ProviderAccountAccess } from '../cloud-provider.js';
import type {
  ForwardingRulesClient,
  GlobalOperationsClient,
  NetworksClient,
  ProjectsClient,
  RegionBackendServicesClient,
  RegionNetworkEndpointGroupsClient,
  RegionOperationsClient,
  RegionsClient,
  ServiceAttachmentsClient,
  SubnetworksClient,
} from '@google-cloud/compute';

/**
 * How the GCP adapter reaches Compute Engine. Against the local cloud: its host and port over
 * HTTP with the producer project's service-account key (self-signed JWTs, no scopes). Against
 * Google: no endpoint, and Application Default Credentials. Only these differ; every call is the same.
 */
export interface GcpConnection {
  /** The producer project: networks, load balancers and service attachments live there. */
  readonly projectId: string;
  /** The local cloud's host and port; undefined for Compute Engine itself. */
  readonly endpoint: { readonly host: string; readonly port: number } | undefined;
  /** A service-account key file's JSON; undefined for Application Default Credentials. */
  readonly serviceAccountKey: object | undefined;
}

/** The REST clients of the producer project. */
export interface ComputeClients {
  readonly networks: NetworksClient;
  readonly subnetworks: SubnetworksClient;
  /** Regional port-mapping network endpoint groups. */
  readonly negs: RegionNetworkEndpointGroupsClient;
  readonly backendServices: RegionBackendServicesClient;
  readonly forwardingRules: ForwardingRulesClient;
  readonly serviceAttachments: ServiceAttachmentsClient;
  readonly regionOperations: RegionOperationsClient;
  readonly globalOperations: GlobalOperationsClient;
  /** `regions.get` (the region's quotas) and `projects.get` (the project's). */
  readonly regions: RegionsClient;
  readonly projects: ProjectsClient;
}

/**
 * The producer project's REST clients, made once on first use: `@google-cloud/compute` (its
 * protobuf descriptors and google-gax) takes seconds of CPU to load, so a process that never
 * handles a GCP endpoint service never loads it.
 */
export class GcpClients {
  private loading: Promise<ComputeClients> | undefined;

  constructor(readonly connection: GcpConnection) {}

  /** The clients; the first call loads the library and makes them. */
  compute(): Promise<ComputeClients> {
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<ComputeClients> {
    // Each client from its own module: the package's index also loads every Compute message
    // class (a 30 MB module), which these clients never use.
    const [networks, subnetworks, negs, backendServices, forwardingRules, serviceAttachments, regionOperations, globalOperations, regions, projects] = await Promise.all([
      import('@google-cloud/compute/build/src/v1/networks_client.js'),
      import('@google-cloud/compute/build/src/v1/subnetworks_client.js'),
      import('@google-cloud/compute/build/src/v1/region_network_endpoint_groups_client.js'),
      import('@google-cloud/compute/build/src/v1/region_backend_services_client.js'),
      import('@google-cloud/compute/build/src/v1/forwarding_rules_client.js'),
      import('@google-cloud/compute/build/src/v1/service_attachments_client.js'),
      import('@google-cloud/compute/build/src/v1/region_operations_client.js'),
      import('@google-cloud/compute/build/src/v1/global_operations_client.js'),
      import('@google-cloud/compute/build/src/v1/regions_client.js'),
      import('@google-cloud/compute/build/src/v1/projects_client.js'),
    ]);
    const connection = this.connection;
    const options = {
      projectId: connection.projectId,
      ...(connection.endpoint ? { apiEndpoint: connection.endpoint.host, port: connection.endpoint.port, protocol: 'http' } : {}),
      ...(connection.serviceAccountKey ? { credentials: { ...connection.serviceAccountKey }, scopes: [] as string[] } : {}),
    };
    return {
      networks: new networks.NetworksClient(options),
      subnetworks: new subnetworks.SubnetworksClient(options),
      negs: new negs.RegionNetworkEndpointGroupsClient(options),
      backendServices: new backendServices.RegionBackendServicesClient(options),
      forwardingRules: new forwardingRules.ForwardingRulesClient(options),
      serviceAttachments: new serviceAttachments.ServiceAttachmentsClient(options),
      regionOperations: new regionOperations.RegionOperationsClient(options),
      globalOperations: new globalOperations.GlobalOperationsClient(options),
      regions: new regions.RegionsClient(options),
      projects: new projects.ProjectsClient(options),
    };
  }

  /** Closes the clients, if they were ever made. */
  async close(): Promise<void> {
    if (!this.loading) return;
    const clients = await this.loading;
    for (const client of Object.values(clients)) await client.close();
  }
}

/**
 * The clients of each project the adapter works in: the configured producer project and the pool's
 * projects (each with its service account key, against the same endpoint). Made once per pool
 * account and kept.
 */
export class GcpClientPool {
  private readonly accounts = new Map<string, GcpClients>();

  constructor(readonly base: GcpClients) {}

  /** The clients of a pool project; the configured project's without one. */
  forAccount(account: ProviderAccountAccess | undefined): GcpClients {
    if (!account?.gcp) return this.base;
    const known = this.accounts.get(account.id);
    if (known) return known;
    const key = JSON.parse(account.gcp.serviceAccountKey) as object;
    const clients = new GcpClients({ ...this.base.connection, projectId: account.gcp.projectId, serviceAccountKey: key });
    this.accounts.set(account.id, clients);
    return clients;
  }

  /** Closes every project's clients. */
  async close(): Promise<void> {
    await this.base.close();
    for (const clients of this.accounts.values()) await clients.close();
  }
}
