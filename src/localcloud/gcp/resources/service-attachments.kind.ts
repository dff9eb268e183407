import { randomBytes } from 'node:crypto';
import { computeErrors } from '../compute-error.js';
import type { ComputeContext } from '../compute-context.js';
import { fingerprint } from '../ids.js';
import { normalizeLink, pathOf, regionOfScope, regionPath } from '../links.js';
import { isVisible, type ResourceRow } from '../store/resources.repository.js';
import type { JsonObject, JsonValue } from '../store/schema.js';
import { reevaluateConnections } from './connections.js';
import { compact, optBool, optEnum, optInt, optObjects, optString, optStrings } from './fields.js';
import type { ResourceKind } from './kind.js';
import { requireVisible, rowPath } from './references.js';

/**
 * Regional `serviceAttachments` (the producer side of Private Service Connect): `targetService`
 * = an internal forwarding rule of the producer's region, `natSubnets` (PRIVATE_SERVICE_CONNECT
 * subnetworks), `connectionPreference` ACCEPT_AUTOMATIC | ACCEPT_MANUAL,
 * `consumerAcceptLists[{projectIdOrNum | networkUrl, connectionLimit}]`,
 * `consumerRejectLists`, `enableProxyProtocol`, `reconcileConnections`. PATCH (quoting the
 * `fingerprint`) changes the policy and re-decides connections (psc-connection.ts); a delete
 * closes them. `connectedEndpoints` is derived from the PSC forwarding rules that target it.
 */
export const serviceAttachmentsKind: ResourceKind = {
  collection: 'serviceAttachments',
  scopeType: 'regional',
  kind: 'compute#serviceAttachment',
  delay: 'serviceAttachmentProvisioning',
  fingerprinted: true,
  async create(ctx, target, input) {
    const body = await attachmentBody(ctx, target.project, target.scope, input);
    return {
      body: {
        ...body,
        region: regionPath(target.project, regionOfScope(target.scope)!),
        pscServiceAttachmentId: { high: randomBytes(8).readBigUInt64BE().toString(), low: randomBytes(8).readBigUInt64BE().toString() },
        fingerprint: fingerprint(),
      },
    };
  },
  async patch(ctx, row, input) {
    const merged: JsonObject = { ...row.body, ...input };
    const body: JsonObject = {
      ...(await attachmentBody(ctx, row.project, row.scope, merged)),
      region: row.body.region as JsonValue,
      pscServiceAttachmentId: row.body.pscServiceAttachmentId as JsonValue,
      fingerprint: fingerprint(),
    };
    await reevaluateConnections(ctx, rowPath(row), body);
    return { body };
  },
  async derive(ctx, row) {
    // Rules older than the attachment targeted an earlier attachment of that name (closed when it was deleted).
    const rules = (await ctx.repos.resources.referring(rowPath(row), ctx.now)).filter((r) => isVisible(r, ctx.now) && r.createdAt.getTime() >= row.createdAt.getTime());
    return {
      connectedEndpoints: rules.map((r) => ({
        endpoint: rowPath(r),
        pscConnectionId: r.body.pscConnectionId as JsonValue,
        status: r.body.pscConnectionStatus as JsonValue,
        consumerNetwork: r.body.network as JsonValue,
        propagatedConnectionCount: 0,
      })),
    };
  },
  async afterDelete(ctx, row) {
    await reevaluateConnections(ctx, rowPath(row), undefined);
  },
};

async function attachmentBody(ctx: ComputeContext, project: string, scope: string, input: JsonObject): Promise<JsonObject> {
  const targetPath = normalizeLink(input.targetService, 'resource.targetService', project, { collection: 'forwardingRules', scope });
  if (targetPath.scope !== scope)
    throw computeErrors.invalidField('resource.targetService', input.targetService, 'The target service must be in the region of the service attachment.');
  const targetRule = await requireVisible(ctx, targetPath);
  if (targetRule.body.loadBalancingScheme !== 'INTERNAL')
    throw computeErrors.invalidField('resource.targetService', input.targetService, 'The target service must be an internal load balancer forwarding rule.');
  const natSubnets: ResourceRow[] = [];
  for (const [i, link] of optStrings(input, 'natSubnets').entries()) {
    const path = normalizeLink(link, `resource.natSubnets[${i}]`, project, { collection: 'subnetworks', scope });
    const subnet = await requireVisible(ctx, path);
    if (subnet.body.purpose !== 'PRIVATE_SERVICE_CONNECT')
      throw computeErrors.invalidField(`resource.natSubnets[${i}]`, link, "The NAT subnetwork's purpose must be PRIVATE_SERVICE_CONNECT.");
    if (path.scope !== scope) throw computeErrors.invalidField(`resource.natSubnets[${i}]`, link, 'The NAT subnetwork must be in the region of the service attachment.');
    natSubnets.push(subnet);
  }
  if (natSubnets.length === 0) throw computeErrors.required('resource.natSubnets');
  const preference = optEnum(input, 'connectionPreference', ['ACCEPT_AUTOMATIC', 'ACCEPT_MANUAL'] as const, 'ACCEPT_AUTOMATIC');
  const acceptLists = optObjects(input, 'consumerAcceptLists').map((entry, i) => {
    const projectIdOrNum = optString(entry, 'projectIdOrNum');
    const networkUrl = entry.networkUrl
      ? pathOf(normalizeLink(entry.networkUrl, `resource.consumerAcceptLists[${i}].networkUrl`, project, { collection: 'networks', scope: 'global' }))
      : undefined;
    if ((projectIdOrNum === undefined) === (networkUrl === undefined))
      throw computeErrors.invalid(`Exactly one of projectIdOrNum or networkUrl must be set in consumerAcceptLists[${i}].`);
    const connectionLimit = optInt(entry, 'connectionLimit') ?? 0;
    if (connectionLimit < 0) throw computeErrors.invalidField(`resource.consumerAcceptLists[${i}].connectionLimit`, connectionLimit, 'Expected a non-negative number.');
    return compact({ projectIdOrNum, networkUrl, connectionLimit });
  });
  return compact({
    description: optString(input, 'description'),
    targetService: pathOf(targetPath),
    connectionPreference: preference,
    natSubnets: natSubnets.map(rowPath),
    consumerAcceptLists: acceptLists,
    consumerRejectLists: optStrings(input, 'consumerRejectLists'),
    enableProxyProtocol: optBool(input, 'enableProxyProtocol') ?? false,
    reconcileConnections: optBool(input, 'reconcileConnections') ?? false,
    domainNames: optStrings(input, 'domainNames'),
    producerForwardingRule: pathOf(targetPath),
  });
}
