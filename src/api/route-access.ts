import { requireOrg, requireProject, requireProjectCreator, requireProjectKeyAdmin, requireProjectOrgOwner } from '../app/access.js';
import { reader, type AppContext } from '../app/app-context.js';
import type { Principal } from '../domain/identity.js';
import type { OrgAccess, ProjectAccess } from '../domain/roles.js';

/**
 * What a route that takes a body needs from its caller, checked by the registrar after
 * authentication and before the body is parsed (the use case checks again in its transaction).
 * Each check is the use case's own, from `app/access.ts`.
 */
export type RouteAccess = (ctx: AppContext, principal: Principal, params: Readonly<Record<string, string>>) => Promise<void>;

/** A project role in `:groupId` (see `requireProject`). */
export function projectAccess(access: ProjectAccess): RouteAccess {
  return async (ctx, principal, params) => {
    await requireProject(reader(ctx), principal, params.groupId!, access);
  };
}

/** An organization role in `:orgId` (see `requireOrg`). */
export function orgAccess(access: OrgAccess): RouteAccess {
  return async (ctx, principal, params) => {
    await requireOrg(reader(ctx), principal, params.orgId!, access);
  };
}

/** Managing `:groupId`'s API keys: Project Owner, or Organization Owner of its organization. */
export const projectKeyAdmin: RouteAccess = async (ctx, principal, params) => {
  await requireProjectKeyAdmin(reader(ctx), principal, params.groupId!);
};

/** Organization Owner of `:groupId`'s organization. */
export const projectOrgOwner: RouteAccess = async (ctx, principal, params) => {
  await requireProjectOrgOwner(reader(ctx), principal, params.groupId!);
};

/** Creating projects in the caller's organization. */
export const projectCreator: RouteAccess = async (_ctx, principal) => {
  requireProjectCreator(principal);
};
