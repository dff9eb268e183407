import { isSeqPosition } from '../common/seq-position.js';
import { computeErrors } from './compute-error.js';
import { enforceQuota } from './compute-quotas.js';
import type { ComputeAnswer, ComputeContext } from './compute-context.js';
import { numericId } from './ids.js';
import { isValidName, pathOf, renderLinks, type ResourcePath } from './links.js';
import { parseListFilter } from './list-filter.js';
import { renderOperation, rfc3339, startOperation } from './operations.js';
import type { ResourceKind } from './resources/kind.js';
import { labelFields, labelsOf } from './resources/labels.js';
import { isLive, isVisible, type ResourceRow } from './store/resources.repository.js';
import type { JsonObject } from './store/schema.js';

/** Largest `maxResults` Compute accepts. */
const MAX_RESULTS = 500;

/**
 * The generic Compute resource methods for one kind: `get`, `list` (`maxResults`, `pageToken`),
 * `insert`, `delete`, `patch` and custom verbs. Every write answers a `compute#operation`; an
 * insert's resource becomes visible when its operation is DONE, a delete's disappears then.
 * Call inside the request's transaction, under the emulator lock, after authorisation.
 */
export async function answerResource(
  ctx: ComputeContext,
  kind: ResourceKind,
  method: string,
  target: Omit<ResourcePath, 'name'> & { name?: string },
  verb: string | undefined,
  input: JsonObject,
): Promise<ComputeAnswer> {
  const { name } = target;
  if (name === undefined) {
    if (method === 'GET') return list(ctx, kind, target);
    if (method === 'POST') return insert(ctx, kind, target, input);
    throw computeErrors.methodNotAllowed(method);
  }
  const path = { ...target, name };
  const row = await ctx.repos.resources.find(path);
  const visible = row && isVisible(row, ctx.now) ? row : undefined;
  if (verb !== undefined) {
    const handler = kind.verbs?.[verb];
    if (!handler || method !== 'POST') throw computeErrors.noRoute(method, `/compute/v1/${pathOf(path)}/${verb}`);
    if (!visible) throw computeErrors.notFound(pathOf(path));
    return handler(ctx, visible, input);
  }
  if (method === 'GET') {
    if (!visible) throw computeErrors.notFound(pathOf(path));
    return { status: 200, body: await render(ctx, kind, visible) };
  }
  if (method === 'DELETE') return remove(ctx, kind, path, visible);
  if (method === 'PATCH') return patch(ctx, kind, path, visible, input);
  throw computeErrors.methodNotAllowed(method);
}

/** A stored row as Compute answers it: common fields, the document, derived fields, links as URLs; internal `_` fields dropped. */
export async function render(ctx: ComputeContext, kind: ResourceKind, row: ResourceRow): Promise<JsonObject> {
  const derived = kind.derive ? await kind.derive(ctx, row) : {};
  const doc: JsonObject = {
    kind: kind.kind,
    id: row.id,
    creationTimestamp: rfc3339(row.createdAt),
    name: row.name,
    ...row.body,
    ...derived,
    selfLink: pathOf(row),
  };
  for (const key of Object.keys(doc)) if (key.startsWith('_')) delete doc[key];
  return renderLinks(ctx.baseUrl, doc) as JsonObject;
}

async function list(ctx: ComputeContext, kind: ResourceKind, target: Omit<ResourcePath, 'name'>): Promise<ComputeAnswer> {
  const maxText = ctx.query.get('maxResults');
  const max = maxText === null ? Math.min(ctx.pageSize, MAX_RESULTS) : Number(maxText);
  if (!Number.isInteger(max) || max < 0 || max > MAX_RESULTS) throw computeErrors.invalidField('maxResults', maxText, `Must be between 0 and ${MAX_RESULTS}.`);
  const token = ctx.query.get('pageToken');
  let after = 0;
  if (token) {
    const decoded = Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!isSeqPosition(decoded)) throw computeErrors.invalidField('pageToken', token, 'Invalid page token.');
    after = decoded;
  }
  const limit = max === 0 ? MAX_RESULTS : max;
  const filter = parseListFilter(ctx.query.get('filter'));
  // Rows are rendered (and filtered) in seq order until a page is full; one more match means another page.
  const items: JsonObject[] = [];
  let last = after;
  let more = false;
  for (const row of await ctx.repos.resources.live({ collection: kind.collection, project: target.project, scope: target.scope }, ctx.now, after)) {
    if (!isVisible(row, ctx.now)) continue;
    const item = await render(ctx, kind, row);
    if (!filter(item)) continue;
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(item);
    last = row.seq;
  }
  const listKind = `${kind.kind}List`;
  return {
    status: 200,
    body: {
      kind: listKind,
      id: `projects/${target.project}/${target.scope}/${target.collection}`,
      ...(items.length > 0 ? { items } : {}),
      ...(more ? { nextPageToken: Buffer.from(String(last)).toString('base64url') } : {}),
      selfLink: renderLinks(ctx.baseUrl, `projects/${target.project}/${target.scope}/${target.collection}`),
    },
  };
}

