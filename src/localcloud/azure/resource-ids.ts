/**
 * Azure resource ids, formed as ARM forms them:
 * `/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}[/{childType}/{childName}]`.
 * ARM compares ids case-insensitively: `resourceKey` is the comparison form.
 */

/** A parsed resource id. */
export interface ParsedResourceId {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly namespace: string;
  /** Type/name pairs from the top-level resource down, e.g. virtualNetworks/v1, subnets/s1. */
  readonly segments: ReadonlyArray<{ readonly type: string; readonly name: string }>;
}

/** The comparison form of an id (ARM ids are case-insensitive). */
export function resourceKey(id: string): string {
  return id.toLowerCase();
}

/** The id of a resource group. */
export function resourceGroupId(subscriptionId: string, resourceGroup: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
}

/** The id of a Microsoft.Network resource (or child resource). */
export function networkResourceId(subscriptionId: string, resourceGroup: string, segments: ReadonlyArray<{ type: string; name: string }>): string {
  return `${resourceGroupId(subscriptionId, resourceGroup)}/providers/Microsoft.Network/${segments.map((s) => `${s.type}/${s.name}`).join('/')}`;
}

/** Parses a fully qualified resource id; undefined when it is not one. */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  if (typeof id !== 'string' || !id.startsWith('/')) return undefined;
  const parts = id.slice(1).split('/');
  if (parts.some((p) => p.length === 0)) return undefined;
  const [subscriptions, subscriptionId, resourceGroups, resourceGroup, providers, namespace, ...rest] = parts;
  if (subscriptions?.toLowerCase() !== 'subscriptions' || resourceGroups?.toLowerCase() !== 'resourcegroups' || providers?.toLowerCase() !== 'providers') return undefined;
  if (!subscriptionId || !resourceGroup || !namespace || rest.length === 0 || rest.length % 2 !== 0) return undefined;
  const segments: Array<{ type: string; name: string }> = [];
  for (let i = 0; i < rest.length; i += 2) segments.push({ type: rest[i]!, name: rest[i + 1]! });
  return { subscriptionId, resourceGroup, namespace, segments };
}

/** The type path of a parsed id, e.g. `virtualnetworks/subnets` (lower case). */
export function typePath(parsed: ParsedResourceId): string {
  return parsed.segments.map((s) => s.type.toLowerCase()).join('/');
}

/** Whether a network resource's name follows ARM's rules: up to 80 word characters, '.', '-' or '_', beginning with a word character and not ending with '.'. */
export function isResourceName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/.test(name) && !name.endsWith('.');
}
