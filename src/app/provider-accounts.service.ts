import { newObjectId } from '../domain/object-id.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { defaultQuotaNames, PLACING_PROVIDERS, type PoolProvider, type ProviderAccount, type ProviderAccountKind } from '../domain/provider-capacity.js';
import type { ProviderAccountWithSecret } from '../store/provider-accounts.repository.js';
import { requireOrg } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';

/** What adding a pool account takes (the API body, or the CLI's flags). */
export interface ProviderAccountInput {
  readonly provider: PoolProvider;
  readonly name: string;
  readonly kind: ProviderAccountKind;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly roleArn?: string;
  readonly subscriptionId?: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly projectId?: string;
  readonly serviceAccountKey?: string;
}

/** One line of the capacity report: an account in a region, its limits, what is used and what is left. */
export interface CapacityLine {
  readonly account: ProviderAccount;
  readonly regionName: string;
  readonly placements: number;
  /** `value` null while the account's quotas in the region were never read (nothing was placed there yet). */
  readonly limits: ReadonlyArray<{
    readonly serviceCode: string;
    readonly quotaCode: string;
    readonly quotaName: string;
    readonly used: number;
    readonly value: number | null;
    readonly left: number | null;
  }>;
  readonly readAt: Date | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const PROVIDERS: readonly PoolProvider[] = ['AWS', 'AZURE', 'GCP'];
/** The kinds each provider's accounts can be reached by. */
const KINDS: Readonly<Record<PoolProvider, readonly ProviderAccountKind[]>> = {
  AWS: ['LOCAL_CLOUD', 'ACCESS_KEY', 'ASSUME_ROLE'],
  AZURE: ['LOCAL_CLOUD', 'SERVICE_PRINCIPAL'],
  GCP: ['LOCAL_CLOUD', 'SERVICE_ACCOUNT_KEY'],
};
/** The attributes each kind takes; any other credential attribute is refused. */
const FIELDS: Readonly<Record<ProviderAccountKind, readonly string[]>> = {
  LOCAL_CLOUD: [],
  ACCESS_KEY: ['accessKeyId', 'secretAccessKey'],
  ASSUME_ROLE: ['roleArn'],
  SERVICE_PRINCIPAL: ['subscriptionId', 'tenantId', 'clientId', 'clientSecret'],
  SERVICE_ACCOUNT_KEY: ['serviceAccountKey', 'projectId'],
};
const CREDENTIAL_FIELDS = ['accessKeyId', 'secretAccessKey', 'roleArn', 'subscriptionId', 'tenantId', 'clientId', 'clientSecret', 'serviceAccountKey', 'projectId'] as const;

function required(body: Readonly<Record<string, unknown>>, field: string, valid: (value: string) => boolean): string {
  const value = body[field];
  if (value === undefined) throw apiError('MISSING_ATTRIBUTE', field);
  if (typeof value !== 'string' || !valid(value)) throw apiError('INVALID_ATTRIBUTE', field);
  return value;
}

/**
 * The project of a GCP service account key (a JSON key as `gcloud iam service-accounts keys
 * create` writes it: `type` service_account, `project_id`, `client_email`, `private_key`); throws
 * INVALID_ATTRIBUTE serviceAccountKey for anything else.
 */
function serviceAccountKeyProject(key: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(key);
  } catch {
    throw apiError('INVALID_ATTRIBUTE', 'serviceAccountKey');
  }
  const k = parsed as Record<string, unknown> | null;
  if (!k || typeof k !== 'object' || k.type !== 'service_account' || typeof k.client_email !== 'string' || typeof k.private_key !== 'string' || typeof k.project_id !== 'string') {
    throw apiError('INVALID_ATTRIBUTE', 'serviceAccountKey');
  }
  return k.project_id;
}

