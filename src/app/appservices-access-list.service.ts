import { accessBlockOf, parseAccessEntry, type AppAccessEntry } from '../domain/appservices-access-list.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { findApp } from './appservices-apps.service.js';

/**
 * `GET …/security/access_list` (any project role): the app's entries, oldest first. Every new app
 * has `0.0.0.0/0` (access from anywhere) until the user deletes it.
 */
export async function listAccessList(ctx: AppContext, principal: Principal, projectId: string, appId: string): Promise<AppAccessEntry[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const app = await findApp(repos, projectId, appId);
  return repos.appServicesAccessList.listByApp(app.id);
}

/** `POST …/security/access_list` (Project Owner) → 201 with the entry; the same block twice → 409. */
export async function createAccessEntry(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  appId: string,
  body: unknown,
  currentIp: string | undefined,
): Promise<AppAccessEntry> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const input = parseAccessEntry(body, currentIp);
  const now = ctx.now();
  return inTransaction(ctx, async ({ repos }) => {
    const app = await findApp(repos, projectId, appId, { lock: true });
    await refuseDuplicate(repos, app.id, input.address, undefined);
    const entry: AppAccessEntry = { id: newObjectId(now), projectId, appId: app.id, address: input.address, comment: input.comment, createdAt: now };
    await repos.appServicesAccessList.insert(entry);
    return entry;
  });
}

/** `PATCH …/security/access_list/{ipId}` (Project Owner) → the entry with its new address and comment. */
export async function updateAccessEntry(
  ctx: AppContext,
  principal: Principal,
  projectId: string,
  appId: string,
  entryId: string,
  body: unknown,
  currentIp: string | undefined,
): Promise<AppAccessEntry> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const input = parseAccessEntry(body, currentIp);
  return inTransaction(ctx, async ({ repos }) => {
    const app = await findApp(repos, projectId, appId, { lock: true });
    const current = await findEntry(repos, app.id, entryId);
    await refuseDuplicate(repos, app.id, input.address, current.id);
    await repos.appServicesAccessList.update(current.id, input);
    return { ...current, ...input };
  });
}

/** `DELETE …/security/access_list/{ipId}` (Project Owner) → 204. Deleting `0.0.0.0/0` and every other entry leaves the app reachable by nobody from outside its private endpoints. */
export async function deleteAccessEntry(ctx: AppContext, principal: Principal, projectId: string, appId: string, entryId: string): Promise<void> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  await inTransaction(ctx, async ({ repos }) => {
    const app = await findApp(repos, projectId, appId, { lock: true });
    const entry = await findEntry(repos, app.id, entryId);
    await repos.appServicesAccessList.delete(entry.id);
  });
}

async function findEntry(repos: Repositories, appId: string, entryId: string): Promise<AppAccessEntry> {
  const entry = await repos.appServicesAccessList.find(appId, entryId);
  if (!entry) throw apiError('APP_ALLOWED_IP_NOT_FOUND', entryId);
  return entry;
}

async function refuseDuplicate(repos: Repositories, appId: string, address: string, except: string | undefined): Promise<void> {
  const block = accessBlockOf(address);
  const same = (await repos.appServicesAccessList.listByApp(appId)).find((e) => e.id !== except && accessBlockOf(e.address) === block);
  if (same) throw apiError('APP_ALLOWED_IP_EXISTS', address, same.id);
}
