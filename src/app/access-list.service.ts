import { entryKeyOf, parseAccessListCreate, type AccessListEntry } from '../domain/access-list.js';
import { apiError } from '../domain/errors.js';
import type { Principal } from '../domain/identity.js';
import type { Repositories } from '../store/repositories.js';
import { requireProject } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';

/** Called after every change to a project's access list (the public gateway drops its cache). */
export type AccessListChanged = (projectId: string) => void;
const listeners = new Set<AccessListChanged>();

/** Subscribes to access-list changes made by this process; returns the unsubscribe. */
export function onAccessListChanged(listener: AccessListChanged): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(projectId: string): void {
  for (const listener of listeners) listener(projectId);
}

/**
 * Adds entries to the project's IP access list (Project Owner): `POST /groups/{groupId}/accessList`
 * with an array of `{cidrBlock | ipAddress | awsSecurityGroup, comment?, deleteAfterDate?}`. An
 * entry that already exists takes the new comment and expiry (Atlas answers the same way). Returns
 * the whole list afterwards, as Atlas does.
 */
export async function addAccessListEntries(ctx: AppContext, principal: Principal, projectId: string, body: unknown): Promise<AccessListEntry[]> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  const now = ctx.now();
  const inputs = parseAccessListCreate(body, now);
  const list = await inTransaction(ctx, async ({ repos }) => {
    await requireProject(repos, principal, projectId, 'write', { lock: true });
    for (const input of inputs) await repos.accessList.upsert({ ...input, projectId, createdAt: now });
    return live(repos, projectId, now);
  });
  changed(projectId);
  return list;
}

/** The project's live entries, oldest first (Project Read Only). Expired entries are gone. */
export async function listAccessListEntries(ctx: AppContext, principal: Principal, projectId: string): Promise<AccessListEntry[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return live(repos, projectId, ctx.now());
}

/** One entry by its `{entryValue}` (address, CIDR block or security group), or 404. */
export async function getAccessListEntry(ctx: AppContext, principal: Principal, projectId: string, entryValue: string): Promise<AccessListEntry> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  const key = entryKeyOf(entryValue);
  if (!key) throw apiError('INVALID_IP_ADDRESS_OR_CIDR_NOTATION', entryValue);
  const entry = (await live(repos, projectId, ctx.now())).find((e) => e.entryKey === key);
  if (!entry) throw apiError('ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND', entryValue, projectId);
  return entry;
}

/** Removes one entry (Project Owner); 404 when the project has none by that value. */
export async function deleteAccessListEntry(ctx: AppContext, principal: Principal, projectId: string, entryValue: string): Promise<void> {
  await requireProject(reader(ctx), principal, projectId, 'write');
  const key = entryKeyOf(entryValue);
  if (!key) throw apiError('INVALID_IP_ADDRESS_OR_CIDR_NOTATION', entryValue);
  const now = ctx.now();
  await inTransaction(ctx, async ({ repos }) => {
    await requireProject(repos, principal, projectId, 'write', { lock: true });
    const entry = await repos.accessList.find(projectId, key);
    if (!entry || expired(entry, now)) throw apiError('ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND', entryValue, projectId);
    await repos.accessList.delete(projectId, key);
  });
  changed(projectId);
}

/** Deletes every entry whose `deleteAfterDate` has passed (the expiry sweep); returns the projects touched. */
export async function expireAccessListEntries(ctx: AppContext): Promise<string[]> {
  const projects = await inTransaction(ctx, ({ repos }) => repos.accessList.deleteExpired(ctx.now()));
  for (const projectId of projects) changed(projectId);
  return projects;
}

async function live(repos: Repositories, projectId: string, now: Date): Promise<AccessListEntry[]> {
  return (await repos.accessList.listByProject(projectId)).filter((entry) => !expired(entry, now));
}

function expired(entry: AccessListEntry, now: Date): boolean {
  return entry.deleteAfterDate !== null && entry.deleteAfterDate.getTime() <= now.getTime();
}