/**
 * Validates a pool account: `providerName` (`AWS` by default, `AZURE`, `GCP`), `name` (letters,
 * digits, `.`, `_`, `-`; 64 at most), `kind` (`LOCAL_CLOUD` by default: an account, subscription
 * or project the local cloud makes; AWS `ACCESS_KEY`: `accessKeyId` + `secretAccessKey`, AWS
 * `ASSUME_ROLE`: `roleArn`; Azure `SERVICE_PRINCIPAL`: `subscriptionId`, `tenantId`, `clientId`,
 * `clientSecret`; GCP `SERVICE_ACCOUNT_KEY`: `serviceAccountKey` (the JSON key, as a string) and
 * optionally `projectId` (the key's project by default)). Throws the Atlas-style error of the first
 * problem: MISSING_ATTRIBUTE for a field the kind needs, INVALID_ATTRIBUTE for a malformed one or
 * one the kind does not take, INVALID_ENUM_VALUE for a provider or kind privlink does not know.
 */
export function parseProviderAccountInput(body: Readonly<Record<string, unknown>>): ProviderAccountInput {
  const { name, kind, providerName } = body;
  const provider = providerName ?? 'AWS';
  if (typeof provider !== 'string' || !PROVIDERS.includes(provider as PoolProvider)) throw apiError('INVALID_ENUM_VALUE', provider, 'providerName');
  const p = provider as PoolProvider;
  if (name === undefined) throw apiError('MISSING_ATTRIBUTE', 'name');
  if (typeof name !== 'string' || !NAME.test(name)) throw apiError('INVALID_ATTRIBUTE', 'name');
  const chosen = kind ?? 'LOCAL_CLOUD';
  if (typeof chosen !== 'string' || !KINDS[p].includes(chosen as ProviderAccountKind)) throw apiError('INVALID_ENUM_VALUE', chosen, 'kind');
  const k = chosen as ProviderAccountKind;
  for (const field of CREDENTIAL_FIELDS) {
    if (body[field] !== undefined && !FIELDS[k].includes(field)) throw apiError('INVALID_ATTRIBUTE', field);
  }
  switch (k) {
    case 'ACCESS_KEY':
      return {
        provider: p,
        name,
        kind: k,
        accessKeyId: required(body, 'accessKeyId', (v) => /^[A-Z0-9]{16,128}$/.test(v)),
        secretAccessKey: required(body, 'secretAccessKey', (v) => v.length >= 16 && v.length <= 256),
      };
    case 'ASSUME_ROLE':
      return { provider: p, name, kind: k, roleArn: required(body, 'roleArn', (v) => ROLE_ARN.test(v)) };
    case 'SERVICE_PRINCIPAL':
      return {
        provider: p,
        name,
        kind: k,
        subscriptionId: required(body, 'subscriptionId', (v) => UUID.test(v)),
        tenantId: required(body, 'tenantId', (v) => UUID.test(v)),
        clientId: required(body, 'clientId', (v) => UUID.test(v)),
        clientSecret: required(body, 'clientSecret', (v) => v.length >= 8 && v.length <= 256),
      };
    case 'SERVICE_ACCOUNT_KEY': {
      const serviceAccountKey = required(body, 'serviceAccountKey', (v) => v.length > 0 && v.length <= 16_384);
      const keyProject = serviceAccountKeyProject(serviceAccountKey);
      const projectId = body.projectId === undefined ? keyProject : required(body, 'projectId', (v) => GCP_PROJECT.test(v));
      if (!GCP_PROJECT.test(projectId)) throw apiError('INVALID_ATTRIBUTE', 'projectId');
      return { provider: p, name, kind: k, serviceAccountKey, projectId };
    }
    default:
      return { provider: p, name, kind: k };
  }
}

/** Adds an account to the pool (ACTIVE: it takes placements at once, in every process). */
export async function addProviderAccount(ctx: AppContext, input: ProviderAccountInput): Promise<ProviderAccount> {
  if (!PLACING_PROVIDERS.includes(input.provider)) throw apiError('PROVIDER_POOL_UNSUPPORTED', input.provider);
  return inTransaction(ctx, async ({ repos }) => {
    const account: ProviderAccountWithSecret = {
      id: newObjectId(),
      provider: input.provider,
      name: input.name,
      kind: input.kind,
      accessKeyId: input.accessKeyId ?? null,
      secretAccessKey: input.secretAccessKey ?? null,
      roleArn: input.roleArn ?? null,
      subscriptionId: input.subscriptionId ?? null,
      tenantId: input.tenantId ?? null,
      clientId: input.clientId ?? null,
      clientSecret: input.clientSecret ?? null,
      projectId: input.projectId ?? null,
      serviceAccountKey: input.serviceAccountKey ?? null,
      state: 'ACTIVE',
      createdAt: new Date(),
    };
    // Names are unique across the pool, so a name alone (drain, the CLI) finds one account.
    if (await repos.providerAccounts.findAccountByAnyName(input.name)) throw apiError('DUPLICATE_PROVIDER_ACCOUNT', input.name);
    if (!(await repos.providerAccounts.insertAccount(account))) throw apiError('DUPLICATE_PROVIDER_ACCOUNT', input.name);
    return publicAccount(account);
  });
}

