import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AtlasResponse } from '../../src/client/atlas-client.js';
import { expireAccessListEntries } from '../../src/app/access-list.service.js';
import { reader } from '../../src/app/app-context.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';

// The project IP access list through the Admin API: Atlas's NetworkPermissionEntry shapes, the
// paginated list, one entry by address / URL-encoded CIDR / security group, delete, errors from the
// catalogue, and temporary entries that disappear at their deleteAfterDate.
let api: ApiHarness;
let v2: string;

before(async () => {
  api = await startApi();
  v2 = `/api/atlas/v2/groups/${api.bootstrap.projectId}/accessList`;
});
after(async () => api?.close());

function code(res: AtlasResponse): string {
  return (res.json as { errorCode?: string }).errorCode ?? `(no error: ${res.status})`;
}

describe('project IP access list', () => {
  test('POST adds entries and answers the whole list in PaginatedNetworkAccessView', async () => {
    const res = await api.owner.post(v2, [
      { ipAddress: '127.0.0.1', comment: 'this host' },
      { cidrBlock: '10.1.2.3/16', comment: 'office' },
      { awsSecurityGroup: 'sg-903004f8' },
      { cidrBlock: '2001:db8:0:0:1::/64' },
    ]);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    const body = res.json as { results: Record<string, unknown>[]; totalCount: number; links: unknown[] };
    assert.equal(body.totalCount, 4);
    const g = api.bootstrap.projectId;
    const byKey = new Map(body.results.map((r) => [String(r.cidrBlock ?? r.awsSecurityGroup), r]));
    assert.deepEqual(byKey.get('127.0.0.1/32'), {
      cidrBlock: '127.0.0.1/32',
      comment: 'this host',
      groupId: g,
      ipAddress: '127.0.0.1',
      links: [{ href: `${api.url}/api/atlas/v2/groups/${g}/accessList/127.0.0.1%2F32`, rel: 'self' }],
    });
    assert.deepEqual(Object.keys(byKey.get('10.1.0.0/16')!), ['cidrBlock', 'comment', 'groupId', 'links']);
    assert.deepEqual(Object.keys(byKey.get('sg-903004f8')!), ['awsSecurityGroup', 'groupId', 'links']);
    assert.ok(byKey.has('2001:db8::/64'), 'IPv6 blocks are kept in canonical form');
  });

  test('GET one by address, by URL-encoded CIDR (either case of %2F) and by security group', async () => {
    for (const value of ['127.0.0.1', '127.0.0.1%2F32', '10.1.0.0%2f16', '10.1.0.0%2F16', 'sg-903004f8']) {
      const res = await api.owner.get(`${v2}/${value}`);
      assert.equal(res.status, 200, `${value}: ${JSON.stringify(res.json)}`);
    }
    assert.equal(code(await api.owner.get(`${v2}/192.0.2.1`)), 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND');
    assert.equal(code(await api.owner.get(`${v2}/not-an-address`)), 'INVALID_IP_ADDRESS_OR_CIDR_NOTATION');
  });

  test('POST of an existing entry replaces its comment; the list stays one entry per block', async () => {
    const res = await api.owner.post(v2, [{ cidrBlock: '10.1.0.0/16', comment: 'new office' }]);
    assert.equal(res.status, 200);
    const list = (res.json as { results: { cidrBlock?: string; comment?: string }[] }).results;
    assert.equal(list.filter((e) => e.cidrBlock === '10.1.0.0/16').length, 1);
    assert.equal(list.find((e) => e.cidrBlock === '10.1.0.0/16')!.comment, 'new office');
  });

  test('bad bodies answer Atlas errors, never 5xx', async () => {
    const cases: Array<[unknown, string]> = [
      [{ cidrBlock: '10.0.0.0/8' }, 'INVALID_JSON'],
      [[], 'MISSING_ATTRIBUTE'],
      [[{ comment: 'nothing' }], 'MISSING_ATTRIBUTE'],
      [[{ cidrBlock: '10.0.0.0/8', ipAddress: '10.0.0.1' }], 'INVALID_ATTRIBUTE'],
      [[{ cidrBlock: '10.0.0.0/33' }], 'INVALID_IP_ADDRESS_OR_CIDR_NOTATION'],
      [[{ ipAddress: '300.1.1.1' }], 'INVALID_IP_ADDRESS_OR_CIDR_NOTATION'],
      [[{ ipAddress: 7 }], 'INVALID_ATTRIBUTE'],
      [[{ cidrBlock: '10.0.0.0/8', comment: 'x'.repeat(81) }], 'INVALID_ATTRIBUTE'],
      [[{ cidrBlock: '10.0.0.0/8', deleteAfterDate: 'tomorrow' }], 'INVALID_ATTRIBUTE'],
      [[{ cidrBlock: '10.0.0.0/8', deleteAfterDate: new Date(Date.now() - 60_000).toISOString() }], 'INVALID_ATTRIBUTE'],
      [[{ cidrBlock: '10.0.0.0/8', deleteAfterDate: new Date(Date.now() + 8 * 86_400_000).toISOString() }], 'INVALID_ATTRIBUTE'],
      [[{ awsSecurityGroup: 'sg-1234', deleteAfterDate: new Date(Date.now() + 60_000).toISOString() }], 'INVALID_ATTRIBUTE'],
      [[{ cidrBlock: '10.0.0.0/8', surprise: true }], 'INVALID_ATTRIBUTE'],
    ];
    for (const [body, expected] of cases) {
      const res = await api.owner.post(v2, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(code(res), expected, JSON.stringify(body));
    }
    const list = await api.owner.get(v2);
    assert.ok(!(list.json as { results: { cidrBlock?: string }[] }).results.some((e) => e.cidrBlock === '10.0.0.0/8'), 'nothing was added');
  });

  test('DELETE answers 204, then the entry is gone (404 on a second DELETE)', async () => {
    const del = await api.owner.delete(`${v2}/10.1.0.0%2F16`);
    assert.equal(del.status, 204);
    assert.equal(code(await api.owner.get(`${v2}/10.1.0.0%2F16`)), 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND');
    assert.equal(code(await api.owner.delete(`${v2}/10.1.0.0%2F16`)), 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND');
  });

  test('a temporary entry is listed until its deleteAfterDate, then gone; the sweep removes its row', async () => {
    const deleteAfterDate = new Date(Date.now() + 1500).toISOString();
    const res = await api.owner.post(v2, [{ ipAddress: '198.51.100.7', deleteAfterDate }]);
    assert.equal(res.status, 200);
    const entry = await api.owner.get(`${v2}/198.51.100.7`);
    assert.equal(entry.status, 200);
    assert.equal((entry.json as { deleteAfterDate: string }).deleteAfterDate, deleteAfterDate.replace(/\.\d{3}Z$/, 'Z'));
    await new Promise((resolve) => setTimeout(resolve, 1700));
    assert.equal(code(await api.owner.get(`${v2}/198.51.100.7`)), 'ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND');
    const list = (await api.owner.get(v2)).json as { results: { cidrBlock?: string }[] };
    assert.ok(!list.results.some((e) => e.cidrBlock === '198.51.100.7/32'));
    assert.deepEqual(await expireAccessListEntries(api.ctx), [api.bootstrap.projectId]);
    assert.equal(await reader(api.ctx).accessList.find(api.bootstrap.projectId, '198.51.100.7/32'), undefined);
  });
});
