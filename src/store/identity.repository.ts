import { isOrgRole, isProjectRole, type OrgRole, type ProjectRole } from '../domain/roles.js';
import type { ApiKey, Organization, Principal, Project } from '../domain/identity.js';
import type { Executor } from './database.js';
import type { Updateable } from 'kysely';
import type { OrganizationsTable, ProjectsTable } from './schema.js';
import { thousands } from './id-batches.js';

/**
 * Organizations, projects, API keys and role assignments. Thin queries; `undefined` for a
 * missing row. Works on the database or inside a transaction.
 */
export class IdentityRepository {
  constructor(private readonly db: Executor) {}

  async findOrganization(id: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOrganization(row);
  }

  async listOrganizations(ids: readonly string[]): Promise<Organization[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('organizations').selectAll().where('id', 'in', ids).orderBy('created_at').orderBy('id').execute();
    return rows.map(toOrganization);
  }

  /** Every organization's id, oldest first. */
  async listAllOrganizationIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('organizations').select('id').orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => row.id);
  }

  async countOrganizations(): Promise<number> {
    const row = await this.db
      .selectFrom('organizations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertOrganization(org: Organization): Promise<void> {
    await this.db.insertInto('organizations').values({ id: org.id, name: org.name, payment_on_file: org.paymentOnFile, created_at: org.createdAt }).execute();
  }

  async updateOrganization(id: string, changes: { name?: string; paymentOnFile?: boolean }): Promise<void> {
    const values: Updateable<OrganizationsTable> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.paymentOnFile !== undefined) values.payment_on_file = changes.paymentOnFile;
    if (Object.keys(values).length > 0) await this.db.updateTable('organizations').set(values).where('id', '=', id).execute();
  }

  async findProject(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toProject(row);
  }

  /** Reads the project and locks its row until the transaction ends (serialises per-project rule checks). */
  async lockProject(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    return row && toProject(row);
  }

  async findProjectByName(orgIds: readonly string[], name: string): Promise<Project | undefined> {
    if (orgIds.length === 0) return undefined;
    const row = await this.db.selectFrom('projects').selectAll().where('org_id', 'in', orgIds).where('name', '=', name).executeTakeFirst();
    return row && toProject(row);
  }

  async listProjects(filter: { orgIds?: readonly string[]; projectIds?: readonly string[] }): Promise<Project[]> {
    const orgIds = filter.orgIds ?? [];
    const projectIds = filter.projectIds ?? [];
    if (orgIds.length === 0 && projectIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('projects')
      .selectAll()
      .where((eb) => {
        const ors = [];
        if (orgIds.length > 0) ors.push(eb('org_id', 'in', orgIds));
        if (projectIds.length > 0) ors.push(eb('id', 'in', projectIds));
        return eb.or(ors);
      })
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toProject);
  }

  /** The projects of these ids that exist, by id (read a thousand ids per statement). */
  async findProjects(ids: readonly string[]): Promise<Map<string, Project>> {
    const out = new Map<string, Project>();
    for (const batch of thousands(ids)) {
      const rows = await this.db.selectFrom('projects').selectAll().where('id', 'in', batch).execute();
      for (const row of rows) out.set(row.id, toProject(row));
    }
    return out;
  }

  async findProjectByHostSuffix(suffix: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('host_suffix', '=', suffix).executeTakeFirst();
    return row && toProject(row);
  }

  async hostSuffixTaken(suffix: string): Promise<boolean> {
    const row = await this.db.selectFrom('projects').select('id').where('host_suffix', '=', suffix).executeTakeFirst();
    return row !== undefined;
  }

  async insertProject(project: Project): Promise<void> {
    await this.db
      .insertInto('projects')
      .values({
        id: project.id,
        org_id: project.orgId,
        name: project.name,
        host_suffix: project.hostSuffix,
        regionalized_private_endpoints: project.regionalizedPrivateEndpoints,
        nodes_per_private_link_region: project.nodesPerPrivateLinkRegion,
        nodes_per_private_link_region_raised: project.nodesPerPrivateLinkRegionRaised,
        created_at: project.createdAt,
      })
      .execute();
  }

  async updateProject(
    id: string,
    changes: { name?: string; regionalizedPrivateEndpoints?: boolean; nodesPerPrivateLinkRegion?: number; nodesPerPrivateLinkRegionRaised?: boolean },
  ): Promise<void> {
    const values: Updateable<ProjectsTable> = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.regionalizedPrivateEndpoints !== undefined) values.regionalized_private_endpoints = changes.regionalizedPrivateEndpoints;
    if (changes.nodesPerPrivateLinkRegion !== undefined) values.nodes_per_private_link_region = changes.nodesPerPrivateLinkRegion;
    if (changes.nodesPerPrivateLinkRegionRaised !== undefined) values.nodes_per_private_link_region_raised = changes.nodesPerPrivateLinkRegionRaised;
    if (Object.keys(values).length > 0) await this.db.updateTable('projects').set(values).where('id', '=', id).execute();
  }

  async deleteProject(id: string): Promise<void> {
    await this.db.deleteFrom('api_key_project_roles').where('project_id', '=', id).execute();
    await this.db.deleteFrom('projects').where('id', '=', id).execute();
  }

  async insertApiKey(key: { id: string; orgId: string; publicKey: string; ha1Md5: string; ha1Sha256: string; description: string; createdAt: Date }): Promise<void> {
    await this.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        org_id: key.orgId,
        public_key: key.publicKey,
        ha1_md5: key.ha1Md5,
        ha1_sha256: key.ha1Sha256,
        description: key.description,
        created_at: key.createdAt,
      })
      .execute();
  }

  async publicKeyTaken(publicKey: string): Promise<boolean> {
    return (await this.db.selectFrom('api_keys').select('id').where('public_key', '=', publicKey).executeTakeFirst()) !== undefined;
  }

  async updateApiKeyDescription(id: string, description: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ description }).where('id', '=', id).execute();
  }

  async deleteApiKey(id: string): Promise<void> {
    await this.db.deleteFrom('api_keys').where('id', '=', id).execute();
  }

  /** The digest secrets of a key, by its public key (the Digest `username`). */
  async findDigestSecrets(publicKey: string): Promise<{ apiKeyId: string; ha1Md5: string; ha1Sha256: string } | undefined> {
    const row = await this.db.selectFrom('api_keys').select(['id', 'ha1_md5', 'ha1_sha256']).where('public_key', '=', publicKey).executeTakeFirst();
    return row && { apiKeyId: row.id, ha1Md5: row.ha1_md5, ha1Sha256: row.ha1_sha256 };
  }

  async findApiKey(id: string): Promise<ApiKey | undefined> {
    const row = await this.db.selectFrom('api_keys').select(['id', 'org_id', 'public_key', 'description']).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return (await this.withRoles([row]))[0];
  }

  async listApiKeys(orgId: string): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['id', 'org_id', 'public_key', 'description'])
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return this.withRoles(rows);
  }

  /** Keys with at least one role in the project. */
  async listProjectApiKeys(projectId: string): Promise<ApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select(['api_keys.id', 'api_keys.org_id', 'api_keys.public_key', 'api_keys.description'])
      .where('api_keys.id', 'in', (eb) => eb.selectFrom('api_key_project_roles').select('api_key_id').where('project_id', '=', projectId))
      .orderBy('api_keys.created_at')
      .orderBy('api_keys.id')
      .execute();
    return this.withRoles(rows);
  }

  async setOrgRoles(apiKeyId: string, roles: readonly OrgRole[]): Promise<void> {
    await this.db.deleteFrom('api_key_org_roles').where('api_key_id', '=', apiKeyId).execute();
    if (roles.length > 0) {
      await this.db
        .insertInto('api_key_org_roles')
        .values(roles.map((role) => ({ api_key_id: apiKeyId, role })))
        .execute();
    }
  }

  async setProjectRoles(apiKeyId: string, projectId: string, roles: readonly ProjectRole[]): Promise<void> {
    await this.db.deleteFrom('api_key_project_roles').where('api_key_id', '=', apiKeyId).where('project_id', '=', projectId).execute();
    if (roles.length > 0) {
      await this.db
        .insertInto('api_key_project_roles')
        .values(roles.map((role) => ({ api_key_id: apiKeyId, project_id: projectId, role })))
        .execute();
    }
  }

  async countOrgOwners(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('api_key_org_roles')
      .innerJoin('api_keys', 'api_keys.id', 'api_key_org_roles.api_key_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('api_keys.org_id', '=', orgId)
      .where('api_key_org_roles.role', '=', 'ORG_OWNER')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The principal for an authenticated key: its organization roles and every project role. */
  async loadPrincipal(apiKeyId: string): Promise<Principal | undefined> {
    const key = await this.findApiKey(apiKeyId);
    if (!key) return undefined;
    const projectRoles = new Map<string, ProjectRole[]>();
    for (const { projectId, role } of key.projectRoles) {
      const list = projectRoles.get(projectId) ?? [];
      list.push(role);
      projectRoles.set(projectId, list);
    }
    return { kind: 'apiKey', id: key.id, name: key.publicKey, orgId: key.orgId, orgRoles: key.orgRoles, projectRoles };
  }

  private async withRoles(rows: ReadonlyArray<{ id: string; org_id: string; public_key: string; description: string }>): Promise<ApiKey[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const orgRoles = await this.db.selectFrom('api_key_org_roles').selectAll().where('api_key_id', 'in', ids).orderBy('role').execute();
    const projectRoles = await this.db.selectFrom('api_key_project_roles').selectAll().where('api_key_id', 'in', ids).orderBy('project_id').orderBy('role').execute();
    return rows.map((row) => ({
      id: row.id,
      orgId: row.org_id,
      publicKey: row.public_key,
      description: row.description,
      orgRoles: orgRoles
        .filter((r) => r.api_key_id === row.id)
        .map((r) => r.role)
        .filter(isOrgRole),
      projectRoles: projectRoles.filter((r) => r.api_key_id === row.id && isProjectRole(r.role)).map((r) => ({ projectId: r.project_id, role: r.role as ProjectRole })),
    }));
  }
}

function toOrganization(row: { id: string; name: string; payment_on_file: boolean; created_at: Date }): Organization {
  return { id: row.id, name: row.name, paymentOnFile: row.payment_on_file, createdAt: row.created_at };
}

function toProject(row: {
  id: string;
  org_id: string;
  name: string;
  host_suffix: string;
  regionalized_private_endpoints: boolean;
  nodes_per_private_link_region: number;
  nodes_per_private_link_region_raised: boolean;
  created_at: Date;
}): Project {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    hostSuffix: row.host_suffix,
    regionalizedPrivateEndpoints: row.regionalized_private_endpoints,
    nodesPerPrivateLinkRegion: row.nodes_per_private_link_region,
    nodesPerPrivateLinkRegionRaised: row.nodes_per_private_link_region_raised,
    createdAt: row.created_at,
  };
}
