import type { ComputeContext } from './compute-context.js';
import { numericId, operationName } from './ids.js';
import { linkUrl, regionOfScope, renderLinks, type ResourcePath, pathOf } from './links.js';
import type { OperationRow } from './store/operations.repository.js';
import type { JsonObject } from './store/schema.js';

/**
 * Compute operations (`compute#operation`). Every insert, delete, patch and custom write answers
 * one; it is RUNNING until its due time, then DONE (lazy: derived from the stored due time when
 * read, so it survives restarts). Inserts with a `requestId` already used in the project answer
 * the operation that request started (Compute's idempotency). Operations are kept a day.
 */
export const OPERATION_RETENTION_MS = 24 * 3_600_000;

/** Starts an operation on `target` due after `delayMs`. */
export async function startOperation(
  ctx: ComputeContext,
  input: { target: ResourcePath; targetId: string; operationType: string; delayMs: number; requestId?: string | null },
): Promise<OperationRow> {
  const scope = input.target.scope;
  const name = operationName(ctx.now);
  const region = regionOfScope(scope);
  const body: JsonObject = {
    kind: 'compute#operation',
    id: numericId(),
    name,
    operationType: input.operationType,
    targetLink: pathOf(input.target),
    targetId: input.targetId,
    user: ctx.principal.clientEmail,
    insertTime: rfc3339(ctx.now),
    startTime: rfc3339(ctx.now),
    selfLink: `projects/${input.target.project}/${scope}/operations/${name}`,
    ...(scope.startsWith('regions/') && region ? { region: `projects/${input.target.project}/regions/${region}` } : {}),
    ...(scope.startsWith('zones/') ? { zone: `projects/${input.target.project}/${scope}` } : {}),
  };
  const op: OperationRow = {
    name,
    project: input.target.project,
    scope,
    requestId: input.requestId ?? null,
    body,
    dueAt: new Date(ctx.now.getTime() + input.delayMs),
    createdAt: ctx.now,
  };
  await ctx.repos.operations.insert(op);
  return op;
}

/** Whether the operation is DONE at `now`. */
export function isDone(op: Pick<OperationRow, 'dueAt'>, now: Date): boolean {
  return op.dueAt.getTime() <= now.getTime();
}

/** The operation as Compute answers it at `now`. */
export function renderOperation(ctx: Pick<ComputeContext, 'baseUrl' | 'now'>, op: OperationRow): JsonObject {
  const done = isDone(op, ctx.now);
  const body: JsonObject = {
    ...op.body,
    status: done ? 'DONE' : 'RUNNING',
    progress: done ? 100 : 0,
    ...(done ? { endTime: rfc3339(op.dueAt) } : {}),
  };
  return renderLinks(ctx.baseUrl, body) as JsonObject;
}

/** The URL of an operation (for messages). */
export function operationUrl(baseUrl: string, op: OperationRow): string {
  return linkUrl(baseUrl, `projects/${op.project}/${op.scope}/operations/${op.name}`);
}

/** Compute's timestamp format: RFC 3339 with milliseconds and an offset (Compute shows Pacific time; the emulator UTC). */
export function rfc3339(at: Date): string {
  return at.toISOString().replace('Z', '+00:00');
}
