import { readFileSync } from 'node:fs';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { ResourceManagementClient } from '@azure/arm-resources';
import { CliError, FlagError } from '../../../framework/cli-errors.js';
import type { CommandContext } from '../../../framework/command-context.js';
import type { FlagSpec } from '../../../framework/command-spec.js';
import { EXIT } from '../../../framework/exit-codes.js';
import { readBootstrapFile } from '../../config/bootstrap-file.js';

/**
 * The customer side of the local cloud's Azure, without writing SDK code: the official Azure SDK
 * (@azure/identity ClientSecretCredential, @azure/arm-network, @azure/arm-resources; loaded only by
 * these commands) pointed at the local cloud's Azure Resource Manager.
 *
 * Each value is taken from the first source that has it:
 *   1. `--data-dir`: the server's bootstrap.json, `localCloud.azure` (endpoint, caPath, customer)
 *   2. environment, as the Azure SDK names it: AZURE_RESOURCE_MANAGER_ENDPOINT, AZURE_AUTHORITY_HOST,
 *      NODE_EXTRA_CA_CERTS, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID
 *   3. PRIVLINK_DATA_DIR (bootstrap.json, as 1)
 * Credentials are picked value by value; the authority host and the CA come from the source of the
 * endpoint. The authority host (token endpoint) defaults to the endpoint: the local cloud serves both.
 */
export const ARM_FLAGS: readonly FlagSpec[] = [
  {
    syntax: '--data-dir <dir>',
    description: "Data directory of a local privlink server: the Azure endpoint, its CA and the customer's service principal from its bootstrap.json.",
  },
];

/** Where the local cloud's Azure is and who the customer is there. */
export interface ArmTarget {
  readonly endpoint: string;
  readonly authorityHost: string;
  /** PEM file of the CA that signs the endpoint's certificate; undefined when the system's roots suffice. */
  readonly caPath: string | undefined;
  readonly tenantId: string;
  readonly subscriptionId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

type PartialTarget = { -readonly [K in keyof ArmTarget]?: string | undefined };

function fromBootstrap(dataDir: string | undefined): PartialTarget {
  if (!dataDir) return {};
  const azure = readBootstrapFile(dataDir).localCloud?.azure;
  if (!azure) throw new CliError(`${dataDir}/bootstrap.json has no localCloud.azure: the server runs without the local cloud's Azure (PRIVLINK_AZURE=local)`);
  return { endpoint: azure.endpoint, caPath: azure.caPath, ...azure.customer };
}

/** Resolves the target as documented above (pure apart from reading bootstrap.json). */
export function resolveArmTarget(ctx: CommandContext): ArmTarget {
  const env = ctx.io.env;
  const sources: PartialTarget[] = [
    fromBootstrap(ctx.flag('dataDir')),
    {
      endpoint: env.AZURE_RESOURCE_MANAGER_ENDPOINT,
      authorityHost: env.AZURE_AUTHORITY_HOST,
      caPath: env.NODE_EXTRA_CA_CERTS,
      tenantId: env.AZURE_TENANT_ID,
      subscriptionId: env.AZURE_SUBSCRIPTION_ID,
      clientId: env.AZURE_CLIENT_ID,
      clientSecret: env.AZURE_CLIENT_SECRET,
    },
    fromBootstrap(env.PRIVLINK_DATA_DIR || undefined),
  ];
  const pick = (field: keyof ArmTarget) => sources.map((s) => s[field]).find((v) => v !== undefined && v !== '');
  // The authority host and the CA go with the endpoint: NODE_EXTRA_CA_CERTS may name the system's
  // bundle while the endpoint comes from a data directory.
  const server = sources.find((s) => s.endpoint);
  const endpoint = server?.endpoint;
  if (!endpoint) throw new FlagError('no local cloud Azure endpoint: use --data-dir <server data dir>, PRIVLINK_DATA_DIR, or AZURE_RESOURCE_MANAGER_ENDPOINT');
  const [tenantId, subscriptionId, clientId, clientSecret] = (['tenantId', 'subscriptionId', 'clientId', 'clientSecret'] as const).map(pick);
  if (!tenantId || !subscriptionId || !clientId || !clientSecret) {
    throw new CliError(
      'Unable to locate credentials. Use --data-dir or PRIVLINK_DATA_DIR, or set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET and AZURE_SUBSCRIPTION_ID.',
      EXIT.AUTHENTICATION,
    );
  }
  return { endpoint, authorityHost: server.authorityHost || endpoint, caPath: server.caPath || undefined, tenantId, subscriptionId, clientId, clientSecret };
}

export interface ArmClients {
  readonly network: NetworkManagementClient;
  readonly resources: ResourceManagementClient;
  readonly target: ArmTarget;
}

/**
 * SDK clients of `subscriptionId` (default: the target's). The credential and each client have
 * their own HTTP pipeline, so each gets the local CA (`tlsOptions.ca`). Instance discovery is off:
 * it would ask login.microsoftonline.com about the authority. SDK retries are off, so an
 * unreachable endpoint fails at once.
 */
export async function armClients(ctx: CommandContext, subscriptionId?: string): Promise<ArmClients> {
  const target = resolveArmTarget(ctx);
  let ca: string | undefined;
  if (target.caPath) {
    try {
      ca = readFileSync(target.caPath, 'utf8');
    } catch (error) {
      throw new CliError(`cannot read the local cloud's CA ${target.caPath}: ${(error as Error).message}`);
    }
  }
  const [{ ClientSecretCredential }, { NetworkManagementClient }, { ResourceManagementClient }] = await Promise.all([
    import('@azure/identity'),
    import('@azure/arm-network'),
    import('@azure/arm-resources'),
  ]);
  const tls = ca ? { tlsOptions: { ca } } : {};
  const credential = new ClientSecretCredential(target.tenantId, target.clientId, target.clientSecret, {
    authorityHost: target.authorityHost,
    disableInstanceDiscovery: true,
    ...tls,
  });
  const options = { endpoint: target.endpoint, credentialScopes: ['https://management.azure.com/.default'], retryOptions: { maxRetries: 0 }, ...tls };
  const subscription = subscriptionId ?? target.subscriptionId;
  return {
    network: new NetworkManagementClient(credential, subscription, options),
    resources: new ResourceManagementClient(credential, subscription, options),
    target,
  };
}

/**
 * Runs one or more SDK calls; failures print as Azure words them: `(<Code>) <message>` for an
 * ARM error answer, the identity library's message for a failed sign-in, and "cannot reach" when
 * no answer came.
 */
export async function callArm<T>(target: ArmTarget, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw armError(target, error);
  }
}

