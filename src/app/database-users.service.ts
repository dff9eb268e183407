import {
  applyDatabaseUserChanges,
  MAX_DATABASE_USERS_PER_PROJECT,
  parseDatabaseUserCreate,
  parseDatabaseUserUpdate,
  type DatabaseUserRecord,
  type DatabaseUserScope,
} from '../domain/database-user.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { scramCredentials } from '../domain/scram.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { recordEvent } from './events.js';

/**
 * Creates a database user (Project Owner): `POST /groups/{groupId}/databaseUsers`. The password
 * becomes SCRAM-SHA-1 and SCRAM-SHA-256 credentials before anything is stored; it is never stored
 * nor returned. 409 USER_ALREADY_EXISTS for a username the project has; CLUSTER scopes must name a
 * cluster or serverless instance of the project (DATABASE_USER_SCOPE_NOT_FOUND).
 */
export async function createDatabaseUser(ctx: AppContext, principal: Principal, projectId: string, body: unknown): Promise<DatabaseUserRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  const now = ctx.now();
  const input = parseDatabaseUserCreate(body, projectId, now);
  // PBKDF2 outside the transaction: it takes tens of milliseconds and needs no lock.
  const credentials = scramCredentials(input.username, input.password);
  return inTransaction(ctx, async ({ repos }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    await repos.databaseUsers.deleteExpired(projectId, now);
    if (await repos.databaseUsers.find(projectId, 'admin', input.username, now)) throw apiError('USER_ALREADY_EXISTS');
    if ((await repos.databaseUsers.countByProject(projectId, now)) >= MAX_DATABASE_USERS_PER_PROJECT) {
      throw apiError('DATABASE_USER_LIMIT_EXCEEDED', projectId, MAX_DATABASE_USERS_PER_PROJECT);
    }
    await checkScopes(repos, projectId, input.spec.scopes);
    const user: DatabaseUserRecord = {
      id: newObjectId(now),
      projectId,
      databaseName: 'admin',
      username: input.username,
      spec: input.spec,
      credentials,
      createdAt: now,
      updatedAt: now,
    };
    await repos.databaseUsers.insert(user);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'MONGODB_USER_ADDED', targetId: user.id, payload: { username: user.username } }, now);
    return user;
  });
}

/** The project's database users, oldest first (Project Read Only). */
export async function listDatabaseUsers(ctx: AppContext, principal: Principal, projectId: string): Promise<DatabaseUserRecord[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return repos.databaseUsers.listByProject(projectId, ctx.now());
}

/** One database user, or 404 USERNAME_NOT_FOUND (Project Read Only). */
export async function getDatabaseUser(ctx: AppContext, principal: Principal, projectId: string, databaseName: string, username: string): Promise<DatabaseUserRecord> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return findUser(repos, projectId, databaseName, username, ctx.now());
}

/**
 * Changes a database user (Project Owner): password (new credentials, new salts), roles, scopes,
 * labels, description, deleteAfterDate. Connections already authenticated keep their session, as
 * on MongoDB; new connections use the new credentials at once.
 */
export async function updateDatabaseUser(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  databaseName: string,
  username: string,
  body: unknown,
): Promise<DatabaseUserRecord> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const now = ctx.now();
  const changes = parseDatabaseUserUpdate(body, { username, projectId }, now);
  const credentials = changes.password !== undefined ? scramCredentials(username, changes.password) : undefined;
  return inTransaction(ctx, async ({ repos }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const user = await findUser(repos, projectId, databaseName, username, now);
    if (changes.scopes) await checkScopes(repos, projectId, changes.scopes);
    const spec = applyDatabaseUserChanges(user.spec, changes);
    await repos.databaseUsers.update(user.id, { spec, ...(credentials ? { credentials } : {}) }, now);
    await recordEvent(
      repos,
      { orgId: project.orgId, projectId, type: 'MONGODB_USER_UPDATED', targetId: user.id, payload: { username, passwordChanged: credentials !== undefined } },
      now,
    );
    return { ...user, spec, ...(credentials ? { credentials } : {}), updatedAt: now };
  });
}

/** Removes a database user (Project Owner); 404 USERNAME_NOT_FOUND when there is none. */
export async function deleteDatabaseUser(ctx: AppContext, principal: Principal, projectId: string, databaseName: string, username: string): Promise<void> {
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos }) => {
    const project = await requireProject(repos, principal, projectId, 'write', { lock: true });
    const user = await findUser(repos, projectId, databaseName, username, now);
    await repos.databaseUsers.delete(user.id);
    await recordEvent(repos, { orgId: project.orgId, projectId, type: 'MONGODB_USER_DELETED', targetId: user.id, payload: { username } }, now);
  });
}

async function findUser(repos: Repositories, projectId: string, databaseName: string, username: string, now: Date): Promise<DatabaseUserRecord> {
  const user = databaseName === 'admin' ? await repos.databaseUsers.find(projectId, databaseName, username, now) : undefined;
  if (!user) throw apiError('USERNAME_NOT_FOUND', username);
  return user;
}

/** Every CLUSTER scope names a cluster or serverless instance of the project; privlink has no data lakes or stream workspaces. */
async function checkScopes(repos: Repositories, projectId: string, scopes: readonly DatabaseUserScope[]): Promise<void> {
  for (const scope of scopes) {
    const found = scope.type === 'CLUSTER' && ((await repos.clusters.findByName(projectId, scope.name)) || (await repos.serverlessInstances.findByName(projectId, scope.name)));
    if (!found) throw apiError('DATABASE_USER_SCOPE_NOT_FOUND', scope.name, scope.type, projectId);
  }
}
