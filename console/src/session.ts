import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CloudProvider } from '../../src/domain/regions.js';
import { call, onSignedOut, setCsrfToken } from './api';

/** The signed-in session as `GET /console/api/session` describes it: an API key's (`publicKey`) or a console user's (`email`). */
export interface Session {
  readonly kind: 'apiKey' | 'consoleUser';
  readonly publicKey?: string;
  readonly apiUserId?: string;
  readonly email?: string;
  readonly userId?: string;
  readonly orgId: string;
  readonly csrfToken: string;
  readonly roles: ReadonlyArray<{ readonly orgId?: string; readonly groupId?: string; readonly roleName: string }>;
  /** The clouds this deployment serves (`AWS` always; `AZURE` and `GCP` when configured): the wizards offer only these. */
  readonly providers: readonly CloudProvider[];
}

export const SESSION_PATH = '/console/api/session';

/** The current session, or null when signed out. */
export function useSession() {
  const client = useQueryClient();
  useEffect(() => onSignedOut(() => client.setQueryData(['session'], null)), [client]);
  return useQuery({
    queryKey: ['session'],
    queryFn: async (): Promise<Session | null> => {
      try {
        const session = await call<Session>('GET', SESSION_PATH);
        setCsrfToken(session.csrfToken);
        return session;
      } catch {
        setCsrfToken(undefined);
        return null;
      }
    },
    staleTime: Infinity,
  });
}

/** Roles that may change private endpoints in a project (Project Owner, as the API requires; an Organization Owner acts only once it is in the project). */
const WRITE_ROLES = new Set(['GROUP_OWNER']);

/** Whether the session may add or terminate private endpoints in `groupId`. */
export function canManageNetwork(session: Session, groupId: string): boolean {
  return session.roles.some((role) => role.groupId === groupId && WRITE_ROLES.has(role.roleName));
}

/** Whether the session may create database users in `groupId` (Project Owner, as the database-users API requires). */
export const canManageDatabaseUsers = canManageNetwork;

/** Whether the session has any role in `groupId` (an Organization Owner may have none). */
export function hasProjectRole(session: Session, groupId: string): boolean {
  return session.roles.some((role) => role.groupId === groupId);
}

/** Whether the session may create and terminate clusters in `groupId` (Project Owner or Project Cluster Manager, as the clusters API requires). */
export function canManageClusters(session: Session, groupId: string): boolean {
  return session.roles.some((role) => role.groupId === groupId && (role.roleName === 'GROUP_OWNER' || role.roleName === 'GROUP_CLUSTER_MANAGER'));
}

/**
 * Whether the project picker lists `project`: the session has a role in it, or is an
 * Organization Owner of its organization (Atlas lists every project to an Organization Owner; the
 * API then tells it to add itself to the project). The API's `GET /groups` also returns projects an
 * Organization Member merely sees, whose pages it cannot read: those are not listed.
 */
export function canOpenProject(session: Session, project: { readonly id: string; readonly orgId: string }): boolean {
  return hasProjectRole(session, project.id) || session.roles.some((role) => role.orgId === project.orgId && role.roleName === 'ORG_OWNER');
}

/** Whether the session is an Organization Owner of `orgId` (it may manage the organization's console users). */
export function isOrgOwner(session: Session, orgId: string): boolean {
  return session.roles.some((role) => role.orgId === orgId && role.roleName === 'ORG_OWNER');
}

/** Who the header says is signed in. */
export function signedInAs(session: Session): string {
  return session.kind === 'consoleUser' ? (session.email ?? '') : `API key ${session.publicKey ?? ''}`;
}
