// Atlas's database-user body (`CloudDatabaseUser`, `/groups/{groupId}/databaseUsers[/{databaseName}/{username}]`).
// Pure types: the API's serializers produce them, the CLI and the API client read them.
import type { LinkWire } from './common.wire.js';

/** `DatabaseUserRole`: one role on one database (optionally one collection). */
export interface DatabaseUserRoleWire {
  readonly collectionName?: string;
  readonly databaseName: string;
  readonly roleName: string;
}

/** `UserScope`: a cluster (or data lake, stream workspace) the user may use. */
export interface DatabaseUserScopeWire {
  readonly name: string;
  readonly type: string;
}

/** `CloudDatabaseUser` as returned (never with `password`). Keys in Atlas's alphabetical order. */
export interface DatabaseUserWire {
  readonly awsIAMType: 'NONE';
  readonly databaseName: string;
  readonly deleteAfterDate?: string;
  readonly description?: string;
  readonly groupId: string;
  readonly labels: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  readonly ldapAuthType: 'NONE';
  readonly links: readonly LinkWire[];
  readonly oidcAuthType: 'NONE';
  readonly roles: readonly DatabaseUserRoleWire[];
  readonly scopes: readonly DatabaseUserScopeWire[];
  readonly username: string;
  readonly x509Type: 'NONE';
}
