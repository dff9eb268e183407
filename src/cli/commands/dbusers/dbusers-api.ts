import { apiPath } from '../../api/api-session.js';

/** `POST`/`GET /api/atlas/v2/groups/{groupId}/databaseUsers`. */
export const databaseUsersPath = (projectId: string) => apiPath`/api/atlas/v2/groups/${projectId}/databaseUsers`;

/** `GET`/`PATCH`/`DELETE …/databaseUsers/{databaseName}/{username}` (the username URL-encoded). */
export const databaseUserPath = (projectId: string, databaseName: string, username: string) => apiPath`/api/atlas/v2/groups/${projectId}/databaseUsers/${databaseName}/${username}`;

/** The authentication database flag, as the Atlas CLI has it. */
export const AUTH_DB_FLAG = { syntax: '--authDB <authDB>', description: 'Authentication database name.', defaultValue: 'admin' } as const;
