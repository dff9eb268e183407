import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { OAuth2Client } from 'google-auth-library';
import { NetworksClient } from '@google-cloud/compute';
import { sql } from 'kysely';
import { VerifiedTokens } from '../../../src/localcloud/common/verified-tokens.js';
import { authenticate, tokenHash } from '../../../src/localcloud/gcp/auth.js';
import type { StoredProject } from '../../../src/localcloud/gcp/store/control.repository.js';
import { gcpRepositories } from '../../../src/localcloud/gcp/store/repositories.js';
import { gcpDb } from '../../../src/localcloud/gcp/store/schema.js';
import { consumerNetwork, producerService, pscEndpoint, REGION, rejectsWith, startGcp, ZONE, type GcpHarness } from './harness.js';

function signJwt(claims: Record<string, unknown>, key: string, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ iat: now, exp: now + 3600, ...claims })).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

describe('Compute operations, errors, authentication, faults and restarts', () => {
  let h: GcpHarness;
  let token: string;
  /** The token endpoint's answer to a refresh-token grant of `project`. */
  const exchange = (project: { refreshToken: string }) =>
    h.http('POST', '/token', {
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: project.refreshToken }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
  before(async () => {
    h = await startGcp({ operationWaitMs: 200 });
    const answer = await exchange(h.cloud.projects.consumer);
    assert.equal(answer.status, 200);
    assert.equal(answer.body.token_type, 'Bearer');
    token = answer.body.access_token;
  });
  after(async () => h?.close());

  const consumerPath = () => `/compute/v1/projects/${h.cloud.projects.consumer.projectId}`;

  test('an insert answers a compute#operation; wait accepts the body "" and an empty body', async () => {
    const created = await h.http('POST', `${consumerPath()}/global/networks`, {
      authorization: `Bearer ${token}`,
      body: JSON.stringify({ name: 'raw-net', autoCreateSubnetworks: false }),
    });
    assert.equal(created.status, 200);
    assert.equal(created.body.kind, 'compute#operation');
    assert.equal(created.body.operationType, 'insert');
    assert.equal(created.body.targetLink, `${h.cloud.url}${consumerPath()}/global/networks/raw-net`);
    assert.match(created.body.name, /^operation-\d+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+$/);
    assert.match(created.body.id, /^\d+$/);
    const waitPath = `${consumerPath()}/global/operations/${created.body.name}/wait`;
    const quoted = await h.http('POST', waitPath, { authorization: `Bearer ${token}`, body: '""' });
    assert.equal(quoted.status, 200);
    assert.equal(quoted.body.status, 'DONE');
    assert.equal(quoted.body.progress, 100);
    const empty = await h.http('POST', waitPath, { authorization: `Bearer ${token}` });
    assert.equal(empty.body.status, 'DONE');
    const net = await h.http('GET', `${consumerPath()}/global/networks/raw-net`, { authorization: `Bearer ${token}` });
    assert.equal(net.body.kind, 'compute#network');
    assert.equal(net.body.autoCreateSubnetworks, false);
    assert.equal(net.body.selfLink, `${h.cloud.url}${consumerPath()}/global/networks/raw-net`);
  });

  test('with delays an operation is RUNNING, the resource appears when it is DONE, and wait answers RUNNING after its timeout', async () => {
    await h.cloud.setDelays({ networkProvisioning: 30_000 });
    const c = h.clients(h.cloud.projects.consumer);
    const [lro] = (await c.networks.insert({ project: c.project, networkResource: { name: 'slow-net', autoCreateSubnetworks: false } })) as unknown as [
      { latestResponse: { name: string; status: string } },
    ];
    assert.equal(lro.latestResponse.status, 'RUNNING');
    const [running] = await c.globalOperations.wait({ project: c.project, operation: lro.latestResponse.name });
    assert.equal(running.status, 'RUNNING');
    await rejectsWith(c.networks.get({ project: c.project, network: 'slow-net' }), 404);
    h.advance(30_000);
    const [done] = await c.globalOperations.get({ project: c.project, operation: lro.latestResponse.name });
    assert.equal(done.status, 'DONE');
    const [net] = await c.networks.get({ project: c.project, network: 'slow-net' });
    assert.equal(net.name, 'slow-net');
    await h.cloud.setDelays('instant');
  });

  test('a requestId makes an insert idempotent: the same operation comes back', async () => {
    const c = h.clients(h.cloud.projects.consumer);
    const requestId = '6f2a3f1e-1111-4222-8333-944455556666';
    const [first] = (await c.networks.insert({ project: c.project, requestId, networkResource: { name: 'idem-net', autoCreateSubnetworks: false } })) as unknown as [
      { name: string },
    ];
    const [second] = (await c.networks.insert({ project: c.project, requestId, networkResource: { name: 'idem-net', autoCreateSubnetworks: false } })) as unknown as [
      { name: string },
    ];
    assert.equal(second.name, first.name);
    const conflict = await rejectsWith(c.networks.insert({ project: c.project, networkResource: { name: 'idem-net', autoCreateSubnetworks: false } }), 409);
    assert.deepEqual(conflict, {
      error: {
        code: 409,
        message: `The resource 'projects/${c.project}/global/networks/idem-net' already exists`,
        errors: [{ message: `The resource 'projects/${c.project}/global/networks/idem-net' already exists`, domain: 'global', reason: 'alreadyExists' }],
      },
    });
  });

  test('404 and 403 bodies are Compute’s', async () => {
    const c = h.clients(h.cloud.projects.consumer);
    const missing = await rejectsWith(c.forwardingRules.get({ project: c.project, region: REGION, forwardingRule: 'nope' }), 404);
    const resource = `projects/${c.project}/regions/${REGION}/forwardingRules/nope`;
    assert.deepEqual(missing, {
      error: {
        code: 404,
        message: `The resource '${resource}' was not found`,
        errors: [{ message: `The resource '${resource}' was not found`, domain: 'global', reason: 'notFound' }],
      },
    });
    const producerProject = h.cloud.projects.producer.projectId;
    const forbidden = await rejectsWith(c.networks.list({ project: producerProject }), 403);
    assert.equal(forbidden.error.errors[0]!.reason, 'forbidden');
    assert.equal(forbidden.error.message, `Required 'compute.networks.list' permission for 'projects/${producerProject}/global/networks'`);
  });

  test('an access token verified once is taken from memory until it expires, and refused after', async () => {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: h.cloud.projects.consumer.refreshToken }).toString();
    const own = (await h.http('POST', '/token', { body: form, contentType: 'application/x-www-form-urlencoded' })).body.access_token as string;
    const repos = gcpRepositories(gcpDb(h.testStore.store));
    const verified = new VerifiedTokens<StoredProject>();
    const now = new Date();
    const auth = (at: Date, cache?: VerifiedTokens<StoredProject>) =>
      authenticate({ repos, baseUrl: h.cloud.url, now: at, ...(cache ? { verified: cache } : {}) }, `Bearer ${own}`);
    assert.equal((await auth(now, verified)).projectId, h.cloud.projects.consumer.projectId);
    const stored = await repos.control.findToken(tokenHash(own));
    assert.ok(stored);
    // Gone from the store (as after its expiry), the token is still known to this process...
    await sql`delete from lc_gcp_tokens where token_hash = ${tokenHash(own)}`.execute(h.testStore.store.db);
    assert.equal((await auth(now, verified)).projectId, h.cloud.projects.consumer.projectId);
    await assert.rejects(auth(now), (error: Error & { status?: number }) => error.status === 401);
    // ...but not past its expiry.
    await assert.rejects(auth(new Date(stored.expiresAt.getTime() + 1), verified), (error: Error & { status?: number }) => error.status === 401);
  });

  test('a self-signed JWT verified once is taken from memory until its lifetime and skew end, and refused after', async () => {
    const project = await h.cloud.createProject('jwt-memory');
    const key = project.serviceAccountKey;
    const jwt = signJwt({ iss: key.client_email, sub: key.client_email, aud: 'https://compute.googleapis.com/' }, key.private_key, key.private_key_id);
    const exp = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).exp as number;
    const repos = gcpRepositories(gcpDb(h.testStore.store));
    const verified = new VerifiedTokens<StoredProject>();
    const auth = (at: Date, cache?: VerifiedTokens<StoredProject>) =>
      authenticate({ repos, baseUrl: h.cloud.url, now: at, ...(cache ? { verified: cache } : {}) }, `Bearer ${jwt}`);
    const now = new Date();
    assert.equal((await auth(now, verified)).projectId, project.projectId);
    // With its key gone from the store the JWT no longer verifies, but this process knows it...
    await sql`delete from lc_gcp_projects where project_id = ${project.projectId}`.execute(h.testStore.store.db);
    await assert.rejects(auth(now), (error: Error & { status?: number }) => error.status === 401);
    assert.equal((await auth(now, verified)).projectId, project.projectId);
    // ...until its lifetime and the five minutes of skew have passed.
    assert.equal((await auth(new Date((exp + 299) * 1000), verified)).projectId, project.projectId);
    await assert.rejects(auth(new Date((exp + 300) * 1000), verified), (error: Error & { status?: number }) => error.status === 401);
  });

  test('401 without credentials, with an unknown token and with a JWT of an unknown key', async () => {
    const none = await h.http('GET', `${consumerPath()}/global/networks`);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.errors[0].reason, 'required');
    assert.equal((await h.http('GET', `${consumerPath()}/global/networks`, { authorization: 'Bearer ya29.unknown' })).status, 401);
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const key = h.cloud.projects.consumer.serviceAccountKey;
    const forged = signJwt({ iss: key.client_email, sub: key.client_email, aud: 'https://compute.googleapis.com/' }, privateKey, key.private_key_id);
    const answer = await h.http('GET', `${consumerPath()}/global/networks`, { authorization: `Bearer ${forged}` });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error.errors[0].reason, 'authError');
  });

  test('the token endpoint serves the refresh-token grant (OAuth2Client) and the JWT-bearer grant', async () => {
    const consumer = h.cloud.projects.consumer;
    const auth = new OAuth2Client({ clientId: consumer.serviceAccountKey.client_id, clientSecret: 'unused', endpoints: { oauth2TokenUrl: `${h.cloud.url}/token` } });
    auth.setCredentials({ refresh_token: consumer.refreshToken });
    const client = new NetworksClient({ apiEndpoint: h.cloud.host, port: h.cloud.port, protocol: 'http', authClient: auth, projectId: consumer.projectId });
    const [networks] = await client.list({ project: consumer.projectId });
    assert.ok(networks.some((n) => n.name === 'raw-net'));
    const key = consumer.serviceAccountKey;
    const assertion = signJwt(
      { iss: key.client_email, scope: 'https://www.googleapis.com/auth/cloud-platform', aud: 'https://oauth2.googleapis.com/token' },
      key.private_key,
      key.private_key_id,
    );
    const form = new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString();
    const granted = await h.http('POST', '/token', { body: form, contentType: 'application/x-www-form-urlencoded' });
    assert.equal(granted.status, 200);
    assert.equal((await h.http('GET', `${consumerPath()}/global/networks`, { authorization: `Bearer ${granted.body.access_token}` })).status, 200);
    const bad = await h.http('POST', '/token', {
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'nope' }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.deepEqual([bad.status, bad.body.error], [400, 'invalid_grant']);
  });

  test('a NUL character (U+0000) in a body, path or query is 400 invalid, never a 500', async () => {
    const authorization = `Bearer ${token}`;
    const body = await h.http('POST', `${consumerPath()}/global/networks`, {
      authorization,
      body: JSON.stringify({ name: 'nul-net', description: 'a\u0000b', autoCreateSubnetworks: false }),
    });
    assert.deepEqual([body.status, body.body.error.errors[0].reason], [400, 'invalid']);
    assert.match(body.body.error.message, /U\+0000/);
    assert.equal((await h.http('GET', `${consumerPath()}/global/networks/a%00b`, { authorization })).status, 400);
    assert.equal((await h.http('GET', `${consumerPath()}/global/networks?filter=name%3D%22%00%22`, { authorization })).status, 400);
    assert.equal((await h.http('GET', `${consumerPath()}/global/networks/nul-net`, { authorization })).status, 404, 'nothing was made');
  });

  test('listings page with maxResults and nextPageToken, which the client follows, and take simple filters', async () => {
    const c = h.clients(h.cloud.projects.consumer);
    const page = await h.http('GET', `${consumerPath()}/global/networks?maxResults=1`, { authorization: `Bearer ${token}` });
    assert.equal(page.body.kind, 'compute#networkList');
    assert.equal(page.body.items.length, 1);
    assert.ok(page.body.nextPageToken);
    const names = [];
    for await (const n of c.networks.listAsync({ project: c.project, maxResults: 1 })) names.push(n.name);
    assert.deepEqual(names, ['raw-net', 'slow-net', 'idem-net']);
    const [filtered] = await c.networks.list({ project: c.project, filter: 'name = "idem-*"' });
    assert.deepEqual(
      filtered.map((n) => n.name),
      ['idem-net'],
    );
    await rejectsWith(c.networks.list({ project: c.project, filter: 'name > 1' }), 400);
    // A token past any position a listing can have is refused as an invalid one, not a server error.
    for (const position of ['100000000000000000000', '2147483648', '-1']) {
      const pageToken = Buffer.from(position).toString('base64url');
      const refused = await h.http('GET', `${consumerPath()}/global/networks?maxResults=1&pageToken=${pageToken}`, { authorization: `Bearer ${token}` });
      assert.equal(refused.status, 400, position);
      assert.match(refused.body.error.message, /Invalid page token/);
    }
  });

  test('an address in use cannot be deleted; a stale fingerprint is refused; a rule cannot target another region’s attachment', async () => {
    const service = await producerService(h, { name: 'errs' });
    const c = await consumerNetwork(h);
    await pscEndpoint(c, 'ep1', service.attachmentUrl);
    const inUse = await rejectsWith(c.addresses.delete({ project: c.project, region: REGION, address: 'ep1-ip' }), 400);
    assert.equal(inUse.error.errors[0]!.reason, 'resourceInUseByAnotherResource');
    assert.equal(
      inUse.error.message,
      `The address resource 'projects/${c.project}/regions/${REGION}/addresses/ep1-ip' is already being used by 'projects/${c.project}/regions/${REGION}/forwardingRules/ep1'`,
    );
    const p = h.clients(h.cloud.projects.producer);
    const stale = await rejectsWith(
      p.serviceAttachments.patch({
        project: p.project,
        region: REGION,
        serviceAttachment: 'errs',
        serviceAttachmentResource: { fingerprint: 'AAAAAAAAAAA=', consumerRejectLists: [] },
      }),
      412,
    );
    assert.equal(stale.error.errors[0]!.reason, 'conditionNotMet');
    const wrongRegion = await rejectsWith(
      c.forwardingRules.insert({
        project: c.project,
        region: 'europe-west1',
        forwardingRuleResource: { name: 'ep2', target: service.attachmentUrl, network: 'global/networks/app-net', IPAddress: '10.20.1.9' },
      }),
      400,
    );
    assert.equal(wrongRegion.error.errors[0]!.reason, 'invalid');
    await c.done(c.forwardingRules.delete({ project: c.project, region: REGION, forwardingRule: 'ep1' }));
    const [address] = await c.addresses.get({ project: c.project, region: REGION, address: 'ep1-ip' });
    assert.equal(address.status, 'RESERVED');
  });

  test("labels: kept within Compute's rules, refused beyond them with its wording, changed by setLabels only with the current labelFingerprint", async () => {
    const c = h.clients(h.cloud.projects.consumer);
    await c.done(c.networks.insert({ project: c.project, networkResource: { name: 'label-net', autoCreateSubnetworks: false } }));
    await c.done(
      c.subnetworks.insert({ project: c.project, region: REGION, subnetworkResource: { name: 'label-subnet', network: 'global/networks/label-net', ipCidrRange: '10.30.1.0/24' } }),
    );
    const address = (name: string, labels?: Record<string, string>) =>
      c.addresses.insert({
        project: c.project,
        region: REGION,
        addressResource: { name, addressType: 'INTERNAL', subnetwork: `regions/${REGION}/subnetworks/label-subnet`, ...(labels ? { labels } : {}) },
      });
    const get = async (name: string) => (await c.addresses.get({ project: c.project, region: REGION, address: name }))[0];

    // Without labels: none shown, and the fingerprint Compute shows for no labels.
    await c.done(address('bare'));
    const bare = await get('bare');
    assert.deepEqual([bare.labels ?? {}, bare.labelFingerprint], [{}, '42WmSpB8rSM=']);

    const edge = { ...Object.fromEntries(Array.from({ length: 62 }, (_, i) => [`k${i}`, `v${i}`])), ['k'.repeat(63)]: '', 'é_ü-1': '9'.repeat(63) };
    await c.done(address('edge', edge));
    const made = await get('edge');
    assert.deepEqual(made.labels, edge);
    assert.match(made.labelFingerprint ?? '', /^[A-Za-z0-9+/]{11}=$/);
    assert.notEqual(made.labelFingerprint, bare.labelFingerprint);

    const refusals: Array<[string, Record<string, string>, RegExp]> = [
      [
        'upper-key',
        { Env: 'prod' },
        /^Invalid value for field 'resource\.labels': ''\. Label key 'Env' violates format constraints\. The key must start with a lowercase character/,
      ],
      ['digit-key', { '1st': 'a' }, /Label key '1st' violates format constraints/],
      ['long-key', { ['k'.repeat(64)]: 'a' }, /Label key 'k{64}' violates format constraints/],
      ['dot-value', { role: 'head.default' }, /Label value 'head\.default' violates format constraints\. The value can only contain lowercase letters/],
      ['long-value', { role: 'v'.repeat(64) }, /Label value 'v{64}' violates format constraints/],
      ['too-many', Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, ''])), /at most 64 labels/],
    ];
    for (const [name, labels, message] of refusals) {
      const refused = await rejectsWith(address(name, labels), 400);
      assert.equal(refused.error.errors[0]!.reason, 'invalid', name);
      assert.match(refused.error.message, message, name);
      await rejectsWith(get(name), 404);
    }

    // setLabels replaces the labels when given the current fingerprint, and only then.
    const request = (labels: Record<string, string>, labelFingerprint: string | undefined) =>
      c.addresses.setLabels({ project: c.project, region: REGION, resource: 'bare', regionSetLabelsRequestResource: { labels, labelFingerprint } });
    await c.done(request({ team: 'data' }, bare.labelFingerprint!));
    const labelled = await get('bare');
    assert.deepEqual(labelled.labels, { team: 'data' });
    // A listing filters by a label, as Compute's filter expressions do.
    const [byLabel] = await c.addresses.list({ project: c.project, region: REGION, filter: 'labels.team = data' });
    assert.deepEqual(
      byLabel.map((a) => a.name),
      ['bare'],
    );
    assert.notEqual(labelled.labelFingerprint, bare.labelFingerprint);
    const stale = await rejectsWith(request({ team: 'other' }, bare.labelFingerprint!), 412);
    assert.equal(stale.error.errors[0]!.reason, 'conditionNotMet');
    assert.equal(stale.error.message, 'Labels fingerprint either invalid or resource labels have changed');
    assert.equal((await rejectsWith(request({ team: 'other' }, undefined), 400)).error.errors[0]!.reason, 'required');
    assert.match((await rejectsWith(request({ Team: 'x' }, labelled.labelFingerprint!), 400)).error.message, /^Invalid value for field 'labels': ''\. Label key 'Team'/);
    assert.deepEqual((await get('bare')).labels, { team: 'data' });
    await c.done(request({}, labelled.labelFingerprint!));
    const cleared = await get('bare');
    assert.deepEqual([cleared.labels ?? {}, cleared.labelFingerprint], [{}, '42WmSpB8rSM=']);
    // The address (and its labels) is otherwise unchanged: the same IP, still reserved.
    assert.deepEqual([cleared.address, cleared.status], [bare.address, 'RESERVED']);
  });

  test('a throttle fault answers 429 rateLimitExceeded, then the method works again', async () => {
    await h.cloud.setFault('compute.networks.get', { kind: 'throttle', times: 1 });
    const throttled = await h.http('GET', `${consumerPath()}/global/networks/raw-net`, { authorization: `Bearer ${token}` });
    assert.equal(throttled.status, 429);
    assert.equal(throttled.body.error.errors[0].reason, 'rateLimitExceeded');
    assert.equal((await h.http('GET', `${consumerPath()}/global/networks/raw-net`, { authorization: `Bearer ${token}` })).status, 200);
    await h.cloud.setFault('compute.forwardingRules.insert', { kind: 'error', status: 503, code: 'backendError', message: 'Internal error.' });
    const c = h.clients(h.cloud.projects.consumer);
    const failed = await rejectsWith(c.forwardingRules.insert({ project: c.project, region: REGION, forwardingRuleResource: { name: 'x' } }), 503);
    assert.equal(failed.error.errors[0]!.reason, 'backendError');
    await h.cloud.setFault('compute.forwardingRules.insert', null);
  });

  test('a field whose value cannot be turned into text (an object naming its own toString) answers 400 in every insert', async () => {
    const P = { toString: 1, valueOf: 1 };
    const net = `projects/${h.cloud.projects.consumer.projectId}/global/networks/raw-net`;
    const fields: Record<string, unknown> = {
      name: P,
      network: P,
      subnetwork: P,
      ipCidrRange: P,
      addressType: P,
      address: P,
      target: P,
      IPAddress: P,
      loadBalancingScheme: P,
      backendService: P,
      allowed: P,
      denied: P,
      sourceRanges: P,
      priority: P,
      direction: P,
      networkEndpointType: P,
      defaultPort: P,
      backends: P,
      targetService: P,
      natSubnets: P,
      consumerAcceptLists: P,
      consumerRejectLists: P,
      connectionPreference: P,
      enableProxyProtocol: P,
      labels: P,
      description: P,
      mtu: P,
      IPv4Range: P,
      autoCreateSubnetworks: P,
      ports: P,
      allPorts: P,
      IPProtocol: P,
      purpose: P,
      region: P,
    };
    const nested: Array<Record<string, unknown>> = [
      { backends: [{ group: P, balancingMode: P }] },
      { allowed: [{ IPProtocol: P, ports: [P] }] },
      { consumerAcceptLists: [{ projectIdOrNum: P, connectionLimit: P, networkUrl: P }] },
      { natSubnets: [P] },
      { labels: { a: P } },
      { sourceRanges: [P] },
    ];
    const bodies = [...Object.entries(fields).map(([k, v]) => ({ [k]: v })), ...nested].map((b, i) => ({ name: `poison-${i}`, network: net, ...b }));
    const failures: string[] = [];
    for (const collection of [
      'global/networks',
      'global/firewalls',
      ...['subnetworks', 'addresses', 'forwardingRules', 'networkEndpointGroups', 'backendServices', 'serviceAttachments'].map((c) => `regions/${REGION}/${c}`),
    ]) {
      for (const body of bodies) {
        const answer = await h.http('POST', `${consumerPath()}/${collection}`, { authorization: `Bearer ${token}`, body: JSON.stringify(body) });
        if (answer.status >= 500) failures.push(`${collection} ${JSON.stringify(body)} → ${answer.status}`);
      }
    }
    // The same in a patch and in each custom method, on resources that exist.
    await producerService(h, { name: 'poison' });
    const producer = `/compute/v1/projects/${h.cloud.projects.producer.projectId}`;
    const auth = { authorization: `Bearer ${(await exchange(h.cloud.projects.producer)).body.access_token}` };
    const neg = `${producer}/zones/${ZONE}/networkEndpointGroups/poison-nodes`;
    const regional = `${producer}/regions/${REGION}`;
    // Each patch carries the resource's own fingerprint, so that its fields are read.
    const read = async (path: string) => (await h.http('GET', path, auth)).body as { fingerprint: string; labelFingerprint: string };
    const attachment = await read(`${regional}/serviceAttachments/poison`);
    const backend = await read(`${regional}/backendServices/poison-bs`);
    const ilb = await read(`${regional}/forwardingRules/poison-ilb`);
    const writes: Array<[string, string, unknown]> = [
      ['POST', `${neg}/attachNetworkEndpoints`, { networkEndpoints: [{ ipAddress: P, port: P }] }],
      ['POST', `${neg}/attachNetworkEndpoints`, { networkEndpoints: [{ ipAddress: '10.10.1.12', port: P }] }],
      ['POST', `${neg}/detachNetworkEndpoints`, { networkEndpoints: [P] }],
      ['POST', `${regional}/forwardingRules/poison-ilb/setLabels`, { labels: { a: P }, labelFingerprint: ilb.labelFingerprint }],
      ['POST', `${regional}/forwardingRules/poison-ilb/setLabels`, { labels: P, labelFingerprint: ilb.labelFingerprint }],
      ['PATCH', `${regional}/serviceAttachments/poison`, { fingerprint: attachment.fingerprint, consumerAcceptLists: [{ projectIdOrNum: P, connectionLimit: P }] }],
      ['PATCH', `${regional}/serviceAttachments/poison`, { fingerprint: attachment.fingerprint, consumerRejectLists: [P], enableProxyProtocol: P }],
      ['PATCH', `${regional}/serviceAttachments/poison`, { fingerprint: attachment.fingerprint, name: P }],
      ['PATCH', `${regional}/backendServices/poison-bs`, { fingerprint: backend.fingerprint, backends: [{ group: P }] }],
    ];
    for (const [method, path, body] of writes) {
      const answer = await h.http(method, path, { ...auth, body: JSON.stringify(body) });
      if (answer.status >= 500 || answer.status < 400) failures.push(`${method} ${path} ${JSON.stringify(body)} → ${answer.status}`);
    }
    assert.deepEqual(failures, []);
  });

  test('a restart keeps projects, resources, operations and issued tokens', async () => {
    const before = h.cloud.projects;
    await h.restart();
    assert.deepEqual(
      { producer: h.cloud.projects.producer.projectId, consumer: h.cloud.projects.consumer.projectId, key: h.cloud.projects.consumer.serviceAccountKey.private_key_id },
      { producer: before.producer.projectId, consumer: before.consumer.projectId, key: before.consumer.serviceAccountKey.private_key_id },
    );
    const c = h.clients(h.cloud.projects.consumer);
    const [net] = await c.networks.get({ project: c.project, network: 'raw-net' });
    assert.equal(net.selfLink, `${h.cloud.url}${consumerPath()}/global/networks/raw-net`);
    assert.equal((await h.http('GET', `${consumerPath()}/global/networks`, { authorization: `Bearer ${token}` })).status, 200);
  });
});
