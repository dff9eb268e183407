import * as poolUseCases from '../../../app/provider-accounts.service.js';
import { apiError } from '../../../domain/errors.js';
import type { ProviderAccount } from '../../../domain/provider-capacity.js';
import { orgAccess } from '../../route-access.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { iso } from '../serializers/identity.serializer.js';
import type { CapacityLineWire, ListWire, ProviderAccountWire } from '../wire/provider-capacity.wire.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const pool = tracedUseCases(poolUseCases);

/**
 * privlink extension (v2 only): the provider account pool and its capacity, for Organization
 * Owners. `GET|POST /orgs/{orgId}/privlink/providerAccounts`,
 * `POST /orgs/{orgId}/privlink/providerAccounts/{name}/drain`, `GET /orgs/{orgId}/privlink/capacity`.
 */
export function providerCapacityRoutes(r: RouteRegistrar): void {
  const v2Only = true;
  r.get(
    '/orgs/:orgId/privlink/providerAccounts',
    async ({ ctx, principal, params }) => {
      await pool.requirePoolAdmin(ctx, principal, params.orgId!);
      const accounts = (await pool.listProviderAccounts(ctx)).map(accountJson);
      const body: ListWire<ProviderAccountWire> = { results: accounts, totalCount: accounts.length };
      return { status: 200, body };
    },
    { v2Only },
  );
  r.post(
    '/orgs/:orgId/privlink/providerAccounts',
    async ({ ctx, principal, params, body }) => {
      await pool.requirePoolAdmin(ctx, principal, params.orgId!);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw apiError('INVALID_JSON');
      const added = await pool.addProviderAccount(ctx, pool.parseProviderAccountInput(body as Record<string, unknown>));
      return { status: 201, body: accountJson(added) };
    },
    { v2Only, access: orgAccess('write') },
  );
  r.post(
    '/orgs/:orgId/privlink/providerAccounts/:accountName/drain',
    async ({ ctx, principal, params }) => {
      await pool.requirePoolAdmin(ctx, principal, params.orgId!);
      return { status: 200, body: accountJson(await pool.drainProviderAccount(ctx, params.accountName!)) };
    },
    { v2Only, access: orgAccess('write') },
  );
  r.get(
    '/orgs/:orgId/privlink/capacity',
    async ({ ctx, principal, params }) => {
      await pool.requirePoolAdmin(ctx, principal, params.orgId!);
      const lines: CapacityLineWire[] = (await pool.capacityReport(ctx)).map((line) => ({
        accountName: line.account.name,
        providerName: line.account.provider,
        accountId: line.account.id,
        state: line.account.state,
        regionName: line.regionName,
        placements: line.placements,
        limits: line.limits.map((l) => ({ serviceCode: l.serviceCode, quotaCode: l.quotaCode, quotaName: l.quotaName, used: l.used, quota: l.value, left: l.left })),
        quotasReadAt: line.readAt ? iso(line.readAt) : null,
      }));
      const body: ListWire<CapacityLineWire> = { results: lines, totalCount: lines.length };
      return { status: 200, body };
    },
    { v2Only },
  );
}

function accountJson(account: ProviderAccount): ProviderAccountWire {
  return {
    id: account.id,
    providerName: account.provider,
    name: account.name,
    kind: account.kind,
    accessKeyId: account.accessKeyId,
    roleArn: account.roleArn,
    subscriptionId: account.subscriptionId,
    tenantId: account.tenantId,
    clientId: account.clientId,
    projectId: account.projectId,
    state: account.state,
    created: iso(account.createdAt),
  };
}
