import { apiError } from '../domain/errors.js';
import type { Organization, Principal } from '../domain/identity.js';
import { requireOrg } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';

/** Organizations the caller belongs to (an API key belongs to exactly one). */
export async function listOrganizations(ctx: AppContext, principal: Principal): Promise<Organization[]> {
  return reader(ctx).identity.listOrganizations([principal.orgId]);
}

export async function getOrganization(ctx: AppContext, principal: Principal, orgId: string): Promise<Organization> {
  return requireOrg(reader(ctx), principal, orgId, 'read');
}

/**
 * Renames an organization or records whether payment information is on file (privlink
 * extension field `paymentInformationOnFile`; Atlas takes payment details in its billing UI).
 * Needs ORG_OWNER.
 */
export async function updateOrganization(ctx: AppContext, principal: Principal, orgId: string, changes: { name?: string; paymentOnFile?: boolean }): Promise<Organization> {
  return inTransaction(ctx, async ({ repos }) => {
    await requireOrg(repos, principal, orgId, 'write');
    if (changes.name !== undefined && (changes.name.trim().length === 0 || changes.name.length > 64)) throw apiError('INVALID_ATTRIBUTE', 'name');
    await repos.identity.updateOrganization(orgId, changes);
    return (await repos.identity.findOrganization(orgId))!;
  });
}
