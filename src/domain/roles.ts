/**
 * Atlas roles and what they allow. Organization roles apply to an organization, project (group)
 * roles to one project. An Organization Owner acts on a project only after adding itself to it as
 * Project Owner (as in Atlas); viewing needs Project Read Only or higher, changing needs Project Owner.
 */
const ORG_ROLES = ['ORG_OWNER', 'ORG_MEMBER', 'ORG_READ_ONLY', 'ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN'] as const;
export const PROJECT_ROLES = ['GROUP_OWNER', 'GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'] as const;

export type OrgRole = (typeof ORG_ROLES)[number];
export type ProjectRole = (typeof PROJECT_ROLES)[number];
export type Role = OrgRole | ProjectRole;

export function isOrgRole(value: unknown): value is OrgRole {
  return typeof value === 'string' && (ORG_ROLES as readonly string[]).includes(value);
}

export function isProjectRole(value: unknown): value is ProjectRole {
  return typeof value === 'string' && (PROJECT_ROLES as readonly string[]).includes(value);
}

/** What an operation on a project needs. */
export type ProjectAccess = 'read' | 'write' | 'clusterWrite';

/**
 * Whether a set of project roles grants `access`. Read: any project role. Write (private
 * endpoints, project settings, keys): GROUP_OWNER. Cluster writes: GROUP_OWNER or
 * GROUP_CLUSTER_MANAGER.
 */
export function projectRolesAllow(roles: readonly ProjectRole[], access: ProjectAccess): boolean {
  switch (access) {
    case 'read':
      return roles.length > 0;
    case 'write':
      return roles.includes('GROUP_OWNER');
    case 'clusterWrite':
      return roles.includes('GROUP_OWNER') || roles.includes('GROUP_CLUSTER_MANAGER');
  }
}

/** The role name an error message should cite for `access`. */
export function requiredProjectRole(access: ProjectAccess): string {
  return access === 'read' ? 'GROUP_READ_ONLY' : access === 'write' ? 'GROUP_OWNER' : 'GROUP_CLUSTER_MANAGER';
}

/** What an operation on an organization needs. */
export type OrgAccess = 'read' | 'write';

/** Read: any organization role. Write (API keys, projects, settings): ORG_OWNER. */
export function orgRolesAllow(roles: readonly OrgRole[], access: OrgAccess): boolean {
  return access === 'read' ? roles.length > 0 : roles.includes('ORG_OWNER');
}

/**
 * The roles a holder of `role` may grant to others: an Organization Owner every organization
 * role, a Project Owner every project role, a Cluster Manager also Project Read Only; any role
 * itself. No caller may grant a role it does not hold.
 */
const GRANTABLE: Readonly<Record<Role, readonly Role[]>> = {
  ORG_OWNER: ORG_ROLES,
  ORG_MEMBER: ['ORG_MEMBER'],
  ORG_READ_ONLY: ['ORG_READ_ONLY'],
  ORG_GROUP_CREATOR: ['ORG_GROUP_CREATOR'],
  ORG_BILLING_ADMIN: ['ORG_BILLING_ADMIN'],
  GROUP_OWNER: PROJECT_ROLES,
  GROUP_CLUSTER_MANAGER: ['GROUP_CLUSTER_MANAGER', 'GROUP_READ_ONLY'],
  GROUP_READ_ONLY: ['GROUP_READ_ONLY'],
};

/** The first of `wanted` that `held` does not cover (undefined when the caller holds them all). */
export function firstUngrantable<R extends Role>(held: readonly Role[], wanted: readonly R[]): R | undefined {
  return wanted.find((role) => !held.some((h) => GRANTABLE[h].includes(role)));
}
