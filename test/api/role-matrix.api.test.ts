import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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
// [method, path under /api/atlas/v2/groups/{g}, body, expected status for RO, PO, CM, OO, OTHER]
const MATRIX: Array<[string, string, unknown, [number, number, number, number, number]]> = [
  ['GET', '', undefined, [200, 200, 200, 200, 404]],
  ['GET', '/clusters', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/clusters', {}, [403, 400, 400, 403, 404]],
  ['GET', '/clusters/nope', undefined, [404, 404, 404, 403, 404]],
  ['PATCH', '/clusters/nope', {}, [403, 404, 404, 403, 404]],
  ['DELETE', '/clusters/nope', undefined, [403, 404, 404, 403, 404]],
  ['GET', '/privateEndpoint/AWS/endpointService', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/privateEndpoint/endpointService', {}, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/AWS/endpointService/${S}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/AWS/endpointService/${S}`, undefined, [403, 404, 403, 403, 404]],
  ['POST', `/privateEndpoint/AWS/endpointService/${S}/endpoint`, {}, [403, 400, 403, 403, 404]],
  ['GET', `/privateEndpoint/AWS/endpointService/${S}/endpoint/${V}`, undefined, [404, 404, 404, 403, 404]],
  ['DELETE', `/privateEndpoint/AWS/endpointService/${S}/endpoint/${V}`, undefined, [403, 404, 403, 403, 404]],
  ['GET', '/privateEndpoint/regionalMode', undefined, [200, 200, 200, 403, 404]],
  ['PATCH', '/privateEndpoint/regionalMode', {}, [403, 400, 403, 403, 404]],
  ['GET', '/events', undefined, [200, 200, 200, 403, 404]],
  ['GET', '/apiKeys', undefined, [200, 200, 200, 403, 404]],
  ['POST', '/apiKeys', {}, [403, 400, 403, 403, 404]],
  ['GET', '/limits', undefined, [200, 200, 200, 403, 404]],
  // Raising a limit is the Organization Owner's (the bootstrap Project Owner is also Organization Owner).
  ['PATCH', '/limits/no.such.limit', {}, [403, 400, 403, 400, 404]],
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
