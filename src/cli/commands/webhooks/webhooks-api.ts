import { apiPath } from '../../api/api-session.js';

/** `GET`/`POST /api/atlas/v2/groups/{groupId}/privlink/webhooks`. */
export const webhooksPath = (projectId: string) => apiPath`/api/atlas/v2/groups/${projectId}/privlink/webhooks`;

/** `GET`/`DELETE …/privlink/webhooks/{webhookId}`. */
export const webhookPath = (projectId: string, webhookId: string) => apiPath`/api/atlas/v2/groups/${projectId}/privlink/webhooks/${webhookId}`;
