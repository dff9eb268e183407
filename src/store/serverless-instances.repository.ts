import type { ServerlessInstanceRecord, ServerlessInstanceSpec, ServerlessState } from '../domain/serverless-instance.js';
import type { Executor } from './database.js';
import { thousands } from './id-batches.js';

type InstanceRow = {
  id: string;
  project_id: string;
  name: string;
  spec: unknown;
  state_name: string;
  delete_requested: boolean;
  created_at: Date;
  updated_at: Date;
};

/** Serverless instances of projects. Names are unique per project, case-insensitively. */
export class ServerlessInstancesRepository {
  constructor(private readonly db: Executor) {}

  async findByName(projectId: string, name: string): Promise<ServerlessInstanceRecord | undefined> {
    const row = await this.db
      .selectFrom('serverless_instances')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .executeTakeFirst();
    return row && toInstance(row);
  }

  async findById(id: string): Promise<ServerlessInstanceRecord | undefined> {
    const row = await this.db.selectFrom('serverless_instances').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toInstance(row);
  }

  /** Reads the instance and locks its row until the transaction ends. */
  async lockById(id: string): Promise<ServerlessInstanceRecord | undefined> {
    const row = await this.db.selectFrom('serverless_instances').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toInstance(row);
  }

  async listByProject(projectId: string): Promise<ServerlessInstanceRecord[]> {
    const rows = await this.db.selectFrom('serverless_instances').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toInstance);
  }

  /** Every instance of every project (the public gateway's routes and addresses), by project. */
  async listAll(): Promise<ServerlessInstanceRecord[]> {
    const rows = await this.db.selectFrom('serverless_instances').selectAll().orderBy('project_id').orderBy('id').execute();
    return rows.map(toInstance);
  }

  /** The instances of these projects, by project (read a thousand projects per statement). */
  async listByProjects(projectIds: readonly string[]): Promise<ServerlessInstanceRecord[]> {
    const out: ServerlessInstanceRecord[] = [];
    for (const ids of thousands(projectIds)) {
      const rows = await this.db.selectFrom('serverless_instances').selectAll().where('project_id', 'in', ids).orderBy('project_id').orderBy('id').execute();
      out.push(...rows.map(toInstance));
    }
    return out;
  }

  async listIds(): Promise<string[]> {
    return (await this.db.selectFrom('serverless_instances').select('id').execute()).map((row) => row.id);
  }

  async insert(instance: ServerlessInstanceRecord): Promise<void> {
    await this.db
      .insertInto('serverless_instances')
      .values({
        id: instance.id,
        project_id: instance.projectId,
        name: instance.name,
        spec: JSON.stringify(instance.spec),
        state_name: instance.stateName,
        delete_requested: instance.deleteRequested,
        created_at: instance.createdAt,
        updated_at: instance.updatedAt,
      })
      .execute();
  }

  async update(id: string, changes: { spec?: ServerlessInstanceSpec; stateName?: ServerlessState; deleteRequested?: boolean }, now: Date): Promise<void> {
    await this.db
      .updateTable('serverless_instances')
      .set({
        ...(changes.spec !== undefined ? { spec: JSON.stringify(changes.spec) } : {}),
        ...(changes.stateName !== undefined ? { state_name: changes.stateName } : {}),
        ...(changes.deleteRequested !== undefined ? { delete_requested: changes.deleteRequested } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('serverless_instances').where('id', '=', id).execute();
  }
}

function toInstance(row: InstanceRow): ServerlessInstanceRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    spec: (typeof row.spec === 'string' ? JSON.parse(row.spec) : row.spec) as ServerlessInstanceSpec,
    stateName: row.state_name as ServerlessState,
    deleteRequested: row.delete_requested,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
