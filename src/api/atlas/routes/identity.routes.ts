import * as apiKeysUseCases from '../../../app/api-keys.service.js';
import * as limitsUseCases from '../../../app/project-limits.service.js';
import * as organizationsUseCases from '../../../app/organizations.service.js';
import * as projectsUseCases from '../../../app/projects.service.js';
import { apiError } from '../../../domain/errors.js';
import type { Authenticator } from '../authenticate.js';
import { paginate } from '../pagination.js';
import { orgAccess, projectAccess, projectCreator, projectKeyAdmin, projectOrgOwner } from '../../route-access.js';
import type { RouteRegistrar } from '../route-registrar.js';
import { apiKeyJson, organizationJson, projectJson, projectLimitJson } from '../serializers/identity.serializer.js';
import { tracedUseCases } from '../../../observability/tracing.js';

const apiKeys = tracedUseCases(apiKeysUseCases);
const limits = tracedUseCases(limitsUseCases);
const organizations = tracedUseCases(organizationsUseCases);
const projects = tracedUseCases(projectsUseCases);

/** Organizations, projects (groups), API keys and project limits. */
export function identityRoutes(r: RouteRegistrar, authenticator: Authenticator): void {
  // Identity changes must be seen by this process's authentication cache at once.
  const changing = <T>(result: T): T => {
    authenticator.invalidate();
    return result;
  };

  r.get('/orgs', async ({ ctx, principal, query, base }) => {
    const orgs = await organizations.listOrganizations(ctx, principal);
    return {
      status: 200,
      body: paginate(
        orgs.map((o) => organizationJson(o, base)),
        query,
        `${base}/orgs`,
      ),
    };
  });
  r.get('/orgs/:orgId', async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: organizationJson(await organizations.getOrganization(ctx, principal, params.orgId!), base),
  }));
  r.patch(
    '/orgs/:orgId',
    async ({ ctx, principal, params, body, base }) => {
      const input = objectBody(body);
      const org = await organizations.updateOrganization(ctx, principal, params.orgId!, {
        ...(input.name !== undefined ? { name: stringField(input.name, 'name') } : {}),
        ...(input.paymentInformationOnFile !== undefined ? { paymentOnFile: booleanField(input.paymentInformationOnFile, 'paymentInformationOnFile') } : {}),
      });
      return { status: 200, body: organizationJson(org, base) };
    },
    { access: orgAccess('write') },
  );
  r.get('/orgs/:orgId/groups', async ({ ctx, principal, params, query, base }) => {
    await organizations.getOrganization(ctx, principal, params.orgId!);
    const list = (await projects.listProjects(ctx, principal)).filter((p) => p.orgId === params.orgId);
    return {
      status: 200,
      body: paginate(
        list.map((p) => projectJson(p, base)),
        query,
        `${base}/orgs/${params.orgId}/groups`,
      ),
    };
  });

  r.get('/orgs/:orgId/apiKeys', async ({ ctx, principal, params, query, base }) => {
    const keys = await apiKeys.listOrgApiKeys(ctx, principal, params.orgId!);
    return {
      status: 200,
      body: paginate(
        keys.map((k) => apiKeyJson(k, base)),
        query,
        `${base}/orgs/${params.orgId}/apiKeys`,
      ),
    };
  });
  r.post(
    '/orgs/:orgId/apiKeys',
    async ({ ctx, principal, params, body, base }) => {
      const input = objectBody(body);
      const created = changing(await apiKeys.createOrgApiKey(ctx, principal, params.orgId!, { desc: input.desc, roles: input.roles }));
      return { status: 200, body: apiKeyJson(created.apiKey, base, created.privateKey) };
    },
    { access: orgAccess('write') },
  );
  r.get('/orgs/:orgId/apiKeys/:apiUserId', async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: apiKeyJson(await apiKeys.getOrgApiKey(ctx, principal, params.orgId!, params.apiUserId!), base),
  }));
  r.patch(
    '/orgs/:orgId/apiKeys/:apiUserId',
    async ({ ctx, principal, params, body, base }) => {
      const input = objectBody(body);
      const key = changing(await apiKeys.updateOrgApiKey(ctx, principal, params.orgId!, params.apiUserId!, { desc: input.desc, roles: input.roles }));
      return { status: 200, body: apiKeyJson(key, base) };
    },
    { access: orgAccess('write') },
  );
  r.delete('/orgs/:orgId/apiKeys/:apiUserId', async ({ ctx, principal, params }) => {
    changing(await apiKeys.deleteOrgApiKey(ctx, principal, params.orgId!, params.apiUserId!));
    return { status: 204 };
  });

  r.get('/groups', async ({ ctx, principal, query, base }) => {
    const list = await projects.listProjects(ctx, principal);
    return {
      status: 200,
      body: paginate(
        list.map((p) => projectJson(p, base)),
        query,
        `${base}/groups`,
      ),
    };
  });
  r.post(
    '/groups',
    async ({ ctx, principal, body, base }) => {
      const input = objectBody(body);
      const project = changing(await projects.createProject(ctx, principal, { name: input.name, orgId: input.orgId }));
      return { status: 201, body: projectJson(project, base) };
    },
    { access: projectCreator },
  );
  r.get('/groups/byName/:groupName', async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: projectJson(await projects.getProjectByName(ctx, principal, params.groupName!), base),
  }));
  r.get('/groups/:groupId', async ({ ctx, principal, params, base }) => ({
    status: 200,
    body: projectJson(await projects.getProject(ctx, principal, params.groupId!), base),
  }));
  r.delete('/groups/:groupId', async ({ ctx, principal, params }) => {
    changing(await projects.deleteProject(ctx, principal, params.groupId!));
    return { status: 204 };
  });

  r.get('/groups/:groupId/apiKeys', async ({ ctx, principal, params, query, base }) => {
    const keys = await apiKeys.listProjectApiKeys(ctx, principal, params.groupId!);
    return {
      status: 200,
      body: paginate(
        keys.map((k) => apiKeyJson(k, base)),
        query,
        `${base}/groups/${params.groupId}/apiKeys`,
      ),
    };
  });
  r.post(
    '/groups/:groupId/apiKeys',
    async ({ ctx, principal, params, body, base }) => {
      const input = objectBody(body);
      const created = changing(await apiKeys.createProjectApiKey(ctx, principal, params.groupId!, { desc: input.desc, roles: input.roles }));
      return { status: 200, body: apiKeyJson(created.apiKey, base, created.privateKey) };
    },
    { access: projectAccess('write') },
  );
  // Atlas's body is an array of {roles:[…]} (UserAccessRoleAssignment); a single object is accepted too.
  r.post(
    '/groups/:groupId/apiKeys/:apiUserId',
    async ({ ctx, principal, params, body }) => {
      changing(await apiKeys.assignProjectApiKey(ctx, principal, params.groupId!, params.apiUserId!, rolesOf(body)));
      return { status: 204 };
    },
    { access: projectKeyAdmin },
  );
  r.patch(
    '/groups/:groupId/apiKeys/:apiUserId',
    async ({ ctx, principal, params, body, base }) => {
      const key = changing(await apiKeys.assignProjectApiKey(ctx, principal, params.groupId!, params.apiUserId!, rolesOf(body)));
      return { status: 200, body: apiKeyJson(key, base) };
    },
    { access: projectKeyAdmin },
  );
  r.delete('/groups/:groupId/apiKeys/:apiUserId', async ({ ctx, principal, params }) => {
    changing(await apiKeys.unassignProjectApiKey(ctx, principal, params.groupId!, params.apiUserId!));
    return { status: 204 };
  });

  r.get('/groups/:groupId/limits', async ({ ctx, principal, params }) => ({
    status: 200,
    body: (await limits.listProjectLimits(ctx, principal, params.groupId!)).map(projectLimitJson),
  }));
  r.get('/groups/:groupId/limits/:limitName', async ({ ctx, principal, params }) => ({
    status: 200,
    body: projectLimitJson(await limits.getProjectLimit(ctx, principal, params.groupId!, params.limitName!)),
  }));
  r.patch(
    '/groups/:groupId/limits/:limitName',
    async ({ ctx, principal, params, body }) => ({
      status: 200,
      body: projectLimitJson(await limits.setProjectLimit(ctx, principal, params.groupId!, params.limitName!, objectBody(body).value)),
    }),
    { access: projectOrgOwner },
  );
}

/** The JSON object body of a request, or 400 for anything else. */
function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw apiError('INVALID_JSON');
  return body as Record<string, unknown>;
}

function rolesOf(body: unknown): unknown {
  if (Array.isArray(body)) return body.flatMap((item) => (item && typeof item === 'object' ? (((item as { roles?: unknown }).roles as unknown[]) ?? []) : [item]));
  return objectBody(body).roles;
}

function stringField(value: unknown, name: string): string {
  if (typeof value !== 'string') throw apiError('INVALID_ATTRIBUTE', name);
  return value;
}

function booleanField(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw apiError('INVALID_ATTRIBUTE', name);
  return value;
}
