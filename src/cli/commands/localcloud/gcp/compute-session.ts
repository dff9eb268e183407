import { readFileSync } from 'node:fs';
import type { AddressesClient, ForwardingRulesClient, GlobalOperationsClient, NetworksClient, RegionOperationsClient, SubnetworksClient, protos } from '@google-cloud/compute';
import { CliError, FlagError } from '../../../framework/cli-errors.js';
import type { CommandContext } from '../../../framework/command-context.js';
import type { FlagSpec } from '../../../framework/command-spec.js';
import { EXIT } from '../../../framework/exit-codes.js';
import { readBootstrapFile } from '../../config/bootstrap-file.js';

export type Operation = protos.google.cloud.compute.v1.IOperation;

/**
 * The customer side of the local cloud's GCP, without gcloud: the official `@google-cloud/compute`
 * REST clients (loaded only by these commands) pointed at the local cloud's Compute Engine, signed
 * in with the customer's service-account key (self-signed JWTs, no token call).
 *
 * Each value is taken from the first source that has it:
 *   1. `--data-dir`: the server's bootstrap.json, `localCloud.gcp` (endpoint, projectId, keyFile)
 *   2. environment, as gcloud and the Google libraries name it: CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE
 *      (`http://127.0.0.1:4568/compute/v1/`), GOOGLE_APPLICATION_CREDENTIALS, CLOUDSDK_CORE_PROJECT
 *   3. PRIVLINK_DATA_DIR (bootstrap.json, as 1)
 * `--project` overrides the project; without any, the key file's `project_id` is used.
 */
export const COMPUTE_FLAGS: readonly FlagSpec[] = [
  {
    syntax: '--data-dir <dir>',
    description: "Data directory of a local privlink server: the Compute Engine endpoint, the customer's project and key file from its bootstrap.json.",
  },
  { syntax: '--project <projectId>', description: "The customer's project (default: from --data-dir, CLOUDSDK_CORE_PROJECT, or the key file's project_id)." },
];

/** Where the local cloud's Compute Engine is and who the customer is there. */
export interface ComputeTarget {
  /** `http://host:port` of the local cloud's Compute Engine. */
  readonly endpoint: string;
  readonly projectId: string;
  /** Path of the service-account key file (JSON). */
  readonly keyFile: string;
}

type PartialTarget = { -readonly [K in keyof ComputeTarget]?: string | undefined };

function fromBootstrap(dataDir: string | undefined): PartialTarget {
  if (!dataDir) return {};
  const gcp = readBootstrapFile(dataDir).localCloud?.gcp;
  if (!gcp) throw new CliError(`${dataDir}/bootstrap.json has no localCloud.gcp: the server runs without the local cloud's GCP (PRIVLINK_GCP=local)`);
  return { endpoint: gcp.endpoint, projectId: gcp.projectId, keyFile: gcp.keyFile };
}

/** `http://127.0.0.1:4568/compute/v1/` (gcloud's override) → `http://127.0.0.1:4568`. */
function endpointOrigin(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    throw new FlagError(`'${value}' is not a URL (CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE)`);
  }
}

/** Resolves the target as documented above (pure apart from reading bootstrap.json and, for the project, the key file). */
export function resolveComputeTarget(ctx: CommandContext): ComputeTarget {
  const env = ctx.io.env;
  const sources: PartialTarget[] = [
    fromBootstrap(ctx.flag('dataDir')),
    {
      endpoint: endpointOrigin(env.CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE),
      keyFile: env.GOOGLE_APPLICATION_CREDENTIALS,
      projectId: env.CLOUDSDK_CORE_PROJECT,
    },
    fromBootstrap(env.PRIVLINK_DATA_DIR || undefined),
  ];
  const pick = (field: keyof ComputeTarget) => sources.map((s) => s[field]).find((v) => v !== undefined && v !== '');
  const endpoint = pick('endpoint');
  if (!endpoint) throw new FlagError('no local cloud GCP endpoint: use --data-dir <server data dir>, PRIVLINK_DATA_DIR, or CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE');
  const keyFile = pick('keyFile');
  if (!keyFile)
    throw new CliError(
      'Unable to locate credentials. Use --data-dir or PRIVLINK_DATA_DIR, or set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file.',
      EXIT.AUTHENTICATION,
    );
  const projectId = ctx.flag('project') || pick('projectId') || readKey(keyFile).project_id;
  if (!projectId) throw new FlagError('no project: use --project, --data-dir or CLOUDSDK_CORE_PROJECT');
  return { endpoint, projectId, keyFile };
}

