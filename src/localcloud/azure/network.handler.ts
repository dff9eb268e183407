import { jsonAnswer, type ArmAnswer, type HandlerContext } from './arm-request.js';
import { ArmError, armErrors } from './arm-error.js';
import { KINDS } from './kinds/registry.js';
import { newEtag, renderRow, type ResourceKind } from './kinds/kind.js';
import { purgeRow } from './advance.js';
import { asyncOperationUrl, operationResultUrl, retryAfter, startOperation } from './lro.js';
import { optString, tagsOf } from './request-body.js';
import { isResourceName, networkResourceId, resourceKey } from './resource-ids.js';
import type { ResourceRow } from './store/resources.repository.js';
import type { JsonObject } from './store/schema.js';
import { LOCATIONS } from './api-versions.js';
import { checkUsageLimit } from './network-usages.js';

/** A Microsoft.Network request, resolved to its kind. */
export interface NetworkTarget {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly segments: ReadonlyArray<{ readonly type: string; readonly name?: string }>;
}

/** The kind a route addresses (by its type path), or undefined. */
export function kindOf(segments: NetworkTarget['segments']): ResourceKind | undefined {
  return KINDS.get(segments.map((s) => s.type.toLowerCase()).join('/'));
}

/** The ARM operation name of a request on a route (what fault switches match). */
export function operationName(kind: ResourceKind, method: string, isList: boolean): string {
  if (isList) return kind.operations.list;
  if (method === 'PUT') return kind.operations.put;
  if (method === 'DELETE') return kind.operations.delete;
  if (method === 'PATCH' && kind.operations.updateTags) return kind.operations.updateTags;
  return kind.operations.get;
}

function canonicalSegments(target: NetworkTarget, kinds: ResourceKind[]): Array<{ type: string; name: string }> {
  return target.segments.map((s, i) => ({ type: kinds[i]!.segment, name: s.name ?? '' }));
}

/** Kinds along the route: the top-level kind, then the child kind. */
function kindsAlong(target: NetworkTarget): ResourceKind[] {
  const out: ResourceKind[] = [];
  for (let i = 1; i <= target.segments.length; i++) {
    const kind = kindOf(target.segments.slice(0, i));
    if (kind) out.push(kind);
  }
  return out;
}

async function requireGroup(ctx: HandlerContext, target: NetworkTarget) {
  const group = await ctx.repos.groups.find(target.subscriptionId, target.resourceGroup.toLowerCase());
  if (!group) throw armErrors.resourceGroupNotFound(target.resourceGroup);
  return group;
}

async function assertIdle(ctx: HandlerContext, rows: Array<ResourceRow | undefined>): Promise<void> {
  for (const row of rows) {
    if (!row) continue;
    const running = await ctx.repos.operations.runningOn(row.key, ctx.now);
    if (running) throw armErrors.anotherOperationInProgress(asyncOperationUrl(ctx, running));
  }
}

/**
 * Serves GET / PUT / DELETE of one Microsoft.Network resource or child resource, PATCH of a
 * resource's tags where ARM has `…_UpdateTags`, and lists of a
 * type in a resource group or under a parent. Checks the resource group (ResourceGroupNotFound),
 * the parent (ResourceNotFound), operations running on the resource or its parent
 * (AnotherOperationInProgress), then hands the body to the kind.
 */
