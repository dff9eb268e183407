import { isExpired, scopeAllows, type DatabaseUserRole } from '../domain/database-user.js';
import type { ScramCredentials } from '../domain/scram.js';
import type { Repositories } from '../store/repositories.js';

/** A database user as a deployment's nodes see it: SCRAM credentials and roles (never a password). */
export interface NodeUser {
  readonly username: string;
  readonly credentials: ScramCredentials;
  readonly roles: readonly DatabaseUserRole[];
}

/**
 * The database user `username` (authentication database `admin`) who may log in to the nodes of
 * `deploymentId` — a cluster's or a serverless instance's id — as Atlas decides it: a user of the
 * deployment's project, not past its deleteAfterDate, whose scopes are empty or name the
 * deployment. Undefined otherwise (the node then answers AuthenticationFailed, as for an unknown
 * user: a scope is not revealed). Read-only; called by the data plane on every login it has not
 * cached.
 */
export async function nodeDatabaseUser(repos: Repositories, deploymentId: string, username: string, now: Date): Promise<NodeUser | undefined> {
  const deployment = (await repos.clusters.findById(deploymentId)) ?? (await repos.serverlessInstances.findById(deploymentId));
  if (!deployment) return undefined;
  const user = await repos.databaseUsers.find(deployment.projectId, 'admin', username, now);
  if (!user || isExpired(user, now) || !scopeAllows(user.spec.scopes, deployment.name)) return undefined;
  return { username: user.username, credentials: user.credentials, roles: user.spec.roles };
}