function armError(target: ArmTarget, error: unknown): CliError {
  const e = error as { name?: string; code?: string; statusCode?: number; message?: string };
  if (e.name === 'AuthenticationError' || e.name === 'AuthenticationRequiredError' || e.name === 'CredentialUnavailableError') {
    // The identity library hides an unreachable host or an untrusted certificate behind this code.
    const hint = /endpoints_resolution_error/.test(e.message ?? '') ? ' (is the server running, and is its CA the one in --data-dir or NODE_EXTRA_CA_CERTS?)' : '';
    return new CliError(`sign-in to ${target.authorityHost} failed: ${firstLine(e.message)}${hint}`, EXIT.AUTHENTICATION);
  }
  if (e.statusCode !== undefined) return new CliError(`(${e.code ?? e.statusCode}) ${e.message ?? ''}`);
  if (e.name === 'RestError' || e.code)
    return new CliError(`cannot reach the local cloud's Azure Resource Manager at ${target.endpoint}: ${e.code ?? ''} ${firstLine(e.message)}`.trim());
  return new CliError(firstLine(e.message ?? String(error)));
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.trim();
}

/** A private endpoint's resource id, split. */
export interface PrivateEndpointRef {
  readonly id: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

const PRIVATE_ENDPOINT_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/privateEndpoints\/([^/]+)$/i;

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Network/privateEndpoints/{name}`; a flag error otherwise. */
export function parsePrivateEndpointId(id: string): PrivateEndpointRef {
  const match = PRIVATE_ENDPOINT_ID.exec(id);
  if (!match) throw new FlagError(`'${id}' is not a private endpoint resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/privateEndpoints/<name>)`);
  return { id, subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! };
}

/** The IPv4 address of a private endpoint: on its network interface, as Azure shows it. */
export async function privateEndpointAddress(network: NetworkManagementClient, networkInterfaces: ReadonlyArray<{ id?: string }> | undefined): Promise<string | undefined> {
  const nicId = networkInterfaces?.[0]?.id;
  if (!nicId) return undefined;
  const parts = nicId.split('/');
  const group = parts[parts.findIndex((p) => p.toLowerCase() === 'resourcegroups') + 1]!;
  const nic = await network.networkInterfaces.get(group, parts[parts.length - 1]!);
  return nic.ipConfigurations?.find((c) => c.privateIPAddress)?.privateIPAddress;
}

/** `-o json|text`; the default is text on a terminal, `whenPiped` otherwise. */
export function outputChoice(ctx: CommandContext, whenPiped: 'json' | 'text'): 'json' | 'text' {
  const output = ctx.flag('output') ?? (ctx.terminal ? 'text' : whenPiped);
  if (output !== 'json' && output !== 'text') throw new FlagError(`invalid argument "${output}" for "-o, --output" flag: valid values are text, json`);
  return output;
}