export async function answerNetwork(ctx: HandlerContext, method: string, target: NetworkTarget, body: JsonObject): Promise<ArmAnswer> {
  const kinds = kindsAlong(target);
  const kind = kindOf(target.segments);
  if (!kind || kinds.length !== target.segments.length) {
    throw armErrors.invalidResourceType(target.segments.map((s) => s.type).join('/'), 'Microsoft.Network', ctx.apiVersion);
  }
  const last = target.segments[target.segments.length - 1]!;
  const isList = last.name === undefined;
  const group = await requireGroup(ctx, target);
  const segments = canonicalSegments(target, kinds);
  let parent: ResourceRow | undefined;
  if (target.segments.length === 2) {
    const parentId = networkResourceId(target.subscriptionId, group.name, segments.slice(0, 1));
    parent = await ctx.repos.resources.find(resourceKey(parentId));
    if (!parent || parent.type !== kinds[0]!.type) {
      if (method === 'DELETE' && !isList) return { status: 204, headers: {}, holdMs: 0 };
      throw armErrors.resourceNotFound(`Microsoft.Network/${kinds[0]!.segment}/${segments[0]!.name}`, group.name);
    }
  }
  if (isList) {
    if (method !== 'GET') throw armErrors.methodNotAllowed(method);
    return listPage(ctx, kind, { subscriptionId: target.subscriptionId, type: kind.type, resourceGroupKey: group.key, ...(parent ? { parentKey: parent.key } : {}) });
  }
  const id = networkResourceId(target.subscriptionId, group.name, segments);
  const key = resourceKey(id);
  const found = await ctx.repos.resources.find(key);
  const row = found && found.type === kind.type ? found : undefined;
  switch (method) {
    case 'GET':
      if (!row) throw parent ? armErrors.childNotFound(id) : armErrors.resourceNotFound(`Microsoft.Network/${kind.segment}/${last.name}`, group.name);
      return jsonAnswer(200, await renderRow(ctx, kind, row));
    case 'PUT':
      return put(ctx, kind, { id: row?.id ?? id, key, group, name: row?.name ?? last.name!, parent }, body, row);
    case 'DELETE': {
      if (!row) return { status: 204, headers: {}, holdMs: 0 };
      if (!kind.writable) throw armErrors.methodNotAllowed(method);
      await assertIdle(ctx, [row, parent]);
      if (row.provisioningState === 'Deleting') {
        const running = await ctx.repos.operations.runningOn(row.key, ctx.now);
        if (running) throw armErrors.anotherOperationInProgress(asyncOperationUrl(ctx, running));
      }
      await kind.beforeDelete?.(ctx, row);
      const delay = ctx.delays.deletion;
      const location = row.location ?? parent?.location ?? 'eastus';
      const op = await startOperation(ctx, { resourceKey: row.key, location, kind: 'delete', delayMs: delay });
      // A failing deletion (failAsync fault) leaves the resource in place, Failed. With no delay the
      // deletion is done now, as the next request would find it done.
      if (delay > 0) await ctx.repos.resources.save({ ...row, provisioningState: 'Deleting', nextState: ctx.asyncFailure ? 'Failed' : 'purged', nextStateAt: op.dueAt });
      else if (ctx.asyncFailure) await ctx.repos.resources.save({ ...row, provisioningState: 'Failed', nextState: null, nextStateAt: null });
      else await purgeRow(ctx, row.key);
      return { status: 202, headers: { 'Azure-AsyncOperation': asyncOperationUrl(ctx, op), Location: operationResultUrl(ctx, op), 'Retry-After': retryAfter(ctx, op) }, holdMs: 0 };
    }
    case 'PATCH': {
      // ARM's `…_UpdateTags`: `{tags}` replaces the resource's tags, nothing else; a synchronous 200 with the resource.
      if (!kind.operations.updateTags || parent) throw armErrors.methodNotAllowed(method);
      if (!row) throw armErrors.resourceNotFound(`Microsoft.Network/${kind.segment}/${last.name}`, group.name);
      await assertIdle(ctx, [row]);
      if (row.provisioningState === 'Deleting') throw armErrors.anotherOperationInProgress(`${ctx.baseUrl}${row.id}`);
      const saved: ResourceRow = { ...row, tags: body.tags === undefined ? row.tags : tagsOf(body), etag: newEtag() };
      await ctx.repos.resources.save(saved);
      return jsonAnswer(200, await renderRow(ctx, kind, saved));
    }
    default:
      throw armErrors.methodNotAllowed(method);
  }
}