interface KeyFile {
  readonly type?: string;
  readonly project_id?: string;
  readonly client_email?: string;
  readonly private_key?: string;
}

function readKey(path: string): KeyFile {
  try {
    const key = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    if (key.type !== 'service_account' || !key.client_email || !key.private_key) throw new Error('not a service-account key file');
    return key;
  } catch (error) {
    throw new CliError(`cannot read the service-account key ${path}: ${(error as Error).message}`, EXIT.AUTHENTICATION);
  }
}

/** The customer's Compute clients, and `done` to wait for an operation. */
export interface ComputeSession {
  readonly target: ComputeTarget;
  readonly project: string;
  readonly networks: NetworksClient;
  readonly subnetworks: SubnetworksClient;
  readonly addresses: AddressesClient;
  readonly forwardingRules: ForwardingRulesClient;
  /**
   * Waits for the operation a write answered (regional or global `operations.wait`, repeated
   * until DONE). An operation DONE with `error` throws it as a CliError.
   */
  done(write: Promise<unknown>): Promise<Operation>;
  close(): Promise<void>;
}

/** Opens the clients of the resolved target (`apiEndpoint`/`port`/`protocol: 'http'`, the key, no scopes). */
export async function computeSession(ctx: CommandContext): Promise<ComputeSession> {
  const target = resolveComputeTarget(ctx);
  const key = readKey(target.keyFile);
  const url = new URL(target.endpoint);
  const options = {
    apiEndpoint: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol.replace(/:$/, ''),
    credentials: { ...key },
    // No scopes: the client signs a JWT for the API itself and never calls Google's token endpoint.
    scopes: [] as string[],
    projectId: target.projectId,
  };
  // Each client from its own module: the package's index also loads every Compute message
  // class (a 30 MB module), which costs seconds per command and which these clients never use.
  const [{ NetworksClient }, { SubnetworksClient }, { AddressesClient }, { ForwardingRulesClient }, { RegionOperationsClient }, { GlobalOperationsClient }] = await Promise.all([
    import('@google-cloud/compute/build/src/v1/networks_client.js'),
    import('@google-cloud/compute/build/src/v1/subnetworks_client.js'),
    import('@google-cloud/compute/build/src/v1/addresses_client.js'),
    import('@google-cloud/compute/build/src/v1/forwarding_rules_client.js'),
    import('@google-cloud/compute/build/src/v1/region_operations_client.js'),
    import('@google-cloud/compute/build/src/v1/global_operations_client.js'),
  ]);
  // Each client made when a command first uses it: a client's construction hashes the whole
  // Compute protos (tens of milliseconds), and a command uses one to six of them.
  const made: Array<{ close(): Promise<void> }> = [];
  const lazy = <T extends { close(): Promise<void> }>(make: () => T): (() => T) => {
    let client: T | undefined;
    return () => {
      if (!client) made.push((client = make()));
      return client;
    };
  };
  const networks = lazy(() => new NetworksClient(options));
  const subnetworks = lazy(() => new SubnetworksClient(options));
  const addresses = lazy(() => new AddressesClient(options));
  const forwardingRules = lazy(() => new ForwardingRulesClient(options));
  const regionOperations = lazy((): RegionOperationsClient => new RegionOperationsClient(options));
  const globalOperations = lazy((): GlobalOperationsClient => new GlobalOperationsClient(options));
  const project = target.projectId;
  return {
    target,
    project,
    get networks() {
      return networks();
    },
    get subnetworks() {
      return subnetworks();
    },
    get addresses() {
      return addresses();
    },
    get forwardingRules() {
      return forwardingRules();
    },
    async done(write) {
      const [lro] = (await write) as [{ latestResponse: Operation }];
      let op = lro.latestResponse;
      while (op.status !== 'DONE') {
        if (op.region) [op] = await regionOperations().wait({ project, region: op.region.split('/').pop()!, operation: op.name! });
        else [op] = await globalOperations().wait({ project, operation: op.name! });
      }
      const failure = op.error?.errors?.[0];
      if (failure) throw new CliError(`(${failure.code ?? 'OPERATION_FAILED'}) ${failure.message ?? `operation ${op.name} failed`}`);
      return op;
    },
    async close() {
      for (const client of made) await client.close();
    },
  };
}

