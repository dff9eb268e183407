import type { ApiKey, Organization } from '../../../domain/identity.js';
import type { ProjectView } from '../../../app/projects.service.js';
import type { ProjectLimit } from '../../../app/project-limits.service.js';
import type { ApiKeyWire, OrganizationWire, ProjectLimitWire, ProjectWire } from '../wire/identity.wire.js';

/** Atlas JSON of identity resources. Keys in alphabetical order, nulls explicit, as Atlas sends. */

export function organizationJson(org: Organization, base: string): OrganizationWire {
  return {
    id: org.id,
    isDeleted: false,
    links: [{ href: `${base}/orgs/${org.id}`, rel: 'self' }],
    name: org.name,
    paymentInformationOnFile: org.paymentOnFile,
  };
}

export function projectJson(project: ProjectView, base: string): ProjectWire {
  const self = `${base}/groups/${project.id}`;
  return {
    clusterCount: project.clusterCount,
    created: iso(project.createdAt),
    id: project.id,
    links: [
      { href: self, rel: 'self' },
      { href: `${self}/clusters`, rel: 'https://cloud.mongodb.com/clusters' },
    ],
    name: project.name,
    orgId: project.orgId,
    withDefaultAlertsSettings: true,
  };
}

/**
 * An API key; the private key appears only in the response that created it (else masked the way
 * Atlas masks it: only the last 12 characters).
 */
export function apiKeyJson(key: ApiKey, base: string, privateKey?: string): ApiKeyWire {
  return {
    desc: key.description,
    id: key.id,
    links: [{ href: `${base}/orgs/${key.orgId}/apiKeys/${key.id}`, rel: 'self' }],
    privateKey: privateKey ?? '********-****-****-************',
    publicKey: key.publicKey,
    roles: [...key.orgRoles.map((roleName) => ({ orgId: key.orgId, roleName })), ...key.projectRoles.map(({ projectId, role }) => ({ groupId: projectId, roleName: role }))],
  };
}

export function projectLimitJson(limit: ProjectLimit): ProjectLimitWire {
  return {
    currentUsage: limit.currentUsage,
    defaultLimit: limit.defaultLimit,
    maximumLimit: limit.maximumLimit,
    name: limit.name,
    value: limit.value,
  };
}

/** Atlas timestamps: ISO 8601 UTC without milliseconds (`2026-08-10T03:03:01Z`). */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