async function put(
  ctx: HandlerContext,
  kind: ResourceKind,
  where: { id: string; key: string; group: { name: string; key: string }; name: string; parent: ResourceRow | undefined },
  body: JsonObject,
  existing: ResourceRow | undefined,
): Promise<ArmAnswer> {
  if (!kind.writable) {
    throw new ArmError(400, 'OperationNotAllowed', `Creating ${kind.segment} directly is not supported by the local cloud: they are made with the resources that use them.`);
  }
  await assertIdle(ctx, [existing, where.parent]);
  if (existing?.provisioningState === 'Deleting') throw armErrors.anotherOperationInProgress(`${ctx.baseUrl}${existing.id}`);
  if (!isResourceName(where.name)) throw armErrors.invalidResourceName(where.name);
  let location: string;
  if (where.parent) location = where.parent.location ?? 'eastus';
  else {
    const given = optString(body.location, 'location');
    if (!given) throw armErrors.locationRequired();
    location = given.toLowerCase().replace(/\s+/g, '');
    if (!LOCATIONS.includes(location))
      throw new ArmError(
        400,
        'LocationNotAvailableForResourceType',
        `The provided location '${given}' is not available for resource type '${kind.type}'. List of available regions for the resource type is '${LOCATIONS.join(',')}'.`,
      );
    if (existing && existing.location !== location) throw armErrors.locationMismatch(location, existing.location ?? '');
    if (!existing) await checkUsageLimit(ctx, ctx.principal.subscriptionId, location, kind.type);
  }
  const properties = await kind.write(
    ctx,
    {
      id: where.id,
      key: where.key,
      subscriptionId: ctx.principal.subscriptionId,
      resourceGroup: where.group.name,
      resourceGroupKey: where.group.key,
      name: where.name,
      location,
      parent: where.parent,
    },
    body,
    existing,
  );
  const delay = kind.longRunning ? kind.provisioningDelay(ctx.delays) : 0;
  // A long-running write with no delay is stored finished (the next request would find it so) and
  // answered `Updating`, as it is with a delay.
  const pending = kind.longRunning && delay > 0;
  const saved: ResourceRow = {
    key: where.key,
    seq: existing?.seq ?? 0,
    id: where.id,
    subscriptionId: ctx.principal.subscriptionId,
    resourceGroupKey: where.group.key,
    type: kind.type,
    parentKey: where.parent?.key ?? null,
    name: where.name,
    location: where.parent ? null : location,
    tags: where.parent ? {} : tagsOf(body),
    etag: newEtag(),
    properties,
    provisioningState: pending ? 'Updating' : kind.longRunning && ctx.asyncFailure ? 'Failed' : 'Succeeded',
    nextState: pending ? (ctx.asyncFailure ? 'Failed' : 'Succeeded') : null,
    nextStateAt: pending ? new Date(ctx.now.getTime() + delay) : null,
    createdAt: existing?.createdAt ?? ctx.now,
  };
  await ctx.repos.resources.save(saved);
  const rendered = await renderRow(ctx, kind, kind.longRunning ? { ...saved, provisioningState: 'Updating' } : saved);
  if (!kind.longRunning) return jsonAnswer(200, rendered);
  const op = await startOperation(ctx, { resourceKey: where.key, location, kind: 'put', delayMs: delay });
  return jsonAnswer(existing ? 200 : 201, rendered, { 'Azure-AsyncOperation': asyncOperationUrl(ctx, op), 'Retry-After': retryAfter(ctx, op) });
}

/** One page of a listing: `value` and, when more follow, `nextLink` (with `$skiptoken`). */
export async function listPage(
  ctx: HandlerContext,
  kind: ResourceKind,
  filter: { subscriptionId: string; type: string; resourceGroupKey?: string; parentKey?: string },
  listPath?: string,
): Promise<ArmAnswer> {
  const rows = await ctx.repos.resources.page(filter, ctx.pageAfter, ctx.pageSize + 1);
  const page = rows.slice(0, ctx.pageSize);
  const value = await Promise.all(page.map((row) => renderRow(ctx, kind, row)));
  const body: JsonObject = { value };
  if (rows.length > ctx.pageSize && page.length > 0) {
    body.nextLink = `${ctx.baseUrl}${listPath ?? ctx.path}?api-version=${ctx.apiVersion}&$skiptoken=${page[page.length - 1]!.seq}`;
  }
  return jsonAnswer(200, body);
}
