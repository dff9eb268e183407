import type { DatabaseUserRecord } from '../../../domain/database-user.js';
import type { DatabaseUserWire } from '../wire/database-users.wire.js';
import { iso } from './identity.serializer.js';

/** A database user in Atlas's `CloudDatabaseUser` shape: no password, no credentials. Same body on v1.0 and v2. */
export function databaseUserJson(user: DatabaseUserRecord, base: string): DatabaseUserWire {
  const spec = user.spec;
  return {
    awsIAMType: 'NONE',
    databaseName: user.databaseName,
    ...(spec.deleteAfterDate ? { deleteAfterDate: iso(spec.deleteAfterDate) } : {}),
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    groupId: user.projectId,
    labels: spec.labels.map((l) => ({ key: l.key, value: l.value })),
    ldapAuthType: 'NONE',
    links: [{ href: `${base}/groups/${user.projectId}/databaseUsers/${user.databaseName}/${encodeURIComponent(user.username)}`, rel: 'self' }],
    oidcAuthType: 'NONE',
    roles: spec.roles.map((r) => ({ ...(r.collectionName ? { collectionName: r.collectionName } : {}), databaseName: r.databaseName, roleName: r.roleName })),
    scopes: spec.scopes.map((s) => ({ name: s.name, type: s.type })),
    username: user.username,
    x509Type: 'NONE',
  };
}
