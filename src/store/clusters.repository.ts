import type { ClusterRecord, ClusterSpec, ClusterState } from '../domain/cluster.js';
import type { Executor } from './database.js';
import { thousands } from './id-batches.js';

type ClusterRow = {
  id: string;
  project_id: string;
  name: string;
  spec: unknown;
  state_name: string;
  delete_requested: boolean;
  created_at: Date;
  updated_at: Date;
};

/** Clusters of projects. Names are unique per project, case-insensitively. */
export class ClustersRepository {
  constructor(private readonly db: Executor) {}

  async findByName(projectId: string, name: string): Promise<ClusterRecord | undefined> {
    const row = await this.db
      .selectFrom('clusters')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .executeTakeFirst();
    return row && toCluster(row);
  }

  async findById(id: string): Promise<ClusterRecord | undefined> {
    const row = await this.db.selectFrom('clusters').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toCluster(row);
  }

  /** Reads the cluster and locks its row until the transaction ends. */
  async lockById(id: string): Promise<ClusterRecord | undefined> {
    const row = await this.db.selectFrom('clusters').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toCluster(row);
  }

  async listByProject(projectId: string): Promise<ClusterRecord[]> {
    const rows = await this.db.selectFrom('clusters').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toCluster);
  }

  /** Every cluster that has allocated ports (the public gateway's deployments), in one statement. */
  async listHavingPorts(): Promise<ClusterRecord[]> {
    const rows = await this.db
      .selectFrom('clusters')
      .selectAll()
      .where('id', 'in', (eb) => eb.selectFrom('port_allocations').select('cluster_id'))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toCluster);
  }

  /** The clusters of these projects that have ports allocated (read a thousand projects per statement). */
  async listHavingPortsIn(projectIds: readonly string[]): Promise<ClusterRecord[]> {
    const out: ClusterRecord[] = [];
    for (const ids of thousands(projectIds)) {
      const rows = await this.db
        .selectFrom('clusters')
        .selectAll()
        .where('project_id', 'in', ids)
        .where('id', 'in', (eb) => eb.selectFrom('port_allocations').select('cluster_id').where('project_id', 'in', ids))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      out.push(...rows.map(toCluster));
    }
    return out;
  }

  async listIds(): Promise<string[]> {
    return (await this.db.selectFrom('clusters').select('id').execute()).map((row) => row.id);
  }

  async countByProject(projectId: string): Promise<number> {
    const row = await this.db
      .selectFrom('clusters')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('project_id', '=', projectId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(cluster: ClusterRecord): Promise<void> {
    await this.db
      .insertInto('clusters')
      .values({
        id: cluster.id,
        project_id: cluster.projectId,
        name: cluster.name,
        spec: JSON.stringify(cluster.spec),
        state_name: cluster.stateName,
        delete_requested: cluster.deleteRequested,
        created_at: cluster.createdAt,
        updated_at: cluster.updatedAt,
      })
      .execute();
  }

  async update(id: string, changes: { spec?: ClusterSpec; stateName?: ClusterState; deleteRequested?: boolean }, now: Date): Promise<void> {
    await this.db
      .updateTable('clusters')
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
    await this.db.deleteFrom('clusters').where('id', '=', id).execute();
  }
}

function toCluster(row: ClusterRow): ClusterRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    spec: (typeof row.spec === 'string' ? JSON.parse(row.spec) : row.spec) as ClusterSpec,
    stateName: row.state_name as ClusterState,
    deleteRequested: row.delete_requested,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
