import type { OrgRole, ProjectRole } from './roles.js';

/** An organization: top-level tenant holding projects, API keys and payment information. */
export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly paymentOnFile: boolean;
  readonly createdAt: Date;
}

/** A project (Atlas "group"). */
export interface Project {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  /** Five lower-case characters used in hostnames (`cluster0.<hostSuffix>.<domain>`). */
  readonly hostSuffix: string;
  readonly regionalizedPrivateEndpoints: boolean;
  readonly nodesPerPrivateLinkRegion: number;
  readonly nodesPerPrivateLinkRegionRaised: boolean;
  readonly createdAt: Date;
}

/** An organization API key (without secrets). */
export interface ApiKey {
  readonly id: string;
  readonly orgId: string;
  readonly publicKey: string;
  readonly description: string;
  readonly orgRoles: readonly OrgRole[];
  readonly projectRoles: ReadonlyArray<{ readonly projectId: string; readonly role: ProjectRole }>;
}

/**
 * Who is calling, with its roles: an organization API key (Digest, or a console session signed in
 * with the key) or a console user (a console session signed in with email and password). Both
 * hold organization and project roles the same way, and every access check reads only the roles.
 */
export interface Principal {
  /** `apiKey` or `consoleUser`. */
  readonly kind: PrincipalKind;
  /** The API key's id, or the console user's id. */
  readonly id: string;
  /** How the caller is shown: the API key's public key, or the console user's email. */
  readonly name: string;
  readonly orgId: string;
  readonly orgRoles: readonly OrgRole[];
  /** Project id → roles of this caller in that project. */
  readonly projectRoles: ReadonlyMap<string, readonly ProjectRole[]>;
}

export type PrincipalKind = 'apiKey' | 'consoleUser';

/** A console user (without its password hash): signs in to the web console with email and password. */
export interface ConsoleUser {
  readonly id: string;
  readonly orgId: string;
  /** Lower case, unique across the store. */
  readonly email: string;
  readonly orgRoles: readonly OrgRole[];
  readonly projectRoles: ReadonlyArray<{ readonly projectId: string; readonly role: ProjectRole }>;
  readonly createdAt: Date;
}

/** Project names: 1–64 characters of letters, digits, spaces, hyphens and underscores (Atlas). */
export function isProjectName(value: unknown): value is string {
  return typeof value === 'string' && /^[\w\- ().]{1,64}$/.test(value) && value.trim().length > 0;
}
