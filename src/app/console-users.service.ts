import { normalizeEmail, passwordProblem } from '../domain/console-user.js';
import { ApiError, apiError } from '../domain/errors.js';
import type { ConsoleUser, Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { isOrgRole, isProjectRole, type OrgRole, type ProjectRole } from '../domain/roles.js';
import type { Repositories } from '../store/repositories.js';
import { requireGrantableOrgRoles, requireGrantableProjectRoles, requireOrg } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';
import { hashPassword } from './password-hash.js';

/** A new console user as asked for: the email, the password (never stored) and its roles. */
export interface ConsoleUserInput {
  readonly email: string;
  readonly password: string;
  readonly orgRoles: readonly OrgRole[];
  readonly projectRoles: ReadonlyArray<{ readonly projectId: string; readonly role: ProjectRole }>;
}

/**
 * Reads a create request: `username` (the email), `password` and `roles`, Atlas's role list of a
 * MongoDB Cloud user (`[{orgId, roleName}]` and `[{groupId, roleName}]`). At least one organization
 * role; 400 naming the attribute otherwise. Organization roles must name `orgId` (the one of the
 * route), which may also be left out.
 */
export function parseConsoleUserInput(body: unknown, orgId: string): ConsoleUserInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw apiError('INVALID_JSON');
  const { username, password, roles } = body as Record<string, unknown>;
  if (username === undefined || username === null) throw apiError('MISSING_ATTRIBUTE', 'username');
  const email = normalizeEmail(username);
  if (email === undefined) throw apiError('INVALID_ATTRIBUTE', 'username');
  if (password === undefined || password === null) throw apiError('MISSING_ATTRIBUTE', 'password');
  if (typeof password !== 'string') throw apiError('INVALID_ATTRIBUTE', 'password');
  const problem = passwordProblem(password);
  if (problem) throw apiError('CONSOLE_USER_INVALID_PASSWORD', problem);
  if (roles === undefined || roles === null) throw apiError('MISSING_ATTRIBUTE', 'roles');
  if (!Array.isArray(roles) || roles.length === 0) throw apiError('INVALID_ATTRIBUTE', 'roles');
  const orgRoles: OrgRole[] = [];
  const projectRoles: Array<{ projectId: string; role: ProjectRole }> = [];
  for (const entry of roles as unknown[]) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw apiError('INVALID_ATTRIBUTE', 'roles');
    const { roleName, groupId, orgId: roleOrgId } = entry as Record<string, unknown>;
    if (groupId !== undefined) {
      if (typeof groupId !== 'string' || !/^[0-9a-f]{24}$/.test(groupId)) throw apiError('INVALID_ATTRIBUTE', 'roles.groupId');
      if (!isProjectRole(roleName)) throw apiError('INVALID_ROLE', roleName, 'a project');
      if (!projectRoles.some((r) => r.projectId === groupId && r.role === roleName)) projectRoles.push({ projectId: groupId, role: roleName });
    } else {
      if (roleOrgId !== undefined && roleOrgId !== orgId) throw apiError('INVALID_ATTRIBUTE', 'roles.orgId');
      if (!isOrgRole(roleName)) throw apiError('INVALID_ROLE', roleName, 'an organization');
      if (!orgRoles.includes(roleName)) orgRoles.push(roleName);
    }
  }
  if (orgRoles.length === 0) throw apiError('MISSING_ATTRIBUTE', 'roles.orgId');
  return { email, password, orgRoles, projectRoles };
}

/**
 * Creates a console user of `orgId` (Organization Owner). No caller grants a role it does not
 * hold: organization roles as for API keys, project roles only in the organization's projects and
 * only those the caller holds there (an Organization Owner holds them all). 409
 * CONSOLE_USER_ALREADY_EXISTS when the email has a user (in any organization: sign-in finds a user
 * by email alone).
 */
