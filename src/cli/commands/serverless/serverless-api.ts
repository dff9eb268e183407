import { apiPath } from '../../api/api-session.js';

/** `POST`/`GET /api/atlas/v2/groups/{groupId}/serverless` (the 2023-01-01 API, the client's default). */
export const serverlessInstancesPath = (projectId: string) => apiPath`/api/atlas/v2/groups/${projectId}/serverless`;

/** `GET`/`PATCH`/`DELETE …/serverless/{name}`. */
export const serverlessInstancePath = (projectId: string, name: string) => apiPath`/api/atlas/v2/groups/${projectId}/serverless/${name}`;
