import { apiError } from '../domain/errors.js';
import type { Organization, Principal, Project } from '../domain/identity.js';
import {
  firstUngrantable,
  orgRolesAllow,
  projectRolesAllow,
  requiredProjectRole,
  type OrgAccess,
  type OrgRole,
  type ProjectAccess,
  type ProjectRole,
  type Role,
} from '../domain/roles.js';
import type { Repositories } from '../store/repositories.js';

/**
 * Access checks shared by all use cases. A project the caller cannot see at all (another
 * organization, no role) is reported as missing (404 GROUP_NOT_FOUND) so ids do not leak; an
 * Organization Owner of the project's organization without a project role gets 403 NOT_IN_GROUP
 * telling it to add itself as Project Owner (as Atlas does); any other caller of the same organization
 * without the needed role gets 403 USER_UNAUTHORIZED.
 */
export async function requireProject(repos: Repositories, principal: Principal, projectId: string, access: ProjectAccess, options: { lock?: boolean } = {}): Promise<Project> {
  const project = options.lock ? await repos.identity.lockProject(projectId) : await repos.identity.findProject(projectId);
  if (!project) throw apiError('GROUP_NOT_FOUND', projectId);
  checkProject(principal, project, access);
  return project;
}

/** The pure part of `requireProject`, for a project already loaded. */
export function checkProject(principal: Principal, project: Project, access: ProjectAccess): void {
  const roles = principal.projectRoles.get(project.id) ?? [];
  if (projectRolesAllow(roles, access)) return;
  if (roles.length === 0 && principal.orgId !== project.orgId) throw apiError('GROUP_NOT_FOUND', project.id);
  if (roles.length === 0 && principal.orgRoles.includes('ORG_OWNER')) {
    if (principal.kind === 'consoleUser') throw apiError('CONSOLE_USER_NOT_IN_GROUP', project.orgId, project.id);
    throw apiError('NOT_IN_GROUP', project.orgId, project.id, project.id, principal.id);
  }
  throw apiError('USER_UNAUTHORIZED', requiredProjectRole(access));
}

/** True when the caller may see the project document itself (a project role, or an org role that sees every project of its org). */
export function canSeeProject(principal: Principal, project: Project): boolean {
  return (
    (principal.projectRoles.get(project.id) ?? []).length > 0 || (principal.orgId === project.orgId && principal.orgRoles.some((role) => ORG_ROLES_SEEING_EVERY_PROJECT.has(role)))
  );
}

/**
 * Organization roles that see every project of the organization. Atlas: an Organization Member
 * has "read-only access to … the projects they belong to"; Organization Read Only has "read-only
 * access to everything in the organization, including all projects"; the Organization Owner has
 * root access. Project Creator and Billing Admin add to Organization Member.
 */
const ORG_ROLES_SEEING_EVERY_PROJECT: ReadonlySet<string> = new Set(['ORG_OWNER', 'ORG_READ_ONLY']);

/** Requires an organization role in `orgId`; another organization looks missing. */
export async function requireOrg(repos: Repositories, principal: Principal, orgId: string, access: OrgAccess): Promise<Organization> {
  const org = await repos.identity.findOrganization(orgId);
  if (!org || principal.orgId !== orgId) throw apiError('ORG_NOT_FOUND', orgId);
  if (!orgRolesAllow(principal.orgRoles, access)) throw apiError('USER_UNAUTHORIZED', access === 'read' ? 'ORG_READ_ONLY' : 'ORG_OWNER');
  return org;
}

/** True when the caller is an Organization Owner of the project's organization. */
function isOrgOwnerOf(principal: Principal, project: Project): boolean {
  return principal.orgId === project.orgId && principal.orgRoles.includes('ORG_OWNER');
}

/**
 * Requires the right to manage the project's API keys: Project Owner, or Organization Owner of its
 * organization (how an Organization Owner adds itself as Project Owner in Atlas).
 */
export async function requireProjectKeyAdmin(repos: Repositories, principal: Principal, projectId: string): Promise<Project> {
  const project = await repos.identity.findProject(projectId);
  if (!project) throw apiError('GROUP_NOT_FOUND', projectId);
  if (!isOrgOwnerOf(principal, project)) checkProject(principal, project, 'write');
  return project;
}

/** Requires Organization Owner of the project's organization; others see 404/403 as for a project read. */
export async function requireProjectOrgOwner(repos: Repositories, principal: Principal, projectId: string, options: { lock?: boolean } = {}): Promise<Project> {
  const project = options.lock ? await repos.identity.lockProject(projectId) : await repos.identity.findProject(projectId);
  if (!project) throw apiError('GROUP_NOT_FOUND', projectId);
  if (isOrgOwnerOf(principal, project)) return project;
  checkProject(principal, project, 'read');
  throw apiError('USER_UNAUTHORIZED', 'ORG_OWNER');
}

/** Requires the right to create projects in the caller's organization (ORG_OWNER or ORG_GROUP_CREATOR). */
export function requireProjectCreator(principal: Principal): void {
  if (!principal.orgRoles.includes('ORG_OWNER') && !principal.orgRoles.includes('ORG_GROUP_CREATOR')) {
    throw apiError('USER_UNAUTHORIZED', 'ORG_GROUP_CREATOR');
  }
}

/** 403 USER_UNAUTHORIZED naming the first organization role the caller does not hold itself. */
export function requireGrantableOrgRoles(principal: Principal, roles: readonly OrgRole[]): void {
  const missing = firstUngrantable(principal.orgRoles, roles);
  if (missing !== undefined) throw apiError('USER_UNAUTHORIZED', missing);
}

/**
 * 403 USER_UNAUTHORIZED naming the first project role the caller does not hold in `project`. An
 * Organization Owner of the project's organization holds every project role there (it may make
 * itself Project Owner at any time).
 */
export function requireGrantableProjectRoles(principal: Principal, project: Project, roles: readonly ProjectRole[]): void {
  const held: Role[] = [...(principal.projectRoles.get(project.id) ?? [])];
  if (isOrgOwnerOf(principal, project)) held.push('GROUP_OWNER');
  const missing = firstUngrantable(held, roles);
  if (missing !== undefined) throw apiError('USER_UNAUTHORIZED', missing);
}