export async function createConsoleUser(ctx: AppContext, principal: Principal, orgId: string, body: unknown): Promise<ConsoleUser> {
  await requireOrg(reader(ctx), principal, orgId, 'write'); // access before validation
  const input = parseConsoleUserInput(body, orgId);
  requireGrantableOrgRoles(principal, input.orgRoles);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async ({ repos }) => {
    await requireOrg(repos, principal, orgId, 'write');
    for (const projectId of new Set(input.projectRoles.map((r) => r.projectId))) {
      const project = await repos.identity.findProject(projectId);
      if (!project || project.orgId !== orgId) throw apiError('GROUP_NOT_FOUND', projectId);
      requireGrantableProjectRoles(
        principal,
        project,
        input.projectRoles.filter((r) => r.projectId === projectId).map((r) => r.role),
      );
    }
    return insertConsoleUser(repos, { orgId, email: input.email, passwordHash, orgRoles: input.orgRoles, projectRoles: input.projectRoles, now: ctx.now() });
  });
}

/**
 * Creates a console user on the machine that holds the store (`privlink users create`): no caller,
 * so no role checks. The organization is `orgId`, or the store's only one. Project roles must be in
 * that organization's projects.
 */
export async function createConsoleUserAsOperator(ctx: AppContext, orgId: string | undefined, input: ConsoleUserInput): Promise<ConsoleUser> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(ctx, async ({ repos }) => {
    const org = await resolveOrganization(repos, orgId);
    for (const { projectId } of input.projectRoles) {
      const project = await repos.identity.findProject(projectId);
      if (!project || project.orgId !== org) throw apiError('GROUP_NOT_FOUND', projectId);
    }
    return insertConsoleUser(repos, { orgId: org, email: input.email, passwordHash, orgRoles: input.orgRoles, projectRoles: input.projectRoles, now: ctx.now() });
  });
}

/** The console users of `orgId` (any organization role), oldest first; `orgId` undefined: the store's only organization (operator). */
export async function listConsoleUsers(ctx: AppContext, principal: Principal | null, orgId: string | undefined): Promise<ConsoleUser[]> {
  const repos = reader(ctx);
  if (principal === null) return repos.consoleUsers.list(await resolveOrganization(repos, orgId));
  if (orgId === undefined) throw apiError('MISSING_ATTRIBUTE', 'orgId');
  await requireOrg(repos, principal, orgId, 'read');
  return repos.consoleUsers.list(orgId);
}

/** Deletes a console user of `orgId` (Organization Owner); its console sessions end at once. */
export async function deleteConsoleUser(ctx: AppContext, principal: Principal, orgId: string, userId: string): Promise<void> {
  await inTransaction(ctx, async ({ repos }) => {
    await requireOrg(repos, principal, orgId, 'write');
    const user = await repos.consoleUsers.find(userId);
    if (!user || user.orgId !== orgId) throw apiError('CONSOLE_USER_NOT_FOUND', userId);
    await repos.consoleUsers.delete(userId);
  });
}

async function insertConsoleUser(
  repos: Repositories,
  input: { orgId: string; email: string; passwordHash: string; orgRoles: readonly OrgRole[]; projectRoles: ConsoleUserInput['projectRoles']; now: Date },
): Promise<ConsoleUser> {
  const id = newObjectId(input.now);
  const inserted = await repos.consoleUsers.insert({ id, orgId: input.orgId, email: input.email, passwordHash: input.passwordHash, createdAt: input.now });
  if (!inserted) throw apiError('CONSOLE_USER_ALREADY_EXISTS', input.email);
  await repos.consoleUsers.setOrgRoles(id, input.orgRoles);
  for (const projectId of new Set(input.projectRoles.map((r) => r.projectId))) {
    await repos.consoleUsers.setProjectRoles(
      id,
      projectId,
      input.projectRoles.filter((r) => r.projectId === projectId).map((r) => r.role),
    );
  }
  return (await repos.consoleUsers.find(id))!;
}

/** `orgId` when it exists, else the store's only organization; 404/400 otherwise. */
async function resolveOrganization(repos: Repositories, orgId: string | undefined): Promise<string> {
  if (orgId !== undefined) {
    if (!(await repos.identity.findOrganization(orgId))) throw apiError('ORG_NOT_FOUND', orgId);
    return orgId;
  }
  const orgs = await repos.identity.listAllOrganizationIds();
  if (orgs.length === 1) return orgs[0]!;
  throw new ApiError('VALIDATION_ERROR', [
    orgs.length === 0 ? 'The store has no organization yet: start privlink once first.' : 'The store has several organizations: name one with --org-id.',
  ]);
}
