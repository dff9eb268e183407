import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AtlasClient } from '../../src/client/atlas-client.js';
import { newObjectId } from '../../src/domain/object-id.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// The role × route matrix: every project route, for Read Only, Project Owner, Cluster Manager,
// an Organization Owner without a project role, and the owner of another organization. Writes
// carry bodies that fail validation, so an authorised caller gets 400/404 (and nothing changes)
// while an unauthorised one gets 403/404 before its body is looked at.
type Who = 'RO' | 'PO' | 'CM' | 'OO' | 'OTHER';
let api: ApiHarness;
let keys: Record<Who, AtlasClient>;
let g: string;

before(async () => {
  api = await startApi();
  g = api.bootstrap.projectId;
  const other = await api.makeOrganization('Stranger Org', true);
  keys = {
    RO: await api.makeKey(api.bootstrap.orgId, ['ORG_MEMBER'], [[g, 'GROUP_READ_ONLY']]),
    PO: api.owner,
    CM: await api.makeKey(api.bootstrap.orgId, ['ORG_MEMBER'], [[g, 'GROUP_CLUSTER_MANAGER']]),
    OO: await api.makeKey(api.bootstrap.orgId, ['ORG_OWNER']),
    OTHER: other.owner,
  };
});
after(async () => api?.close());

