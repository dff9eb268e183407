import { json, type GcpExecutor, type JsonObject } from './schema.js';

/**
 * One Compute operation as stored: its static fields (`body`: id, name, operationType,
 * targetLink, user, insertTime, error…, links relative) and when it is DONE. Status and progress
 * are derived from `dueAt` when read.
 */
export interface OperationRow {
  readonly name: string;
  readonly project: string;
  /** `global`, `regions/{r}` or `zones/{z}`. */
  readonly scope: string;
  readonly requestId: string | null;
  readonly body: JsonObject;
  readonly dueAt: Date;
  readonly createdAt: Date;
}

/** Operations. Thin queries; missing rows come back as undefined. */
export class OperationsRepository {
  constructor(private readonly db: GcpExecutor) {}

  async insert(op: OperationRow): Promise<void> {
    await this.db
      .insertInto('lc_gcp_operations')
      .values({ name: op.name, project: op.project, scope: op.scope, request_id: op.requestId, body: json(op.body), due_at: op.dueAt, created_at: op.createdAt })
      .execute();
  }

  async find(project: string, scope: string, name: string): Promise<OperationRow | undefined> {
    const row = await this.db.selectFrom('lc_gcp_operations').selectAll().where('project', '=', project).where('scope', '=', scope).where('name', '=', name).executeTakeFirst();
    return row && toRow(row);
  }

  /** The operation an earlier call with this `requestId` started in the project, if any. */
  async findByRequestId(project: string, requestId: string): Promise<OperationRow | undefined> {
    const row = await this.db.selectFrom('lc_gcp_operations').selectAll().where('project', '=', project).where('request_id', '=', requestId).executeTakeFirst();
    return row && toRow(row);
  }

  /** Forgets operations created before `before`. */
  async forget(before: Date): Promise<void> {
    await this.db.deleteFrom('lc_gcp_operations').where('created_at', '<', before).execute();
  }
}

function toRow(row: { name: string; project: string; scope: string; request_id: string | null; body: JsonObject; due_at: Date; created_at: Date }): OperationRow {
  return { name: row.name, project: row.project, scope: row.scope, requestId: row.request_id, body: row.body, dueAt: row.due_at, createdAt: row.created_at };
}
