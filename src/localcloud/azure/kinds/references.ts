import { armErrors } from '../arm-error.js';
import { parseResourceId, resourceKey, typePath } from '../resource-ids.js';
import type { ResourceRow } from '../store/resources.repository.js';
import type { ArmContext } from './kind.js';

/**
 * Resolves a `{ "id": … }` reference in a request body to the stored resource, with ARM's errors:
 * not an id → 400 LinkedInvalidPropertyId; an id of another type → 400 InvalidRequestFormat; in a
 * subscription the caller does not own → 403 LinkedAuthorizationFailed (`joinAction`); absent or
 * being deleted → 400 InvalidResourceReference.
 */
export async function resolveReference(
  ctx: ArmContext,
  reference: { id: string | undefined; path: string; by: string },
  expected: { typePath: string; label: string; joinAction: string },
): Promise<ResourceRow> {
  const { id, path, by } = reference;
  if (!id) throw armErrors.linkedInvalidPropertyId('', path);
  const parsed = parseResourceId(id);
  if (!parsed) throw armErrors.linkedInvalidPropertyId(id, path);
  if (parsed.namespace.toLowerCase() !== 'microsoft.network' || typePath(parsed) !== expected.typePath) throw armErrors.invalidReferenceType(id, expected.label, path);
  if (parsed.subscriptionId.toLowerCase() !== ctx.principal.subscriptionId.toLowerCase()) {
    throw armErrors.linkedAuthorizationFailed(ctx.principal.clientId, expected.joinAction, id);
  }
  const row = await ctx.repos.resources.find(resourceKey(id));
  if (!row || row.provisioningState === 'Deleting') throw armErrors.invalidResourceReference(id, by);
  return row;
}

/** The `id` string of a stored `{ id }` reference, if any. */
export function refIdOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  }
  return undefined;
}
