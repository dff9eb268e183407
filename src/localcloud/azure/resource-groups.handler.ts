import { randomUUID } from 'node:crypto';
import { advanceDue, purgeRow } from './advance.js';
import { initialStatus } from './lro.js';
import { jsonAnswer, type ArmAnswer, type HandlerContext } from './arm-request.js';
import { ArmError, armErrors } from './arm-error.js';
import { LOCATIONS } from './api-versions.js';
import { optString, tagsOf } from './request-body.js';
import { resourceGroupId } from './resource-ids.js';
import type { ResourceGroupRow } from './store/resource-groups.repository.js';
import type { JsonObject } from './store/schema.js';

/** Order of deletion inside a group: consumers of a resource go before it. */
const DELETE_ORDER = [
  'Microsoft.Network/privateEndpoints',
  'Microsoft.Network/networkInterfaces',
  'Microsoft.Network/privateLinkServices',
  'Microsoft.Network/loadBalancers',
  'Microsoft.Network/virtualNetworks',
  'Microsoft.Network/networkSecurityGroups',
];

function render(group: ResourceGroupRow): JsonObject {
  return {
    id: resourceGroupId(group.subscriptionId, group.name),
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    ...(Object.keys(group.tags).length > 0 ? { tags: group.tags } : {}),
    properties: { provisioningState: 'Succeeded' },
  };
}

/**
 * Microsoft.Resources resource groups: PUT (201 new, 200 existing: tags updated, location fixed),
 * GET, HEAD (204/404), DELETE (202 with a `Location` to poll; everything in the group goes, its
 * consumers first) and the list of the subscription's groups.
 */
export async function answerResourceGroup(ctx: HandlerContext, method: string, subscriptionId: string, name: string | undefined, body: JsonObject): Promise<ArmAnswer> {
  if (name === undefined) {
    if (method !== 'GET') throw armErrors.methodNotAllowed(method);
    const rows = await ctx.repos.groups.page(subscriptionId, ctx.pageAfter, ctx.pageSize + 1);
    const page = rows.slice(0, ctx.pageSize);
    const out: JsonObject = { value: page.map(render) };
    if (rows.length > ctx.pageSize) out.nextLink = `${ctx.baseUrl}${ctx.path}?api-version=${ctx.apiVersion}&$skiptoken=${page[page.length - 1]!.seq}`;
    return jsonAnswer(200, out);
  }
  const key = name.toLowerCase();
  const group = await ctx.repos.groups.find(subscriptionId, key);
  switch (method) {
    case 'HEAD':
      return { status: group ? 204 : 404, headers: {}, holdMs: 0 };
    case 'GET':
      if (!group) throw armErrors.resourceGroupNotFound(name);
      return jsonAnswer(200, render(group));
    case 'PUT':
    case 'PATCH': {
      if (method === 'PATCH' && !group) throw armErrors.resourceGroupNotFound(name);
      if (!/^[-\w._()]{1,90}$/u.test(name) || name.endsWith('.')) {
        throw new ArmError(
          400,
          'InvalidResourceGroupName',
          `The resource group name '${name}' is invalid. It can include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters.`,
        );
      }
      const given = optString(body.location, 'location');
      if (!given && !group) throw armErrors.locationRequired();
      const location = given?.toLowerCase().replace(/\s+/g, '') ?? group!.location;
      if (!LOCATIONS.includes(location))
        throw new ArmError(
          400,
          'LocationNotAvailableForResourceGroup',
          `The provided location '${given ?? ''}' is not available for resource group. List of available regions is '${LOCATIONS.join(',')}'.`,
        );
      if (group && given && location !== group.location) {
        throw new ArmError(
          409,
          'InvalidResourceGroupLocation',
          `Invalid resource group location '${location}'. The Resource group already exists in location '${group.location}'.`,
        );
      }
      const tags = body.tags !== undefined || method === 'PUT' ? tagsOf(body) : group!.tags;
      await ctx.repos.groups.save({ subscriptionId, key, name: group?.name ?? name, location, tags }, ctx.now);
      return jsonAnswer(group ? 200 : 201, render((await ctx.repos.groups.find(subscriptionId, key))!));
    }
    case 'DELETE': {
      if (!group) throw armErrors.resourceGroupNotFound(name);
      await advanceDue(ctx);
      const rows = await ctx.repos.resources.inResourceGroup(subscriptionId, key);
      const rank = (type: string) => (DELETE_ORDER.includes(type) ? DELETE_ORDER.indexOf(type) : DELETE_ORDER.length);
      for (const row of [...rows].sort((a, b) => rank(a.type) - rank(b.type))) await purgeRow(ctx, row.key);
      await ctx.repos.groups.delete(subscriptionId, key);
      const operationId = randomUUID();
      await ctx.repos.operations.insert(
        {
          operationId,
          subscriptionId,
          location: group.location,
          resourceKey: resourceGroupId(subscriptionId, key).toLowerCase(),
          kind: 'delete',
          status: initialStatus(ctx.delays.deletion, null),
          error: null,
          dueAt: new Date(ctx.now.getTime() + ctx.delays.deletion),
        },
        ctx.now,
      );
      return {
        status: 202,
        headers: {
          Location: `${ctx.baseUrl}/subscriptions/${subscriptionId}/operationresults/${operationId}?api-version=${ctx.apiVersion}`,
          'Retry-After': String(Math.ceil(ctx.delays.deletion / 1000)),
        },
        holdMs: 0,
      };
    }
    default:
      throw armErrors.methodNotAllowed(method);
  }
}
