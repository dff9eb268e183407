import { newObjectId } from '../domain/object-id.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import type { ProviderAccount, ProviderAccountKind } from '../domain/provider-capacity.js';
import type { ProviderAccountWithSecret } from '../store/provider-accounts.repository.js';
import { requireOrg } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';

/** What adding a pool account takes (the API body, or the CLI's flags). */
export interface ProviderAccountInput {
  readonly name: string;
  readonly kind: ProviderAccountKind;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly roleArn?: string;
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
const KINDS: readonly ProviderAccountKind[] = ['LOCAL_CLOUD', 'ACCESS_KEY', 'ASSUME_ROLE'];

/**
 * Validates a pool account: `name` (letters, digits, `.`, `_`, `-`; 64 at most), `kind`
 * (`LOCAL_CLOUD`: an account the local cloud makes; `ACCESS_KEY`: `accessKeyId` +
 * `secretAccessKey`; `ASSUME_ROLE`: `roleArn`). Throws the Atlas-style error of the first problem.
 */
export function parseProviderAccountInput(body: Readonly<Record<string, unknown>>): ProviderAccountInput {
  const { name, kind, accessKeyId, secretAccessKey, roleArn } = body;
  if (name === undefined) throw apiError('MISSING_ATTRIBUTE', 'name');
  if (typeof name !== 'string' || !NAME.test(name)) throw apiError('INVALID_ATTRIBUTE', 'name');
  const chosen = kind ?? 'LOCAL_CLOUD';
  if (typeof chosen !== 'string' || !KINDS.includes(chosen as ProviderAccountKind)) throw apiError('INVALID_ENUM_VALUE', String(chosen), 'kind');
  const k = chosen as ProviderAccountKind;
  if (k === 'ACCESS_KEY') {
    if (accessKeyId === undefined) throw apiError('MISSING_ATTRIBUTE', 'accessKeyId');
    if (secretAccessKey === undefined) throw apiError('MISSING_ATTRIBUTE', 'secretAccessKey');
    if (typeof accessKeyId !== 'string' || !/^[A-Z0-9]{16,128}$/.test(accessKeyId)) throw apiError('INVALID_ATTRIBUTE', 'accessKeyId');
    if (typeof secretAccessKey !== 'string' || secretAccessKey.length < 16 || secretAccessKey.length > 256) throw apiError('INVALID_ATTRIBUTE', 'secretAccessKey');
    return { name, kind: k, accessKeyId, secretAccessKey };
  }
  if (accessKeyId !== undefined) throw apiError('INVALID_ATTRIBUTE', 'accessKeyId');
  if (secretAccessKey !== undefined) throw apiError('INVALID_ATTRIBUTE', 'secretAccessKey');
  if (k === 'ASSUME_ROLE') {
    if (roleArn === undefined) throw apiError('MISSING_ATTRIBUTE', 'roleArn');
    if (typeof roleArn !== 'string' || !ROLE_ARN.test(roleArn)) throw apiError('INVALID_ATTRIBUTE', 'roleArn');
    return { name, kind: k, roleArn };
  }
  if (roleArn !== undefined) throw apiError('INVALID_ATTRIBUTE', 'roleArn');
  return { name, kind: k };
}

/** Adds an account to the pool (ACTIVE: it takes placements at once, in every process). */
export async function addProviderAccount(ctx: AppContext, input: ProviderAccountInput): Promise<ProviderAccount> {
  return inTransaction(ctx, async ({ repos }) => {
    const account: ProviderAccountWithSecret = {
      id: newObjectId(),
      provider: 'AWS',
      name: input.name,
      kind: input.kind,
      accessKeyId: input.accessKeyId ?? null,
      secretAccessKey: input.secretAccessKey ?? null,
      roleArn: input.roleArn ?? null,
      state: 'ACTIVE',
      createdAt: new Date(),
    };
    if (!(await repos.providerAccounts.insertAccount(account))) throw apiError('DUPLICATE_PROVIDER_ACCOUNT', input.name);
    return publicAccount(account);
  });
}

export async function listProviderAccounts(ctx: AppContext): Promise<ProviderAccount[]> {
  return (await reader(ctx).providerAccounts.listAccounts('AWS')).map(publicAccount);
}

/** Drains an account: it takes no new project region; what it holds stays. Idempotent. */
export async function drainProviderAccount(ctx: AppContext, name: string): Promise<ProviderAccount> {
  return inTransaction(ctx, async ({ repos }) => {
    const account = await repos.providerAccounts.findAccountByName('AWS', name);
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
  const accounts = await repos.listAccounts('AWS');
  const placements = await repos.countAllPlacements('AWS');
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
          limit(read?.reading.loadBalancers, placed, { serviceCode: 'elasticloadbalancing', quotaCode: 'L-69A177A2', quotaName: 'Network Load Balancers per Region' }),
          limit(read?.reading.vpcs, read?.reading.vpcsInUse ?? 0, { serviceCode: 'vpc', quotaCode: 'L-F678F1CE', quotaName: 'VPCs per Region' }),
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
    state: account.state,
    createdAt: account.createdAt,
  };
}
