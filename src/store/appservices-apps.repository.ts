import type { AppDataSource, AppEnvironment, AppProduct, AppRecord, DeploymentModel } from '../domain/appservices-app.js';
import type { Executor } from './database.js';

type AppRow = {
  id: string;
  project_id: string;
  name: string;
  client_app_id: string;
  deployment_model: string;
  provider_region: string;
  location: string;
  environment: string | null;
  product: string;
  allow_non_vpc_client_requests: boolean;
  data_source_id: string;
  data_source: unknown;
  created_at: Date;
  updated_at: Date;
};

/** App Services apps (names unique per project, case-insensitively) and Admin API sessions. */
export class AppServicesAppsRepository {
  constructor(private readonly db: Executor) {}

  async findById(projectId: string, id: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('appservices_apps').selectAll().where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
    return row && toApp(row);
  }

  /** Reads the app and locks its row until the transaction ends. */
  async lockById(projectId: string, id: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('appservices_apps').selectAll().where('project_id', '=', projectId).where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toApp(row);
  }

  async findByName(projectId: string, name: string): Promise<AppRecord | undefined> {
    const row = await this.db
      .selectFrom('appservices_apps')
      .selectAll()
      .where('project_id', '=', projectId)
      .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
      .executeTakeFirst();
    return row && toApp(row);
  }

  /** The app whose public App ID is `clientAppId` (any project). */
  async findByClientAppId(clientAppId: string): Promise<AppRecord | undefined> {
    const row = await this.db.selectFrom('appservices_apps').selectAll().where('client_app_id', '=', clientAppId).executeTakeFirst();
    return row && toApp(row);
  }

  async listByProject(projectId: string): Promise<AppRecord[]> {
    const rows = await this.db.selectFrom('appservices_apps').selectAll().where('project_id', '=', projectId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toApp);
  }

  async insert(app: AppRecord): Promise<void> {
    await this.db
      .insertInto('appservices_apps')
      .values({
        id: app.id,
        project_id: app.projectId,
        name: app.name,
        client_app_id: app.clientAppId,
        deployment_model: app.deploymentModel,
        provider_region: app.providerRegion,
        location: app.location,
        environment: app.environment,
        product: app.product,
        allow_non_vpc_client_requests: app.allowNonVpcClientRequests,
        data_source_id: app.dataSourceId,
        data_source: JSON.stringify(app.dataSource),
        created_at: app.createdAt,
        updated_at: app.updatedAt,
      })
      .execute();
  }

  async update(
    id: string,
    changes: { deploymentModel?: DeploymentModel; providerRegion?: string; location?: string; allowNonVpcClientRequests?: boolean; dataSource?: AppDataSource },
    now: Date,
  ): Promise<void> {
    await this.db
      .updateTable('appservices_apps')
      .set({
        ...(changes.deploymentModel !== undefined ? { deployment_model: changes.deploymentModel } : {}),
        ...(changes.providerRegion !== undefined ? { provider_region: changes.providerRegion } : {}),
        ...(changes.location !== undefined ? { location: changes.location } : {}),
        ...(changes.allowNonVpcClientRequests !== undefined ? { allow_non_vpc_client_requests: changes.allowNonVpcClientRequests } : {}),
        ...(changes.dataSource !== undefined ? { data_source: JSON.stringify(changes.dataSource) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('appservices_apps').where('id', '=', id).execute();
  }

  /** Whether any app of the project is deployed LOCAL in `providerRegion`. */
  async regionInUse(projectId: string, providerRegion: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('appservices_apps')
      .select('id')
      .where('project_id', '=', projectId)
      .where('provider_region', '=', providerRegion)
      .where('deployment_model', '=', 'LOCAL')
      .executeTakeFirst();
    return row !== undefined;
  }

  // --- Admin API sessions (a refresh token names one)

  async insertSession(session: { id: string; apiKeyId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('appservices_sessions')
      .values({ id: session.id, api_key_id: session.apiKeyId, created_at: session.createdAt, expires_at: session.expiresAt })
      .execute();
  }

  /** The live session `id` of `apiKeyId` (undefined when deleted, expired or another key's). */
  async findSession(id: string, apiKeyId: string, now: Date): Promise<{ id: string; expiresAt: Date } | undefined> {
    const row = await this.db
      .selectFrom('appservices_sessions')
      .select(['id', 'expires_at'])
      .where('id', '=', id)
      .where('api_key_id', '=', apiKeyId)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row && { id: row.id, expiresAt: row.expires_at };
  }

  /** Deletes a session; true when it existed. Expired sessions are swept at the same time. */
  async deleteSession(id: string, now: Date): Promise<boolean> {
    await this.db.deleteFrom('appservices_sessions').where('expires_at', '<=', now).execute();
    const result = await this.db.deleteFrom('appservices_sessions').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

function toApp(row: AppRow): AppRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    clientAppId: row.client_app_id,
    deploymentModel: row.deployment_model as DeploymentModel,
    providerRegion: row.provider_region,
    location: row.location,
    environment: row.environment as AppEnvironment | null,
    product: row.product as AppProduct,
    allowNonVpcClientRequests: row.allow_non_vpc_client_requests,
    dataSourceId: row.data_source_id,
    dataSource: (typeof row.data_source === 'string' ? JSON.parse(row.data_source) : row.data_source) as AppDataSource,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
