import type { Executor } from './database.js';
import { thousands } from './id-batches.js';

/** One allocated load-balancer port. */
export interface PortAllocation {
  readonly projectId: string;
  readonly provider: string;
  readonly regionName: string;
  readonly port: number;
  readonly clusterId: string;
  readonly targetName: string;
}

/** Port-per-node allocations (see domain/port-allocation.ts). */
export class PortsRepository {
  constructor(private readonly db: Executor) {}

  async listRegion(projectId: string, provider: string, regionName: string): Promise<PortAllocation[]> {
    const rows = await this.db
      .selectFrom('port_allocations')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('provider', '=', provider)
      .where('region_name', '=', regionName)
      .orderBy('port')
      .execute();
    return rows.map(toAllocation);
  }

  async listCluster(clusterId: string): Promise<PortAllocation[]> {
    const rows = await this.db.selectFrom('port_allocations').selectAll().where('cluster_id', '=', clusterId).orderBy('port').execute();
    return rows.map(toAllocation);
  }

  /** Every allocation of every project (the public gateway's routes and addresses). */
  async listAll(): Promise<PortAllocation[]> {
    const rows = await this.db.selectFrom('port_allocations').selectAll().orderBy('project_id').orderBy('cluster_id').orderBy('port').execute();
    return rows.map(toAllocation);
  }

  /** The allocations of these projects (read a thousand projects per statement). */
  async listByProjects(projectIds: readonly string[]): Promise<PortAllocation[]> {
    const out: PortAllocation[] = [];
    for (const ids of thousands(projectIds)) {
      const rows = await this.db.selectFrom('port_allocations').selectAll().where('project_id', 'in', ids).orderBy('project_id').orderBy('cluster_id').orderBy('port').execute();
      out.push(...rows.map(toAllocation));
    }
    return out;
  }

  async insert(allocations: readonly PortAllocation[]): Promise<void> {
    if (allocations.length === 0) return;
    await this.db
      .insertInto('port_allocations')
      .values(
        allocations.map((a) => ({
          project_id: a.projectId,
          provider: a.provider,
          region_name: a.regionName,
          port: a.port,
          cluster_id: a.clusterId,
          target_name: a.targetName,
        })),
      )
      .execute();
  }

  async release(clusterId: string, targetNames?: readonly string[]): Promise<void> {
    let query = this.db.deleteFrom('port_allocations').where('cluster_id', '=', clusterId);
    if (targetNames) {
      if (targetNames.length === 0) return;
      query = query.where('target_name', 'in', targetNames);
    }
    await query.execute();
  }
}

function toAllocation(row: { project_id: string; provider: string; region_name: string; port: number; cluster_id: string; target_name: string }): PortAllocation {
  return {
    projectId: row.project_id,
    provider: row.provider,
    regionName: row.region_name,
    port: row.port,
    clusterId: row.cluster_id,
    targetName: row.target_name,
  };
}
