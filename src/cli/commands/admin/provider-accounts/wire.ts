import type { CapacityLine } from '../../../../app/provider-accounts.service.js';
import type { ProviderAccount } from '../../../../domain/provider-capacity.js';
import type { CapacityLineWire, ProviderAccountWire } from '../../../../api/atlas/wire/provider-capacity.wire.js';

/** The Admin API's shapes, so `-o json` prints what the API returns. */
export function accountWire(account: ProviderAccount): ProviderAccountWire {
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
    created: account.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

export function capacityWire(line: CapacityLine): CapacityLineWire {
  return {
    accountName: line.account.name,
    providerName: line.account.provider,
    accountId: line.account.id,
    state: line.account.state,
    regionName: line.regionName,
    placements: line.placements,
    limits: line.limits.map((l) => ({ serviceCode: l.serviceCode, quotaCode: l.quotaCode, quotaName: l.quotaName, used: l.used, quota: l.value, left: l.left })),
    quotasReadAt: line.readAt ? line.readAt.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
  };
}