const S = newObjectId();
const V = 'vpce-0123456789abcdef0';
// An Azure private endpoint's resource id, URL-encoded as the Atlas CLI sends it.
const Z = encodeURIComponent('/subscriptions/4e133d35-e734-4380-a565-c0945535da37/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas');
// [method, path under /api/atlas/v2/groups/{g}, body, expected status for RO, PO, CM, OO, OTHER]
const MATRIX: Array<[string, string, unknown, [number, number, number, number, number]]> = [
  ['GET', '', undefined, [200, 200, 200, 200, 404]],
  ['GET', '/clusters', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/clusters', {}, [403, 400, 400, 403, 404]],
  ['GET', '/clusters/nope', undefined, [404, 404, 404, 403, 404]],
  ['PATCH', '/clusters/nope', {}, [403, 404, 404, 403, 404]],
  ['DELETE', '/clusters/nope', undefined, [403, 404, 404, 403, 404]],
  ['POST', '/clusters/nope/privlink/nodes/node-0/stop', {}, [403, 404, 404, 403, 404]],
  ['POST', '/clusters/nope/privlink/nodes/node-0/start', {}, [403, 404, 404, 403, 404]],
  ['GET', '/privateEndpoint/AWS/endpointService', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/privateEndpoint/endpointService', {}, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/AWS/endpointService/${S}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/AWS/endpointService/${S}`, undefined, [403, 404, 403, 403, 404]],
  ['POST', `/privateEndpoint/AWS/endpointService/${S}/endpoint`, {}, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/AWS/endpointService/${S}/endpoint/${V}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/AWS/endpointService/${S}/endpoint/${V}`, undefined, [403, 404, 403, 403, 404]],
  ['GET', '/privateEndpoint/AZURE/endpointService', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/privateEndpoint/endpointService', { providerName: 'AZURE' }, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/AZURE/endpointService/${S}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/AZURE/endpointService/${S}`, undefined, [403, 404, 403, 403, 404]],
  ['POST', `/privateEndpoint/AZURE/endpointService/${S}/endpoint`, {}, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/AZURE/endpointService/${S}/endpoint/${Z}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/AZURE/endpointService/${S}/endpoint/${Z}`, undefined, [403, 404, 403, 403, 404]],
  ['GET', '/privateEndpoint/GCP/endpointService', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/privateEndpoint/endpointService', { providerName: 'GCP', portMappingEnabled: 'yes' }, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/GCP/endpointService/${S}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/GCP/endpointService/${S}`, undefined, [403, 404, 403, 403, 404]],
  ['POST', `/privateEndpoint/GCP/endpointService/${S}/endpoint`, {}, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/GCP/endpointService/${S}/endpoint/psc-group`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/GCP/endpointService/${S}/endpoint/psc-group`, undefined, [403, 404, 403, 403, 404]],
  ['GET', '/accessList', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/accessList', {}, [403, 400, 403, 403, 404]],
  ['GET', '/accessList/10.9.9.9', undefined, [404, 404, 404, 403, 404]],
  ['DELETE', '/accessList/10.9.9.9', undefined, [403, 404, 403, 403, 404]],
  ['GET', '/serverless', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/serverless', {}, [403, 400, 403, 403, 404]],
  ['GET', '/serverless/nope', undefined, [404, 404, 404, 403, 404]],
  ['PATCH', '/serverless/nope', {}, [403, 404, 403, 403, 404]],
  ['DELETE', '/serverless/nope', undefined, [403, 404, 403, 403, 404]],
  ['GET', '/privateEndpoint/serverless/instance/nope/endpoint', undefined, [404, 404, 404, 403, 404]],
  ['POST', '/privateEndpoint/serverless/instance/nope/endpoint', { comment: 7 }, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/serverless/instance/nope/endpoint/${S}`, undefined, [404, 404, 404, 403, 404]],
  ['PATCH', `/privateEndpoint/serverless/instance/nope/endpoint/${S}`, {}, [403, 404, 403, 403, 404]],
  ['DELETE', `/privateEndpoint/serverless/instance/nope/endpoint/${S}`, undefined, [403, 404, 403, 403, 404]],
  ['GET', '/privateEndpoint/regionalMode', undefined, [200, 200, 200, 403, 404]],
  ['PATCH', '/privateEndpoint/regionalMode', {}, [403, 400, 403, 403, 404]],
  ['GET', '/events', undefined, [200, 200, 200, 403, 404]],
  ['GET', '/apiKeys', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/apiKeys', {}, [403, 400, 403, 403, 404]],
  ['GET', '/limits', undefined, [200, 200, 200, 403, 404]],
  // Raising a limit is the Organization Owner's (the bootstrap Project Owner is also Organization Owner).
  ['PATCH', '/limits/no.such.limit', {}, [403, 400, 403, 400, 404]],
  ['GET', '/databaseUsers', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/databaseUsers', {}, [403, 400, 403, 403, 404]],
  ['GET', '/databaseUsers/admin/nobody', undefined, [404, 404, 404, 403, 404]],
  ['PATCH', '/databaseUsers/admin/nobody', {}, [403, 404, 403, 403, 404]],
  ['DELETE', '/databaseUsers/admin/nobody', undefined, [403, 404, 403, 403, 404]],
  ['GET', '/privlink/webhooks', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/privlink/webhooks', {}, [403, 400, 403, 403, 404]],
  ['GET', `/privlink/webhooks/${S}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privlink/webhooks/${S}`, undefined, [403, 404, 403, 403, 404]],
  ['POST', `/privlink/webhooks/${S}/enable`, {}, [403, 404, 403, 403, 404]],
  ['GET', `/privlink/webhooks/${S}/deliveries`, undefined, [404, 404, 404, 403, 404]],
];

for (const [method, suffix, body, expected] of MATRIX) {
  test(`${method} /groups/{groupId}${suffix}: RO ${expected[0]}, PO ${expected[1]}, CM ${expected[2]}, OrgOwner-without-role ${expected[3]}, other org ${expected[4]}`, async () => {
    const who: Who[] = ['RO', 'PO', 'CM', 'OO', 'OTHER'];
    for (let i = 0; i < who.length; i++) {
      const res = await keys[who[i]!].request(method, `/api/atlas/v2/groups/${g}${suffix}`, { body });
      assert.equal(res.status, expected[i], `${who[i]}: ${res.text}`);
      const error = res.json as { errorCode?: string; detail?: string } | undefined;
      if (res.status === 403) {
        assert.equal(error?.errorCode, who[i] === 'OO' ? 'NOT_IN_GROUP' : 'USER_UNAUTHORIZED', `${who[i]} 403 code`);
      }
      if (who[i] === 'OTHER') {
        assert.equal(error?.errorCode, 'GROUP_NOT_FOUND');
        // No data leaks: nothing but the id the caller sent.
        assert.ok(!res.text.includes('Project 0') && !res.text.includes(api.bootstrap.orgId), res.text);
      }
    }
  });
}

test('nothing was changed by the refused or invalid writes', async () => {
  const clusters = (await keys.PO.get(`/api/atlas/v2/groups/${g}/clusters`)).json as { totalCount: number };
  assert.equal(clusters.totalCount, 0);
  assert.deepEqual((await keys.PO.get(`/api/atlas/v2/groups/${g}/privateEndpoint/AWS/endpointService`)).json, []);
  assert.deepEqual((await keys.PO.get(`/api/atlas/v2/groups/${g}/privateEndpoint/regionalMode`)).json, { enabled: false });
});

// The role-granting routes × every caller × every role. A route grants only roles of its scope
// (organization routes organization roles, project routes project roles; anything else is 400),
// and only to callers allowed on it, who must hold what they grant. The escalation that matters: a
// Project Owner that is only an Organization Member asking a project route for ORG_OWNER.
const ORG_ROLE_NAMES = ['ORG_OWNER', 'ORG_MEMBER', 'ORG_READ_ONLY', 'ORG_GROUP_CREATOR', 'ORG_BILLING_ADMIN'];
const PROJECT_ROLE_NAMES = ['GROUP_OWNER', 'GROUP_READ_ONLY', 'GROUP_CLUSTER_MANAGER'];
type Granter = 'RO' | 'PO' | 'PO_MEMBER' | 'CM' | 'OO' | 'CREATOR' | 'OTHER';
const GRANTERS: Granter[] = ['RO', 'PO', 'PO_MEMBER', 'CM', 'OO', 'CREATOR', 'OTHER'];
interface GrantRoute {
  readonly name: string;
  readonly scope: 'org' | 'project';
  /** Status for each caller that may not call the route at all. */
  readonly refused: Partial<Record<Granter, number>>;
  readonly success: number;
  request(role: string): { method: string; path: string; body: unknown };
}

describe('role-granting routes', () => {
  let granters: Record<Granter, AtlasClient & { apiKeyId?: string }>;
  let target: string;
  const ORG = () => api.bootstrap.orgId;
  before(async () => {
    granters = {
      RO: keys.RO,
      PO: keys.PO,
      PO_MEMBER: await api.makeKey(ORG(), ['ORG_MEMBER'], [[g, 'GROUP_OWNER']]),
      CM: keys.CM,
      OO: keys.OO,
      CREATOR: await api.makeKey(ORG(), ['ORG_GROUP_CREATOR']),
      OTHER: keys.OTHER,
    };
    target = (await api.makeKey(ORG(), ['ORG_MEMBER'])).apiKeyId;
  });

  const orgRefusals = { RO: 403, PO_MEMBER: 403, CM: 403, CREATOR: 403, OTHER: 404 };
  const keyAdminRefusals = { RO: 403, CM: 403, CREATOR: 403, OTHER: 404 };
  const ROUTES: GrantRoute[] = [
    {
      name: 'POST /orgs/{orgId}/apiKeys',
      scope: 'org',
      refused: orgRefusals,
      success: 200,
      request: (role) => ({ method: 'POST', path: `/orgs/${ORG()}/apiKeys`, body: { desc: 'granted', roles: [role] } }),
    },
    {
      name: 'PATCH /orgs/{orgId}/apiKeys/{id}',
      scope: 'org',
      refused: orgRefusals,
      success: 200,
      request: (role) => ({ method: 'PATCH', path: `/orgs/${ORG()}/apiKeys/${target}`, body: { roles: [role] } }),
    },
    {
      name: 'POST /groups/{groupId}/apiKeys',
      scope: 'project',
      refused: { ...keyAdminRefusals, OO: 403 },
      success: 200,
      request: (role) => ({ method: 'POST', path: `/groups/${g}/apiKeys`, body: { desc: 'granted', roles: [role] } }),
    },
    {
      name: 'POST /groups/{groupId}/apiKeys/{id}',
      scope: 'project',
      refused: keyAdminRefusals,
      success: 204,
      request: (role) => ({ method: 'POST', path: `/groups/${g}/apiKeys/${target}`, body: [{ roles: [role] }] }),
    },
    {
      name: 'PATCH /groups/{groupId}/apiKeys/{id}',
      scope: 'project',
      refused: keyAdminRefusals,
      success: 200,
      request: (role) => ({ method: 'PATCH', path: `/groups/${g}/apiKeys/${target}`, body: { roles: [role] } }),
    },
  ];

  for (const route of ROUTES) {
    test(`${route.name}: every caller × every role`, async () => {
      for (const who of GRANTERS) {
        for (const role of [...ORG_ROLE_NAMES, ...PROJECT_ROLE_NAMES]) {
          const { method, path, body } = route.request(role);
          const res = await granters[who].request(method, `/api/atlas/v2${path}`, { body });
          const inScope = (route.scope === 'org' ? ORG_ROLE_NAMES : PROJECT_ROLE_NAMES).includes(role);
          const expected = route.refused[who] ?? (inScope ? route.success : 400);
          assert.equal(res.status, expected, `${who} granting ${role}: ${res.text}`);
          if (expected === 400) {
            const error = res.json as { errorCode: string; parameters: unknown[] };
            assert.equal(error.errorCode, route.scope === 'org' ? 'INVALID_ROLE' : 'INVALID_ATTRIBUTE', res.text);
            if (route.scope === 'project') assert.deepEqual(error.parameters, ['roles']);
          }
          if (expected === route.success && route.success !== 204) {
            // The key got exactly the role asked for in the route's scope (plus membership for a new project key).
            const granted = (res.json as { roles: Array<{ roleName: string; groupId?: string }> }).roles;
            const names = granted.filter((r) => (route.scope === 'org' ? r.groupId === undefined : r.groupId === g)).map((r) => r.roleName);
            assert.deepEqual(names, [role], `${who} granting ${role}: ${res.text}`);
            if (route.name === 'POST /groups/{groupId}/apiKeys') {
              assert.deepEqual(
                granted.filter((r) => r.groupId === undefined).map((r) => r.roleName),
                ['ORG_MEMBER'],
                res.text,
              );
            }
          }
        }
      }
    });
  }

  test('the escalation is closed: a Project Owner that is only an Organization Member stays one', async () => {
    const attacker = granters.PO_MEMBER;
    const res = await attacker.post(`/api/atlas/v2/groups/${g}/apiKeys`, { desc: 'escalate', roles: ['ORG_OWNER', 'GROUP_OWNER'] });
    assert.equal(res.status, 400, res.text);
    assert.equal((await attacker.post(`/api/atlas/v2/orgs/${ORG()}/apiKeys`, { desc: 'x', roles: ['ORG_OWNER'] })).status, 403);
    assert.equal((await attacker.patch(`/api/atlas/v2/orgs/${ORG()}`, { paymentInformationOnFile: false })).status, 403);
    const self = await attacker.patch(`/api/atlas/v2/orgs/${ORG()}/apiKeys/${(attacker as { apiKeyId: string }).apiKeyId}`, { roles: ['ORG_OWNER'] });
    assert.equal(self.status, 403);
    const keys = (await api.owner.get(`/api/atlas/v2/orgs/${ORG()}/apiKeys?itemsPerPage=500`)).json as {
      results: Array<{ id: string; desc: string; roles: Array<{ roleName: string; groupId?: string }> }>;
    };
    assert.ok(!keys.results.some((k) => k.desc === 'escalate'));
    const own = keys.results.find((k) => k.id === (attacker as { apiKeyId: string }).apiKeyId)!;
    assert.deepEqual(
      own.roles.filter((r) => r.groupId === undefined).map((r) => r.roleName),
      ['ORG_MEMBER'],
    );
  });

  test('POST /groups: the creator becomes Project Owner; only Organization Owners and Project Creators may create', async () => {
    for (const who of GRANTERS) {
      const res = await granters[who].post('/api/atlas/v2/groups', { name: `made by ${who}`, orgId: ORG() });
      const expected = who === 'PO' || who === 'OO' || who === 'CREATOR' ? 201 : who === 'OTHER' ? 404 : 403;
      assert.equal(res.status, expected, `${who}: ${res.text}`);
      if (expected !== 201) continue;
      const project = (res.json as { id: string }).id;
      const mine = await granters[who].get(`/api/atlas/v2/groups/${project}/apiKeys`);
      assert.equal(mine.status, 200, mine.text);
      assert.equal((await granters[who].post(`/api/atlas/v2/groups/${project}/apiKeys`, { desc: 'x', roles: ['ORG_OWNER'] })).status, 400);
    }
  });
});

// The provider account pool (privlink extension, installation-wide): Organization Owners only; a
// body is looked at only after the role was checked.
describe('provider account pool routes', () => {
  const POOL: Array<[string, string, unknown, [number, number, number, number, number]]> = [
    ['GET', '/privlink/providerAccounts', undefined, [403, 200, 403, 200, 404]],
    ['POST', '/privlink/providerAccounts', { name: 'bad name' }, [403, 400, 403, 400, 404]],
    ['POST', '/privlink/providerAccounts/nope/drain', {}, [403, 404, 403, 404, 404]],
    ['GET', '/privlink/capacity', undefined, [403, 200, 403, 200, 404]],
  ];
  for (const [method, path, body, expected] of POOL) {
    test(`${method} /orgs/{orgId}${path}`, async () => {
      const who: Who[] = ['RO', 'PO', 'CM', 'OO', 'OTHER'];
      const got: number[] = [];
      for (const caller of who) {
        const url = `/api/atlas/v2/orgs/${api.bootstrap.orgId}${path}`;
        const res = method === 'GET' ? await keys[caller].get(url) : await keys[caller].post(url, body);
        got.push(res.status);
      }
      assert.deepEqual(got, expected);
    });
  }
});

// Console users (privlink extension): any organization role lists, Organization Owners create and
// delete; the body is looked at only after the role was checked; another organization looks missing.
describe('console user routes', () => {
  const USERS: Array<[string, string, unknown, [number, number, number, number, number]]> = [
    ['GET', '/privlink/consoleUsers', undefined, [200, 200, 200, 200, 404]],
    ['POST', '/privlink/consoleUsers', { username: 'not an email' }, [403, 400, 403, 400, 404]],
    ['DELETE', `/privlink/consoleUsers/${S}`, undefined, [403, 404, 403, 404, 404]],
  ];
  for (const [method, path, body, expected] of USERS) {
    test(`${method} /orgs/{orgId}${path}`, async () => {
      const who: Who[] = ['RO', 'PO', 'CM', 'OO', 'OTHER'];
      const got: number[] = [];
      for (const caller of who) {
        const url = `/api/atlas/v2/orgs/${api.bootstrap.orgId}${path}`;
        const res = method === 'GET' ? await keys[caller].get(url) : method === 'DELETE' ? await keys[caller].delete(url) : await keys[caller].post(url, body);
        got.push(res.status);
      }
      assert.deepEqual(got, expected);
    });
  }
});
