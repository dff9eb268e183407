import type { ConsoleUser, Principal } from '../domain/identity.js';
import { isOrgRole, isProjectRole, type OrgRole, type ProjectRole } from '../domain/roles.js';
import type { Executor } from './database.js';

/** What sign-in needs of a console user: its id and password hash. */
export interface ConsoleUserSecret {
  readonly id: string;
  readonly passwordHash: string;
}

/**
 * Console users and their organization and project roles (migration 0016). Thin queries;
 * `undefined` for a missing row. Emails are passed in their stored form (lower case). Works on the
 * database or inside a transaction.
 */
export class ConsoleUsersRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts the user; false (and nothing inserted) when the email already has a user, even one inserted concurrently. */
  async insert(user: { id: string; orgId: string; email: string; passwordHash: string; createdAt: Date }): Promise<boolean> {
    const row = await this.db
      .insertInto('console_users')
      .values({ id: user.id, org_id: user.orgId, email: user.email, password_hash: user.passwordHash, created_at: user.createdAt })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The id and password hash of the user with this (lower-case) email. */
  async findSecret(email: string): Promise<ConsoleUserSecret | undefined> {
    const row = await this.db.selectFrom('console_users').select(['id', 'password_hash']).where('email', '=', email).executeTakeFirst();
    return row && { id: row.id, passwordHash: row.password_hash };
  }

  async find(id: string): Promise<ConsoleUser | undefined> {
    const row = await this.db.selectFrom('console_users').select(['id', 'org_id', 'email', 'created_at']).where('id', '=', id).executeTakeFirst();
    return row && (await this.withRoles([row]))[0];
  }

  /** The organization's users, oldest first. */
  async list(orgId: string): Promise<ConsoleUser[]> {
    const rows = await this.db
      .selectFrom('console_users')
      .select(['id', 'org_id', 'email', 'created_at'])
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return this.withRoles(rows);
  }

  /** Deletes the user; its roles and console sessions go with it. */
  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('console_users').where('id', '=', id).execute();
  }

  async setOrgRoles(userId: string, roles: readonly OrgRole[]): Promise<void> {
    await this.db.deleteFrom('console_user_org_roles').where('console_user_id', '=', userId).execute();
    if (roles.length > 0) {
      await this.db
        .insertInto('console_user_org_roles')
        .values(roles.map((role) => ({ console_user_id: userId, role })))
        .execute();
    }
  }

  async setProjectRoles(userId: string, projectId: string, roles: readonly ProjectRole[]): Promise<void> {
    await this.db.deleteFrom('console_user_project_roles').where('console_user_id', '=', userId).where('project_id', '=', projectId).execute();
    if (roles.length > 0) {
      await this.db
        .insertInto('console_user_project_roles')
        .values(roles.map((role) => ({ console_user_id: userId, project_id: projectId, role })))
        .execute();
    }
  }

  /** The principal a signed-in user acts as: its organization roles and every project role. */
  async loadPrincipal(id: string): Promise<Principal | undefined> {
    const user = await this.find(id);
    if (!user) return undefined;
    const projectRoles = new Map<string, ProjectRole[]>();
    for (const { projectId, role } of user.projectRoles) projectRoles.set(projectId, [...(projectRoles.get(projectId) ?? []), role]);
    return { kind: 'consoleUser', id: user.id, name: user.email, orgId: user.orgId, orgRoles: user.orgRoles, projectRoles };
  }

  private async withRoles(rows: ReadonlyArray<{ id: string; org_id: string; email: string; created_at: Date }>): Promise<ConsoleUser[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const orgRoles = await this.db.selectFrom('console_user_org_roles').selectAll().where('console_user_id', 'in', ids).orderBy('role').execute();
    const projectRoles = await this.db.selectFrom('console_user_project_roles').selectAll().where('console_user_id', 'in', ids).orderBy('project_id').orderBy('role').execute();
    return rows.map((row) => ({
      id: row.id,
      orgId: row.org_id,
      email: row.email,
      createdAt: new Date(row.created_at),
      orgRoles: orgRoles
        .filter((r) => r.console_user_id === row.id)
        .map((r) => r.role)
        .filter(isOrgRole),
      projectRoles: projectRoles.flatMap((r) => (r.console_user_id === row.id && isProjectRole(r.role) ? [{ projectId: r.project_id, role: r.role }] : [])),
    }));
  }
}