/**
 * Runs SDK calls with the session and closes it; failures print as Compute words them:
 * `(<reason>) <message>` for an error answer (exit 4 for 401), "cannot reach" when no answer came.
 */
export async function withCompute<T>(ctx: CommandContext, work: (c: ComputeSession) => Promise<T>): Promise<T> {
  const session = await computeSession(ctx);
  try {
    return await work(session);
  } catch (error) {
    throw computeError(session.target, error);
  } finally {
    await session.close();
  }
}

interface ClientErrorLike {
  readonly code?: number | string;
  readonly status?: number;
  readonly message?: string;
  readonly errors?: ReadonlyArray<{ readonly reason?: string; readonly message?: string }>;
}

/** A Compute client error as one line: `(<reason>) <message>`. */
export function computeError(target: ComputeTarget, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const e = (error ?? {}) as ClientErrorLike;
  let status = typeof e.code === 'number' ? e.code : e.status;
  let reason = e.errors?.[0]?.reason;
  let message = firstLine(e.message ?? String(error));
  try {
    const body = JSON.parse(e.message ?? '') as { error?: { code?: number; message?: string; errors?: Array<{ reason?: string }>; status?: string } };
    if (body.error) {
      status = body.error.code ?? status;
      reason = body.error.errors?.[0]?.reason ?? body.error.status ?? reason;
      message = firstLine(body.error.message ?? message);
    }
  } catch {
    // not a JSON error body: a transport failure
  }
  if (reason === undefined && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
    return new CliError(`cannot reach the local cloud's Compute Engine at ${target.endpoint}: ${e.code}`);
  }
  const code = reason ?? (status !== undefined ? `HTTP ${status}` : undefined);
  return new CliError(code ? `(${code}) ${message}` : message, status === 401 ? EXIT.AUTHENTICATION : EXIT.ERROR);
}

/** The HTTP status of a client error (404 = absent). */
export function statusOf(error: unknown): number | undefined {
  const e = (error ?? {}) as ClientErrorLike;
  if (typeof e.code === 'number') return e.code;
  try {
    return (JSON.parse(e.message ?? '') as { error?: { code?: number } }).error?.code ?? e.status;
  } catch {
    return e.status;
  }
}

/** The resource, or undefined when Compute answers 404. */
export async function getOrUndefined<T>(get: () => Promise<[T, ...unknown[]]>): Promise<T | undefined> {
  try {
    return (await get())[0];
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** `-o json|text`; the default is `text`. */
export function outputChoice(ctx: CommandContext): 'json' | 'text' {
  const output = ctx.flag('output') ?? 'text';
  if (output !== 'json' && output !== 'text') throw new FlagError(`invalid argument "${output}" for "-o, --output" flag: valid values are text, json`);
  return output;
}

/** The last segment of a Compute link (`…/regions/us-central1` → `us-central1`). */
export function lastSegment(link: string | null | undefined): string {
  return (link ?? '').split('/').pop() ?? '';
}

/** A Compute link from `projects/` on (`http://…/compute/v1/projects/p/regions/r/…` → `projects/p/regions/r/…`). */
export function resourcePath(link: string | null | undefined): string {
  const value = link ?? '';
  const at = value.indexOf('projects/');
  return at >= 0 ? value.slice(at) : value;
}
