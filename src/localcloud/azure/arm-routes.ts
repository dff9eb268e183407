/**
 * The ARM URL space the emulator serves, parsed from a request path (segment names compared
 * case-insensitively, as ARM does; names keep their case).
 */
export type ArmRoute =
  | { readonly kind: 'subscription'; readonly subscriptionId: string }
  | { readonly kind: 'resourceGroups'; readonly subscriptionId: string }
  | { readonly kind: 'resourceGroup'; readonly subscriptionId: string; readonly resourceGroup: string }
  | { readonly kind: 'groupOperation'; readonly subscriptionId: string; readonly operationId: string }
  | { readonly kind: 'networkOperation'; readonly subscriptionId: string; readonly location: string; readonly operationId: string; readonly results: boolean }
  | { readonly kind: 'networkListAll'; readonly subscriptionId: string; readonly type: string }
  | { readonly kind: 'visibilityCheck'; readonly subscriptionId: string; readonly location: string }
  | { readonly kind: 'usages'; readonly subscriptionId: string; readonly location: string }
  | {
      readonly kind: 'network';
      readonly subscriptionId: string;
      readonly resourceGroup: string;
      /** Type/name pairs; the last one has no name for a listing. */
      readonly segments: ReadonlyArray<{ readonly type: string; readonly name?: string }>;
    }
  | { readonly kind: 'otherProvider'; readonly subscriptionId: string; readonly namespace: string }
  | { readonly kind: 'unknown'; readonly subscriptionId?: string };

/** Parses an ARM path; `unknown` when it is none of the routes above. */
export function parseArmRoute(path: string): ArmRoute {
  let parts: string[];
  try {
    parts = path
      .split('/')
      .filter((p) => p.length > 0)
      .map((p) => decodeURIComponent(p));
  } catch {
    return { kind: 'unknown' };
  }
  const lower = parts.map((p) => p.toLowerCase());
  if (lower[0] !== 'subscriptions' || !parts[1]) return { kind: 'unknown' };
  const subscriptionId = parts[1];
  if (parts.length === 2) return { kind: 'subscription', subscriptionId };
  if (lower[2] === 'resourcegroups') {
    if (parts.length === 3) return { kind: 'resourceGroups', subscriptionId };
    const resourceGroup = parts[3]!;
    if (parts.length === 4) return { kind: 'resourceGroup', subscriptionId, resourceGroup };
    if (lower[4] !== 'providers' || !parts[5]) return { kind: 'unknown', subscriptionId };
    if (lower[5] !== 'microsoft.network') return { kind: 'otherProvider', subscriptionId, namespace: parts[5] };
    const rest = parts.slice(6);
    if (rest.length === 3 && lower[6] === 'locations' && lower[8] === 'checkprivatelinkservicevisibility') return { kind: 'visibilityCheck', subscriptionId, location: parts[7]! };
    if (rest.length === 0 || rest.length > 4) return { kind: 'unknown', subscriptionId };
    const segments: Array<{ type: string; name?: string }> = [];
    for (let i = 0; i < rest.length; i += 2) segments.push(rest[i + 1] === undefined ? { type: rest[i]! } : { type: rest[i]!, name: rest[i + 1]! });
    return { kind: 'network', subscriptionId, resourceGroup, segments };
  }
  if (lower[2] === 'operationresults' && parts.length === 4) return { kind: 'groupOperation', subscriptionId, operationId: parts[3]! };
  if (lower[2] === 'providers' && parts[3]) {
    if (lower[3] !== 'microsoft.network') return { kind: 'otherProvider', subscriptionId, namespace: parts[3] };
    if (parts.length === 5) return { kind: 'networkListAll', subscriptionId, type: parts[4]! };
    if (parts.length === 7 && lower[4] === 'locations' && lower[6] === 'checkprivatelinkservicevisibility') return { kind: 'visibilityCheck', subscriptionId, location: parts[5]! };
    if (parts.length === 7 && lower[4] === 'locations' && lower[6] === 'usages') return { kind: 'usages', subscriptionId, location: parts[5]! };
    if (parts.length === 8 && lower[4] === 'locations' && (lower[6] === 'operations' || lower[6] === 'operationresults')) {
      return { kind: 'networkOperation', subscriptionId, location: parts[5]!, operationId: parts[7]!, results: lower[6] === 'operationresults' };
    }
  }
  return { kind: 'unknown', subscriptionId };
}
