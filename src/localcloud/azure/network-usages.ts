import { ArmError } from './arm-error.js';
import { jsonAnswer, type ArmAnswer, type HandlerContext } from './arm-request.js';
import type { ArmContext } from './kinds/kind.js';
import type { JsonObject } from './store/schema.js';

/** Setting key of the limits changed from Azure's defaults (JSON: `{ "<subscription>|<location>|<usage>": limit }`). */
export const USAGE_LIMITS_SETTING = 'usage_limits';

/**
 * The Microsoft.Network usages the emulator counts, per subscription and location, with Azure's
 * default limits ("Networking limits - Azure Resource Manager", per region per subscription):
 * virtual networks 1,000, load balancers 1,000, private link services 800 ("Private Link service
 * per subscription 800"). `Usages_List` reports them; a PUT creating one more than the limit is
 * refused with `<Kind>CountLimitReached` ("Cannot create more than N … for this subscription in this
 * region."), as Azure refuses one static public IP address too many (`StaticPublicIPCountLimitReached`).
 */
export const NETWORK_USAGES: ReadonlyArray<{ readonly name: string; readonly localizedName: string; readonly type: string; readonly noun: string; readonly defaultLimit: number }> =
  [
    { name: 'VirtualNetworks', localizedName: 'Virtual Networks', type: 'Microsoft.Network/virtualNetworks', noun: 'virtual networks', defaultLimit: 1000 },
    { name: 'LoadBalancers', localizedName: 'Load Balancers', type: 'Microsoft.Network/loadBalancers', noun: 'load balancers', defaultLimit: 1000 },
    { name: 'PrivateLinkServices', localizedName: 'Private Link Services', type: 'Microsoft.Network/privateLinkServices', noun: 'private link services', defaultLimit: 800 },
  ];

function limitKey(subscriptionId: string, location: string, name: string): string {
  return `${subscriptionId.toLowerCase()}|${location.toLowerCase()}|${name}`;
}

/** The limits changed from the defaults (an approved increase, or a test's lower limit). */
export function parseUsageLimits(stored: string | undefined): Record<string, number> {
  if (!stored) return {};
  const parsed: unknown = JSON.parse(stored);
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, number>) : {};
}

/** Returns `limits` with the limit of `name` in the subscription and location set to `limit` (null: back to the default). */
export function withUsageLimit(limits: Record<string, number>, subscriptionId: string, location: string, name: string, limit: number | null): Record<string, number> {
  if (!NETWORK_USAGES.some((u) => u.name === name)) throw new RangeError(`Unknown network usage ${name} (known: ${NETWORK_USAGES.map((u) => u.name).join(', ')})`);
  if (limit !== null && (!Number.isInteger(limit) || limit < 0)) throw new RangeError('A usage limit is a non-negative integer');
  const next = { ...limits };
  const key = limitKey(subscriptionId, location, name);
  if (limit === null) delete next[key];
  else next[key] = limit;
  return next;
}

async function limitsOf(ctx: ArmContext): Promise<Record<string, number>> {
  return parseUsageLimits(await ctx.repos.control.getSetting(USAGE_LIMITS_SETTING));
}

async function currentValue(ctx: ArmContext, subscriptionId: string, location: string, type: string): Promise<number> {
  const rows = await ctx.repos.resources.allOfType(type);
  return rows.filter((r) => r.subscriptionId.toLowerCase() === subscriptionId.toLowerCase() && (r.location ?? '').toLowerCase() === location.toLowerCase()).length;
}

/** `GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/usages` (Usages_List). */
export async function answerUsages(ctx: HandlerContext, subscriptionId: string, location: string): Promise<ArmAnswer> {
  const loc = location.toLowerCase().replace(/\s+/g, '');
  const limits = await limitsOf(ctx);
  const value: JsonObject[] = [];
  for (const usage of NETWORK_USAGES) {
    value.push({
      currentValue: await currentValue(ctx, subscriptionId, loc, usage.type),
      id: `/subscriptions/${subscriptionId}/providers/Microsoft.Network/locations/${loc}/usages/${usage.name}`,
      limit: limits[limitKey(subscriptionId, loc, usage.name)] ?? usage.defaultLimit,
      name: { localizedValue: usage.localizedName, value: usage.name },
      unit: 'Count',
    });
  }
  return jsonAnswer(200, { value });
}

/** Refuses creating one more resource of `type` than the subscription's limit in the location (a rewrite of an existing one never counts). */
export async function checkUsageLimit(ctx: ArmContext, subscriptionId: string, location: string, type: string): Promise<void> {
  const usage = NETWORK_USAGES.find((u) => u.type === type);
  if (!usage) return;
  const limit = (await limitsOf(ctx))[limitKey(subscriptionId, location, usage.name)] ?? usage.defaultLimit;
  if ((await currentValue(ctx, subscriptionId, location, type)) < limit) return;
  const code = `${usage.name.replace(/s$/, '')}CountLimitReached`;
  throw new ArmError(400, code, `Cannot create more than ${limit} ${usage.noun} for this subscription in this region.`);
}
