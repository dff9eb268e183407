import { json, type AzureExecutor } from './schema.js';

/** Finished operations are kept this long for polling clients, then forgotten. */
export const OPERATION_RETENTION_MS = 24 * 3_600_000;

/** A long-running operation: a PUT or DELETE whose result is due at `dueAt`. */
export interface OperationRow {
  readonly operationId: string;
  readonly subscriptionId: string;
  readonly location: string;
  readonly resourceKey: string;
  readonly kind: 'put' | 'delete';
  /** InProgress until due; Succeeded or Failed after. */
  readonly status: string;
  readonly error: { code: string; message: string } | null;
  readonly dueAt: Date;
}

/** Long-running operations (what `Azure-AsyncOperation` and `Location` URLs point at). */
export class OperationsRepository {
  constructor(private readonly db: AzureExecutor) {}

  async insert(op: OperationRow, now: Date): Promise<void> {
    await this.db
      .insertInto('lc_azure_operations')
      .values({
        operation_id: op.operationId,
        subscription_id: op.subscriptionId,
        location: op.location,
        resource_key: op.resourceKey,
        kind: op.kind,
        status: op.status,
        error: op.error ? json(op.error) : null,
        due_at: op.dueAt,
        created_at: now,
      })
      .execute();
  }

  async find(operationId: string): Promise<OperationRow | undefined> {
    const row = await this.db.selectFrom('lc_azure_operations').selectAll().where('operation_id', '=', operationId).executeTakeFirst();
    if (!row) return undefined;
    return {
      operationId: row.operation_id,
      subscriptionId: row.subscription_id,
      location: row.location,
      resourceKey: row.resource_key,
      kind: row.kind === 'delete' ? 'delete' : 'put',
      status: row.status,
      error: row.error ?? null,
      dueAt: row.due_at,
    };
  }

  /** Operations on a resource still running at `now` (for AnotherOperationInProgress). */
  async runningOn(resourceKey: string, now: Date): Promise<OperationRow | undefined> {
    const row = await this.db
      .selectFrom('lc_azure_operations')
      .select('operation_id')
      .where('resource_key', '=', resourceKey)
      .where('status', '=', 'InProgress')
      .where('due_at', '>', now)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row ? this.find(row.operation_id) : undefined;
  }

  /**
   * Finishes every running operation that is due — Succeeded, or Failed when it carries an error
   * (a `failAsync` fault) — and forgets operations older than `forgetBefore`.
   */
  async settle(now: Date, forgetBefore: Date): Promise<void> {
    await this.db
      .updateTable('lc_azure_operations')
      .set((eb) => ({ status: eb.case().when('error', 'is', null).then('Succeeded').else('Failed').end() }))
      .where('status', '=', 'InProgress')
      .where('due_at', '<=', now)
      .execute();
    await this.db.deleteFrom('lc_azure_operations').where('created_at', '<', forgetBefore).execute();
  }
}
