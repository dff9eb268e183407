import { json, type AzureExecutor } from './schema.js';

/** A resource group as stored. */
export interface ResourceGroupRow {
  readonly subscriptionId: string;
  readonly key: string;
  readonly seq: number;
  readonly name: string;
  readonly location: string;
  readonly tags: Record<string, string>;
}

/** Resource groups per subscription (names case-insensitive, as ARM). Missing rows come back as undefined. */
export class ResourceGroupsRepository {
  constructor(private readonly db: AzureExecutor) {}

  async find(subscriptionId: string, key: string): Promise<ResourceGroupRow | undefined> {
    const row = await this.db.selectFrom('lc_azure_resource_groups').selectAll().where('subscription_id', '=', subscriptionId).where('name_key', '=', key).executeTakeFirst();
    return row && toRow(row);
  }

  /** Inserts the group, or updates its tags (ARM keeps name and location of an existing group). */
  async save(group: Omit<ResourceGroupRow, 'seq'>, now: Date): Promise<void> {
    await this.db
      .insertInto('lc_azure_resource_groups')
      .values({ subscription_id: group.subscriptionId, name_key: group.key, name: group.name, location: group.location, tags: json(group.tags), created_at: now })
      .onConflict((oc) => oc.columns(['subscription_id', 'name_key']).doUpdateSet({ tags: json(group.tags) }))
      .execute();
  }

  async delete(subscriptionId: string, key: string): Promise<void> {
    await this.db.deleteFrom('lc_azure_resource_groups').where('subscription_id', '=', subscriptionId).where('name_key', '=', key).execute();
  }

  /** Every group of every subscription (the data-plane view names groups). */
  async all(): Promise<ResourceGroupRow[]> {
    return (await this.db.selectFrom('lc_azure_resource_groups').selectAll().orderBy('seq').execute()).map(toRow);
  }

  async page(subscriptionId: string, afterSeq: number, limit: number): Promise<ResourceGroupRow[]> {
    const rows = await this.db
      .selectFrom('lc_azure_resource_groups')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toRow);
  }
}

function toRow(row: { subscription_id: string; name_key: string; seq: number; name: string; location: string; tags: Record<string, string> }): ResourceGroupRow {
  return { subscriptionId: row.subscription_id, key: row.name_key, seq: row.seq, name: row.name, location: row.location, tags: row.tags };
}
