import { readFileSync } from 'node:fs';
import { NetworkManagementClient } from '@azure/arm-network';
import { ResourceManagementClient } from '@azure/arm-resources';
import { ClientSecretCredential } from '@azure/identity';

/** A service principal of the local Azure cloud, as bootstrap.json describes it. */
export interface AzurePrincipal {
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The official SDK's network and resource clients. */
export interface AzureClients {
  readonly network: NetworkManagementClient;
  readonly resources: ResourceManagementClient;
}

/** The official SDK's clients signed in as `account` against the local cloud at `endpoint` (trusting its CA). */
export function azureClients(cloud: { readonly endpoint: string; readonly caPath?: string }, account: AzurePrincipal): AzureClients {
  const ca = readFileSync(cloud.caPath!, 'utf8');
  const credential = new ClientSecretCredential(account.tenantId, account.clientId, account.clientSecret, {
    authorityHost: cloud.endpoint,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  });
  const options = { endpoint: cloud.endpoint, tlsOptions: { ca } };
  return {
    network: new NetworkManagementClient(credential, account.subscriptionId, options),
    resources: new ResourceManagementClient(credential, account.subscriptionId, options),
  };
}