async function insert(ctx: ComputeContext, kind: ResourceKind, target: Omit<ResourcePath, 'name'>, input: JsonObject): Promise<ComputeAnswer> {
  const name = input.name;
  if (name === undefined || name === null || name === '') throw computeErrors.required('resource.name');
  if (typeof name !== 'string' || !isValidName(name)) throw computeErrors.invalidField('resource.name', name, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
  const path: ResourcePath = { ...target, name };
  const existing = await ctx.repos.resources.find(path);
  if (existing && isLive(existing, ctx.now)) throw computeErrors.alreadyExists(pathOf(path));
  await enforceQuota(ctx, target.project, target.scope, kind.collection);
  // Labels are checked before anything is made, as every other field.
  const labels = kind.labelled ? labelFields(labelsOf(input, 'resource.labels')) : {};
  const created = await kind.create(ctx, path, input);
  const id = numericId();
  const delayMs = ctx.delays[kind.delay];
  await ctx.repos.resources.save({
    ...path,
    id,
    body: { ...created.body, ...labels },
    ref: created.ref ?? null,
    readyAt: new Date(ctx.now.getTime() + delayMs),
    goneAt: null,
    createdAt: ctx.now,
  });
  const op = await startOperation(ctx, { target: path, targetId: id, operationType: 'insert', delayMs, requestId: ctx.query.get('requestId') });
  return { status: 200, body: renderOperation(ctx, op) };
}

async function remove(ctx: ComputeContext, kind: ResourceKind, path: ResourcePath, row: ResourceRow | undefined): Promise<ComputeAnswer> {
  if (!row) throw computeErrors.notFound(pathOf(path));
  if (row.goneAt !== null) throw computeErrors.notReady(pathOf(path));
  const user = kind.usedBy ? await kind.usedBy(ctx, row) : undefined;
  if (user)
    throw computeErrors.inUse(
      kind.kind.replace(/^compute#/, '').replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`),
      pathOf(path),
      user,
    );
  const delayMs = ctx.delays.deletion;
  await ctx.repos.resources.save({ ...row, goneAt: new Date(ctx.now.getTime() + delayMs) });
  if (kind.afterDelete) await kind.afterDelete(ctx, row);
  const op = await startOperation(ctx, { target: path, targetId: row.id, operationType: 'delete', delayMs, requestId: ctx.query.get('requestId') });
  return { status: 200, body: renderOperation(ctx, op) };
}

async function patch(ctx: ComputeContext, kind: ResourceKind, path: ResourcePath, row: ResourceRow | undefined, input: JsonObject): Promise<ComputeAnswer> {
  if (!kind.patch) throw computeErrors.methodNotAllowed('PATCH');
  if (!row) throw computeErrors.notFound(pathOf(path));
  if (row.goneAt !== null) throw computeErrors.notReady(pathOf(path));
  if (kind.fingerprinted) {
    if (typeof input.fingerprint !== 'string' || input.fingerprint === '') throw computeErrors.fingerprintRequired();
    if (input.fingerprint !== row.body.fingerprint) throw computeErrors.badFingerprint();
  }
  if (input.name !== undefined && input.name !== row.name) throw computeErrors.invalidField('resource.name', input.name, 'The name cannot be changed.');
  const { fingerprint: _f, name: _n, kind: _k, id: _i, selfLink: _s, creationTimestamp: _c, ...changes } = input;
  const patched = await kind.patch(ctx, row, changes);
  await ctx.repos.resources.save({ ...row, body: patched.body, ref: patched.ref === undefined ? row.ref : patched.ref });
  const delayMs = kind.delay === 'serviceAttachmentProvisioning' ? ctx.delays.serviceAttachmentProvisioning : ctx.delays.loadBalancerProvisioning;
  const op = await startOperation(ctx, { target: path, targetId: row.id, operationType: 'patch', delayMs, requestId: ctx.query.get('requestId') });
  return { status: 200, body: renderOperation(ctx, op) };
}
