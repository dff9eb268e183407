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

/** Who is calling: the authenticated API key with its roles. */
export interface Principal {
  readonly apiKeyId: string;
  readonly publicKey: string;
  readonly orgId: string;
  readonly orgRoles: readonly OrgRole[];
  /** Project id → roles of this key in that project. */
  readonly projectRoles: ReadonlyMap<string, readonly ProjectRole[]>;
}

/** Project names: 1–64 characters of letters, digits, spaces, hyphens and underscores (Atlas). */
export function isProjectName(value: unknown): value is string {
  return typeof value === 'string' && /^[\w\- ().]{1,64}$/.test(value) && value.trim().length > 0;
}
