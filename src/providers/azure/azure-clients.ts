import type { NetworkManagementClient } from '@azure/arm-network';
import type { ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/core-auth';
import type { ProviderAccountAccess } from '../cloud-provider.js';

/**
 * How the Azure adapter reaches Azure Resource Manager. Against the local cloud: its HTTPS
 * endpoint, its token endpoint as authority host (instance discovery off: it would ask
 * login.microsoftonline.com), the local CA, and the provider's service principal. Against Azure:
 * no endpoint (ARM's), and the SDK's default credential chain (environment, managed identity,
 * Azure CLI, …). Only these differ; every call is the same.
 */
export interface AzureConnection {
  readonly subscriptionId: string;
  /** The local cloud's ARM endpoint (`https://127.0.0.1:4567`); undefined for Azure itself. */
  readonly endpoint: string | undefined;
  /** The local cloud's service principal; undefined for the default credential chain. */
  readonly servicePrincipal: { readonly tenantId: string; readonly clientId: string; readonly clientSecret: string } | undefined;
  /** PEM of the CA that signed the local cloud's certificate. */
  readonly ca: string | undefined;
  /** Called once per API call sent (e.g. `PrivateLinkServices.get`): for metrics and call counts. */
  readonly onCall?: (operation: string) => void;
}

/** The SDK clients of one subscription. SDK retries are off: the reconciler retries with backoff. */
export interface AzureClients {
  readonly connection: AzureConnection;
  readonly network: NetworkManagementClient;
  readonly resources: ResourceManagementClient;
}

/**
 * Makes the SDK clients of `connection`, loading the Azure SDK on the first call: it takes about a
 * second of CPU to load, so a process that never handles an Azure endpoint service never loads it.
 */
export async function azureClients(connection: AzureConnection): Promise<AzureClients> {
  const [{ NetworkManagementClient }, { ResourceManagementClient }, { ClientSecretCredential, DefaultAzureCredential }] = await Promise.all([
    import('@azure/arm-network'),
    import('@azure/arm-resources'),
    import('@azure/identity'),
  ]);
  const tlsOptions = connection.ca ? { ca: connection.ca } : undefined;
  const credential: TokenCredential = connection.servicePrincipal
    ? new ClientSecretCredential(connection.servicePrincipal.tenantId, connection.servicePrincipal.clientId, connection.servicePrincipal.clientSecret, {
        ...(connection.endpoint ? { authorityHost: connection.endpoint, disableInstanceDiscovery: true } : {}),
        ...(tlsOptions ? { tlsOptions } : {}),
      })
    : new DefaultAzureCredential();
  const options = {
    ...(connection.endpoint ? { endpoint: connection.endpoint, credentialScopes: ['https://management.azure.com/.default'] } : {}),
    ...(tlsOptions ? { tlsOptions } : {}),
    retryOptions: { maxRetries: 0 },
  };
  const network = new NetworkManagementClient(credential, connection.subscriptionId, options);
  const resources = new ResourceManagementClient(credential, connection.subscriptionId, options);
  const onCall = connection.onCall;
  if (onCall) {
    for (const client of [network, resources]) {
      client.pipeline.addPolicy({
        name: 'privlinkCallCounter',
        sendRequest: (request, next) => {
          onCall(`${request.method} ${new URL(request.url).pathname.replace(/^.*\/providers\/(Microsoft\.\w+\/\w+).*$/, '$1')}`);
          return next(request);
        },
      });
    }
  }
  return { connection, network, resources };
}

/**
 * The SDK clients of each subscription the adapter works in: the configured provider subscription
 * and the pool's subscriptions (each with its own service principal, against the same ARM endpoint
 * and CA). Clients are made once per pool account and kept.
 */
export class AzureClientPool {
  private base: Promise<AzureClients> | undefined;
  private readonly accounts = new Map<string, Promise<AzureClients>>();

  constructor(readonly connection: AzureConnection) {}

  /** The clients of a pool subscription; the configured subscription's without one. */
  forAccount(account: ProviderAccountAccess | undefined): Promise<AzureClients> {
    if (!account?.azure) return (this.base ??= azureClients(this.connection));
    const known = this.accounts.get(account.id);
    if (known) return known;
    const { subscriptionId, tenantId, clientId, clientSecret } = account.azure;
    const clients = azureClients({ ...this.connection, subscriptionId, servicePrincipal: { tenantId, clientId, clientSecret } });
    this.accounts.set(account.id, clients);
    return clients;
  }
}
