import {
  ForwardingRulesClient,
  GlobalOperationsClient,
  NetworksClient,
  RegionBackendServicesClient,
  RegionNetworkEndpointGroupsClient,
  RegionOperationsClient,
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

/** The REST clients of the producer project, created once. */
export class GcpClients {
  readonly networks: NetworksClient;
  readonly subnetworks: SubnetworksClient;
  /** Regional port-mapping network endpoint groups. */
  readonly negs: RegionNetworkEndpointGroupsClient;
  readonly backendServices: RegionBackendServicesClient;
  readonly forwardingRules: ForwardingRulesClient;
  readonly serviceAttachments: ServiceAttachmentsClient;
  readonly regionOperations: RegionOperationsClient;
  readonly globalOperations: GlobalOperationsClient;

  constructor(readonly connection: GcpConnection) {
    const options = {
      projectId: connection.projectId,
      ...(connection.endpoint ? { apiEndpoint: connection.endpoint.host, port: connection.endpoint.port, protocol: 'http' } : {}),
      ...(connection.serviceAccountKey ? { credentials: { ...connection.serviceAccountKey }, scopes: [] as string[] } : {}),
    };
    this.networks = new NetworksClient(options);
    this.subnetworks = new SubnetworksClient(options);
    this.negs = new RegionNetworkEndpointGroupsClient(options);
    this.backendServices = new RegionBackendServicesClient(options);
    this.forwardingRules = new ForwardingRulesClient(options);
    this.serviceAttachments = new ServiceAttachmentsClient(options);
    this.regionOperations = new RegionOperationsClient(options);
    this.globalOperations = new GlobalOperationsClient(options);
  }

  async close(): Promise<void> {
    for (const client of [
      this.networks,
      this.subnetworks,
      this.negs,
      this.backendServices,
      this.forwardingRules,
      this.serviceAttachments,
      this.regionOperations,
      this.globalOperations,
    ]) {
      await client.close();
    }
  }
}
