import { randomUUID } from 'node:crypto';
import type { ArmAnswer, HandlerContext } from './arm-request.js';
import { jsonAnswer } from './arm-request.js';
import { ArmError, armErrors } from './arm-error.js';
import type { OperationRow } from './store/operations.repository.js';

/**
 * Long-running operations as Microsoft.Network answers them: a PUT or DELETE records an operation
 * due when the resource's transition is; its `Azure-AsyncOperation` URL
 * (`/subscriptions/{s}/providers/Microsoft.Network/locations/{loc}/operations/{id}`) answers
 * `{"status":"InProgress"|"Succeeded"|"Failed"}` and its `Location` URL (`…/operationResults/{id}`)
 * 202 while running, then 204 for a delete or 200 (a resource group deletion's
 * `/subscriptions/{s}/operationresults/{id}` answers 200, as Microsoft.Resources does). `Retry-After` is the seconds left (0 when instant).
 */
export async function startOperation(ctx: HandlerContext, input: { resourceKey: string; location: string; kind: 'put' | 'delete'; delayMs: number }): Promise<OperationRow> {
  const failure = ctx.asyncFailure ?? null;
  const op: OperationRow = {
    operationId: randomUUID(),
    subscriptionId: ctx.principal.subscriptionId,
    location: input.location,
    resourceKey: input.resourceKey,
    kind: input.kind,
    status: initialStatus(input.delayMs, failure),
    error: failure,
    dueAt: new Date(ctx.now.getTime() + input.delayMs),
  };
  await ctx.repos.operations.insert(op, ctx.now);
  return op;
}

/**
 * The status an operation is recorded with: `InProgress` until its delay has passed; one with no
 * delay is recorded finished, so that nothing is left due for the next request to settle (every
 * later read would see it finished anyway).
 */
export function initialStatus(delayMs: number, error: unknown): 'InProgress' | 'Succeeded' | 'Failed' {
  if (delayMs > 0) return 'InProgress';
  return error ? 'Failed' : 'Succeeded';
}

/** The operation-status URL of an operation. */
export function asyncOperationUrl(ctx: Pick<HandlerContext, 'baseUrl' | 'apiVersion'>, op: Pick<OperationRow, 'subscriptionId' | 'location' | 'operationId'>): string {
  return `${ctx.baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${op.location}/operations/${op.operationId}?api-version=${ctx.apiVersion}`;
}

/** The operation-result URL of an operation (DELETE's `Location`). */
export function operationResultUrl(ctx: Pick<HandlerContext, 'baseUrl' | 'apiVersion'>, op: Pick<OperationRow, 'subscriptionId' | 'location' | 'operationId'>): string {
  return `${ctx.baseUrl}/subscriptions/${op.subscriptionId}/providers/Microsoft.Network/locations/${op.location}/operationResults/${op.operationId}?api-version=${ctx.apiVersion}`;
}

/** Seconds until the operation is due (rounded up; 0 when due). */
export function retryAfter(ctx: Pick<HandlerContext, 'now'>, op: Pick<OperationRow, 'dueAt'>): string {
  return String(Math.max(0, Math.ceil((op.dueAt.getTime() - ctx.now.getTime()) / 1000)));
}

function currentStatus(ctx: HandlerContext, op: OperationRow): string {
  if (op.status !== 'InProgress' || op.dueAt.getTime() > ctx.now.getTime()) return op.status;
  return op.error ? 'Failed' : 'Succeeded';
}

/** GET of an operation's status or result URL (the caller's own subscription only). */
export async function answerOperation(ctx: HandlerContext, operationId: string, results: boolean, path: string, doneStatus?: number): Promise<ArmAnswer> {
  const op = await ctx.repos.operations.find(operationId);
  if (!op || op.subscriptionId !== ctx.principal.subscriptionId) throw armErrors.operationNotFound(path);
  const status = currentStatus(ctx, op);
  if (!results) {
    const body: Record<string, unknown> = { name: op.operationId, status };
    if (status === 'Failed' && op.error) body.error = op.error;
    return jsonAnswer(200, body, status === 'InProgress' ? { 'Retry-After': retryAfter(ctx, op) } : {});
  }
  if (status === 'InProgress') return { status: 202, headers: { Location: `${ctx.baseUrl}${path}?api-version=${ctx.apiVersion}`, 'Retry-After': retryAfter(ctx, op) }, holdMs: 0 };
  if (status === 'Failed') throw new ArmError(400, op.error?.code ?? 'InternalServerError', op.error?.message ?? 'The operation failed.');
  return { status: doneStatus ?? (op.kind === 'delete' ? 204 : 200), headers: {}, holdMs: 0 };
}
