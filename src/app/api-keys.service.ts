import { randomBytes, randomUUID } from 'node:crypto';
import { digestHa1 } from '../domain/digest-secrets.js';
import { ApiError, apiError, boundedParameter } from '../domain/errors.js';
import type { ApiKey, Principal } from '../domain/identity.js';
import { newObjectId } from '../domain/object-id.js';
import { isOrgRole, isProjectRole, PROJECT_ROLES, type OrgRole } from '../domain/roles.js';
import type { Repositories } from '../store/repositories.js';
import { requireGrantableOrgRoles, requireGrantableProjectRoles, requireOrg, requireProject, requireProjectKeyAdmin } from './access.js';
import { inTransaction, reader, type AppContext } from './app-context.js';

/** A newly created key: the only time its private key is ever shown. */
export interface CreatedApiKey {
  readonly apiKey: ApiKey;
  readonly privateKey: string;
}

/**
 * Creates an organization API key (ORG_OWNER). Public key: 8 lower-case letters; private key: a
 * UUID returned once; only its Digest HA1 hashes are stored. No caller grants a role it does not hold.
 */
export async function createOrgApiKey(ctx: AppContext, principal: Principal, orgId: string, input: { desc: unknown; roles: unknown }): Promise<CreatedApiKey> {
  await requireOrg(reader(ctx), principal, orgId, 'write'); // access before validation
  const description = parseDescription(input.desc);
  const roles = parseRoles(input.roles, isOrgRole, invalidOrgRole);
  requireGrantableOrgRoles(principal, roles);
  return inTransaction(ctx, async ({ repos }) => {
    await requireOrg(repos, principal, orgId, 'write');
    return insertApiKey(repos, { orgId, description, orgRoles: roles, now: ctx.now() });
  });
}

/**
 * Creates an organization key and assigns it to a project (`POST /groups/{id}/apiKeys`): needs
 * GROUP_OWNER; the roles are project roles only, each held by the caller; the new key is an
 * Organization Member.
 */
export async function createProjectApiKey(ctx: AppContext, principal: Principal, projectId: string, input: { desc: unknown; roles: unknown }): Promise<CreatedApiKey> {
  await requireProject(reader(ctx), principal, projectId, 'write'); // access before validation
  const description = parseDescription(input.desc);
  const roles = parseRoles(input.roles, isProjectRole, invalidProjectRole);
  return inTransaction(ctx, async ({ repos }) => {
    const project = await requireProject(repos, principal, projectId, 'write');
    requireGrantableProjectRoles(principal, project, roles);
    const created = await insertApiKey(repos, { orgId: project.orgId, description, orgRoles: ['ORG_MEMBER'], now: ctx.now() });
    await repos.identity.setProjectRoles(created.apiKey.id, projectId, roles);
    return { apiKey: (await repos.identity.findApiKey(created.apiKey.id))!, privateKey: created.privateKey };
  });
}

/** Inserts a key (no access checks; shared with the first-start bootstrap). */
export async function insertApiKey(
  repos: Repositories,
  input: { orgId: string; description: string; orgRoles: readonly OrgRole[]; now: Date; publicKey?: string; privateKey?: string },
): Promise<CreatedApiKey> {
  let publicKey = input.publicKey ?? newPublicKey();
  if (input.publicKey === undefined) while (await repos.identity.publicKeyTaken(publicKey)) publicKey = newPublicKey();
  const privateKey = input.privateKey ?? randomUUID();
  const id = newObjectId(input.now);
  const { ha1Md5, ha1Sha256 } = digestHa1(publicKey, privateKey);
  await repos.identity.insertApiKey({ id, orgId: input.orgId, publicKey, ha1Md5, ha1Sha256, description: input.description, createdAt: input.now });
  await repos.identity.setOrgRoles(id, input.orgRoles);
  return { apiKey: (await repos.identity.findApiKey(id))!, privateKey };
}

export async function listOrgApiKeys(ctx: AppContext, principal: Principal, orgId: string): Promise<ApiKey[]> {
  const repos = reader(ctx);
  await requireOrg(repos, principal, orgId, 'read');
  return repos.identity.listApiKeys(orgId);
}

export async function getOrgApiKey(ctx: AppContext, principal: Principal, orgId: string, apiKeyId: string): Promise<ApiKey> {
  const repos = reader(ctx);
  await requireOrg(repos, principal, orgId, 'read');
  const key = await repos.identity.findApiKey(apiKeyId);
  if (!key || key.orgId !== orgId) throw apiError('API_KEY_NOT_FOUND', apiKeyId);
  return key;
}

/**
 * Changes a key's description and/or organization roles (ORG_OWNER, granting only roles it holds);
 * an org keeps at least one owner.
 */
