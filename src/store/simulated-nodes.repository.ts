import type { Executor } from './database.js';

/** A node's listening address. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Where the local cloud's simulated nodes listen, per owner (cluster), as the process running them published it. */
export class SimulatedNodesRepository {
  constructor(private readonly db: Executor) {}

  /** The owner's published nodes by target name (empty when none). */
  async addressesOf(ownerId: string): Promise<Record<string, NodeAddress>> {
    const rows = await this.db.selectFrom('simulated_node_addresses').select(['target_name', 'host', 'port']).where('owner_id', '=', ownerId).execute();
    return Object.fromEntries(rows.map((row) => [row.target_name, { host: row.host, port: row.port }]));
  }

  /** Replaces the owner's published nodes with `addresses` (none removes them). */
  async replace(ownerId: string, addresses: Readonly<Record<string, NodeAddress>>): Promise<void> {
    await this.db.deleteFrom('simulated_node_addresses').where('owner_id', '=', ownerId).execute();
    const rows = Object.entries(addresses).map(([target_name, a]) => ({ owner_id: ownerId, target_name, host: a.host, port: a.port }));
    if (rows.length > 0) await this.db.insertInto('simulated_node_addresses').values(rows).execute();
  }

  /** Forgets every published node (the process running them starts afresh). */
  async clear(): Promise<void> {
    await this.db.deleteFrom('simulated_node_addresses').execute();
  }
}
