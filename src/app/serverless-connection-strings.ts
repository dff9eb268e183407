import type { ServerlessInstanceRecord } from '../domain/serverless-instance.js';
import { serverlessHost, serverlessSrvName } from '../domain/serverless-topology.js';
import type { Repositories } from '../store/repositories.js';

/** `connectionStrings` of a serverless instance (Atlas's `ServerlessInstanceDescriptionConnectionStrings`). */
export interface ServerlessConnectionStrings {
  readonly privateEndpoint: ReadonlyArray<{
    readonly endpoints: ReadonlyArray<{ readonly endpointId: string; readonly providerName: 'AWS' | 'AZURE'; readonly region: string }>;
    readonly srvConnectionString: string;
    readonly type: 'MONGOS';
  }>;
  readonly standardSrv: string;
}

/**
 * The instance's strings from stored state: `standardSrv`, and one `privateEndpoint[]` entry per
 * AVAILABLE private endpoint (Atlas: "returns only if you created a private endpoint for this
 * serverless instance and it is AVAILABLE"), in `pe-<n>` order.
 */
export async function serverlessConnectionStrings(repos: Repositories, instance: ServerlessInstanceRecord, domain: string): Promise<ServerlessConnectionStrings> {
  const project = await repos.identity.findProject(instance.projectId);
  const suffix = project?.hostSuffix ?? 'unknown';
  const endpoints = instance.deleteRequested
    ? []
    : (await repos.serverlessEndpoints.listByInstance(instance.id)).filter((e) => e.status === 'AVAILABLE' && !e.deleteRequested && e.cloudProviderEndpointId);
  return {
    privateEndpoint: endpoints
      .sort((a, b) => a.peIndex - b.peIndex)
      .map((e) => ({
        endpoints: [{ endpointId: e.cloudProviderEndpointId!, providerName: e.provider, region: e.regionName }],
        srvConnectionString: `mongodb+srv://${serverlessSrvName(instance.name, e.peIndex, suffix, domain)}`,
        type: 'MONGOS' as const,
      })),
    standardSrv: `mongodb+srv://${serverlessHost(instance.name, suffix, domain)}`,
  };
}