export async function updateOrgApiKey(ctx: AppContext, principal: Principal, orgId: string, apiKeyId: string, input: { desc?: unknown; roles?: unknown }): Promise<ApiKey> {
  return inTransaction(ctx, async ({ repos }) => {
    await requireOrg(repos, principal, orgId, 'write');
    const key = await repos.identity.findApiKey(apiKeyId);
    if (!key || key.orgId !== orgId) throw apiError('API_KEY_NOT_FOUND', apiKeyId);
    if (input.desc !== undefined) await repos.identity.updateApiKeyDescription(apiKeyId, parseDescription(input.desc));
    if (input.roles !== undefined) {
      const roles = parseRoles(input.roles, isOrgRole, invalidOrgRole);
      requireGrantableOrgRoles(principal, roles);
      if (key.orgRoles.includes('ORG_OWNER') && !roles.includes('ORG_OWNER') && (await repos.identity.countOrgOwners(orgId)) <= 1) {
        throw apiError('LAST_ORG_OWNER', apiKeyId, orgId);
      }
      await repos.identity.setOrgRoles(apiKeyId, roles);
    }
    return (await repos.identity.findApiKey(apiKeyId))!;
  });
}

export async function deleteOrgApiKey(ctx: AppContext, principal: Principal, orgId: string, apiKeyId: string): Promise<void> {
  await inTransaction(ctx, async ({ repos }) => {
    await requireOrg(repos, principal, orgId, 'write');
    const key = await repos.identity.findApiKey(apiKeyId);
    if (!key || key.orgId !== orgId) throw apiError('API_KEY_NOT_FOUND', apiKeyId);
    if (key.orgRoles.includes('ORG_OWNER') && (await repos.identity.countOrgOwners(orgId)) <= 1) throw apiError('LAST_ORG_OWNER', apiKeyId, orgId);
    await repos.identity.deleteApiKey(apiKeyId);
  });
}

export async function listProjectApiKeys(ctx: AppContext, principal: Principal, projectId: string): Promise<ApiKey[]> {
  const repos = reader(ctx);
  await requireProject(repos, principal, projectId, 'read');
  return repos.identity.listProjectApiKeys(projectId);
}

/**
 * Assigns (or re-assigns) project roles to an organization key. Needs GROUP_OWNER of the project,
 * or ORG_OWNER of its organization (how an Organization Owner adds itself as Project Owner in Atlas);
 * project roles only, each held by the caller.
 */
export async function assignProjectApiKey(ctx: AppContext, principal: Principal, projectId: string, apiKeyId: string, rolesInput: unknown): Promise<ApiKey> {
  return inTransaction(ctx, async ({ repos }) => {
    const project = await requireProjectKeyAdmin(repos, principal, projectId);
    const roles = parseRoles(rolesInput, isProjectRole, invalidProjectRole);
    requireGrantableProjectRoles(principal, project, roles);
    const key = await repos.identity.findApiKey(apiKeyId);
    if (!key || key.orgId !== project.orgId) throw apiError('API_KEY_NOT_FOUND', apiKeyId);
    await repos.identity.setProjectRoles(apiKeyId, projectId, roles);
    return (await repos.identity.findApiKey(apiKeyId))!;
  });
}

/** Removes a key from a project (GROUP_OWNER, or ORG_OWNER of its organization). */
export async function unassignProjectApiKey(ctx: AppContext, principal: Principal, projectId: string, apiKeyId: string): Promise<void> {
  await inTransaction(ctx, async ({ repos }) => {
    await requireProjectKeyAdmin(repos, principal, projectId);
    const key = await repos.identity.findApiKey(apiKeyId);
    if (!key || !key.projectRoles.some((r) => r.projectId === projectId)) throw apiError('API_KEY_NOT_FOUND', apiKeyId);
    await repos.identity.setProjectRoles(apiKeyId, projectId, []);
  });
}

function parseDescription(value: unknown): string {
  if (value === undefined || value === null) throw apiError('MISSING_ATTRIBUTE', 'desc');
  if (typeof value !== 'string' || value.length < 1 || value.length > 250) throw apiError('INVALID_ATTRIBUTE', 'desc');
  return value;
}

function parseRoles<R extends string>(value: unknown, valid: (role: unknown) => role is R, invalid: (role: unknown) => ApiError): R[] {
  if (value === undefined || value === null) throw apiError('MISSING_ATTRIBUTE', 'roles');
  if (!Array.isArray(value) || value.length === 0) throw apiError('INVALID_ATTRIBUTE', 'roles');
  const bad = value.find((role) => !valid(role));
  if (bad !== undefined) throw invalid(bad);
  return [...new Set(value as R[])];
}

function invalidOrgRole(role: unknown): ApiError {
  return apiError('INVALID_ROLE', role, 'an organization API key');
}

/** A project route grants project roles only: anything else is Atlas's invalid `roles` attribute. */
function invalidProjectRole(role: unknown): ApiError {
  return new ApiError('INVALID_ATTRIBUTE', ['roles'], {
    fields: [{ field: 'roles', description: `${String(boundedParameter(role))} is not a project role; a project grants ${PROJECT_ROLES.join(', ')}.` }],
  });
}

function newPublicKey(): string {
  const bytes = randomBytes(8);
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(97 + (byte % 26));
  return out;
}