export async function listProviderAccounts(ctx: AppContext): Promise<ProviderAccount[]> {
  return (await reader(ctx).providerAccounts.listAllAccounts()).map(publicAccount);
}

/** Drains an account: it takes no new project region; what it holds stays. Idempotent. */
export async function drainProviderAccount(ctx: AppContext, name: string): Promise<ProviderAccount> {
  return inTransaction(ctx, async ({ repos }) => {
    const account = await repos.providerAccounts.findAccountByAnyName(name);
    if (!account) throw apiError('PROVIDER_ACCOUNT_NOT_FOUND', name);
    await repos.providerAccounts.setState(account.id, 'DRAINING');
    return publicAccount({ ...account, state: 'DRAINING' });
  });
}

/**
 * Per account and region: placements, and for each limit the quota (as last read from the
 * provider), what privlink uses of it and what is left. Regions where an account holds nothing and
 * was never read are left out; an account with no line at all shows once with region `-`.
 */
export async function capacityReport(ctx: AppContext): Promise<CapacityLine[]> {
  const repos = reader(ctx).providerAccounts;
  const accounts = await repos.listAllAccounts();
  const placements = (await Promise.all(PROVIDERS.map((p) => repos.countAllPlacements(p)))).flat();
  const readings = await repos.listReadings();
  const lines: CapacityLine[] = [];
  for (const account of accounts) {
    const regions = new Set([
      ...placements.filter((p) => p.accountId === account.id).map((p) => p.regionName),
      ...readings.filter((r) => r.accountId === account.id).map((r) => r.regionName),
    ]);
    if (regions.size === 0) {
      lines.push({ account: publicAccount(account), regionName: '-', placements: 0, limits: [], readAt: null });
      continue;
    }
    for (const regionName of [...regions].sort()) {
      const placed = placements.find((p) => p.accountId === account.id && p.regionName === regionName)?.placements ?? 0;
      const read = readings.find((r) => r.accountId === account.id && r.regionName === regionName);
      const limit = (
        quota: { serviceCode: string; quotaCode: string; quotaName: string; value: number } | undefined,
        used: number,
        fallback: { serviceCode: string; quotaCode: string; quotaName: string },
      ) => ({
        ...(quota ? { serviceCode: quota.serviceCode, quotaCode: quota.quotaCode, quotaName: quota.quotaName } : fallback),
        used,
        value: quota ? quota.value : null,
        left: quota ? Math.max(0, quota.value - used) : null,
      });
      lines.push({
        account: publicAccount(account),
        regionName,
        placements: placed,
        limits: [
          limit(read?.reading.loadBalancers, placed, defaultQuotaNames(account.provider).loadBalancers),
          limit(read?.reading.vpcs, read?.reading.vpcsInUse ?? 0, defaultQuotaNames(account.provider).vpcs),
        ],
        readAt: read?.readAt ?? null,
      });
    }
  }
  return lines;
}

/** The Admin API's checks: Organization Owner of the organization in the path. */
export async function requirePoolAdmin(ctx: AppContext, principal: Principal, orgId: string): Promise<void> {
  await requireOrg(reader(ctx), principal, orgId, 'write');
}

function publicAccount(account: ProviderAccountWithSecret): ProviderAccount {
  return {
    id: account.id,
    provider: account.provider,
    name: account.name,
    kind: account.kind,
    accessKeyId: account.accessKeyId,
    roleArn: account.roleArn,
    subscriptionId: account.subscriptionId,
    tenantId: account.tenantId,
    clientId: account.clientId,
    projectId: account.projectId,
    state: account.state,
    createdAt: account.createdAt,
  };
}
