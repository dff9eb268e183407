import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { newObjectId } from '../../src/domain/object-id.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { envelopeOf, plainRequest, type RawResponse } from '../support/raw-http.js';

// Every route of the API, enumerated from the Fastify instance, with random path parameters,
// query strings and bodies, over real HTTP with Digest auth (Organization Owner + Project Owner)
// or without credentials. Never a 5xx; every answer that is not a success is Atlas's envelope as
// application/json (App Services' {error, error_code} under /api/admin/v3.0). A fixed number of runs; the seed is printed, and PRIVLINK_FUZZ_SEED replays one.
const RUNS = Number(process.env.PRIVLINK_FUZZ_RUNS ?? 500);
const SEED = Number(process.env.PRIVLINK_FUZZ_SEED ?? Date.now() % 2 ** 31);
let api: ApiHarness;
let routes: Array<{ method: string; path: string }>;

before(async () => {
  api = await startApi();
  routes = routesOf(api.app.printRoutes({ commonPrefix: false })).filter((r) => r.method !== 'HEAD');
});
after(async () => api?.close());

/** Full paths and methods from Fastify's route tree (`└── /segment (GET, POST)`, 4 columns a level). */
function routesOf(tree: string): Array<{ method: string; path: string }> {
  const stack: string[] = [];
  const out: Array<{ method: string; path: string }> = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ├└─]*?)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const level = match[1]!.length / 4;
    stack.length = level;
    const path = (stack[level - 1] ?? '') + match[2]!;
    stack.push(path);
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean))
      out.push({ method, path });
  }
  return out;
}

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('\u0000', 'a\u0000b', '', ' ', '..', 'AWS', 'AZURE', 'us-east-1', 'Cluster0', '2023-01-01', '-004713-01-01', '+275760-09-13', 'true', '-1', '1e999'),
  fc.integer({ min: 1000, max: 1100 }).map((n) => 'x'.repeat(n)),
);
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('ID', 'ORG', 'KEY', 'OID', 'AWS', 'Cluster0', 'vpce-0123456789abcdef0', 'atlas.project.deployment.nodesPerPrivateLinkRegion') },
  { weight: 4, arbitrary: text.filter((t) => t.length > 0).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%00', '%ZZ', '%', '%E0%A4%A', '%C0%AF', 'a%2Fb', '%F0%9F%98%80') },
);
const query = fc.dictionary(
  fc.oneof(fc.constantFrom('pageNum', 'itemsPerPage', 'includeCount', 'envelope', 'pretty', 'minDate', 'maxDate', 'eventType'), fc.string({ maxLength: 8 })),
  fc.oneof(text, fc.constantFrom('true', '0', '1', '500', '501', '99999999999999999999')),
  { maxKeys: 4 },
);
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'name',
        'desc',
        'roles',
        'providerName',
        'region',
        'id',
        'value',
        'enabled',
        'orgId',
        'clusterType',
        'replicationSpecs',
        'regionConfigs',
        'regionName',
        'toString',
        'valueOf',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;
const body = fc.oneof(
  fc.constant(undefined),
  jsonish.map((v) => JSON.stringify(v) ?? 'null'),
  fc.integer({ min: 1, max: 200_000 }).map((n) => `{"roles":${'['.repeat(n)}${']'.repeat(n)}}`),
  fc.constantFrom(
    '{bad',
    '1e999',
    '{"value":1e999}',
    '{"name":-1e400}',
    '{"value":123456789012345678901234567890}',
    '[]',
    '"s"',
    '{"name":"a\\u0000b"}',
    '\u0000',
    '{"__proto__":{"x":1}}',
  ),
  fc.string({ maxLength: 50 }),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/vnd.atlas.2023-01-01+json',
  'application/vnd.atlas.2024-08-05+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  undefined,
);
const accept = fc.oneof(
  { weight: 5, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('application/json', '*/*', 'application/vnd.atlas.preview+json', 'application/vnd.atlas.1999-01-01+json', 'text/html') },
);

const request = fc.record({
  route: fc.nat(),
  segments: fc.array(segment, { minLength: 6, maxLength: 6 }),
  query,
  body,
  contentType,
  accept,
  authenticated: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
});

test(`fuzz: no 5xx and the envelope on every error, ${RUNS} requests (seed ${SEED})`, async () => {
  console.log(`fuzz seed ${SEED} (replay with PRIVLINK_FUZZ_SEED=${SEED}); ${routes.length} routes`);
  assert.ok(routes.length >= 50, `only ${routes.length} routes found`);
  const ids: Record<string, string> = { ID: api.bootstrap.projectId, ORG: api.bootstrap.orgId, KEY: api.bootstrap.apiKeyId, OID: newObjectId() };
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const route = routes[r.route % routes.length]!;
      let i = 0;
      const path = route.path.replace(/:[A-Za-z]+/g, () => {
        const value = r.segments[i++ % r.segments.length]!;
        return ids[value] ?? value;
      });
      const search = Object.entries(r.query)
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        .join('&');
      const url = search ? `${path}?${search}` : path;
      const headers: Record<string, string> = {};
      if (r.contentType) headers['content-type'] = r.contentType;
      if (r.accept) headers.accept = r.accept;
      const res: RawResponse = r.authenticated
        ? await api.owner.request(route.method, url, { headers, ...(r.body !== undefined ? { rawBody: r.body } : {}) }).then((x) => ({
            status: x.status,
            headers: Object.fromEntries(Object.entries(x.headers).map(([k, v]) => [k, String(v)])),
            text: x.text,
          }))
        : await plainRequest(api.url, route.method, url, { headers, ...(r.body !== undefined ? { body: r.body } : {}) });
      const where = `${route.method} ${url.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
      assert.ok(res.status < 500, where);
      if (res.status >= 300) {
        assert.match(res.headers['content-type'] ?? '', /^application\/json/, where);
        if (path.startsWith('/api/admin/v3.0/')) {
          // The App Services flavour answers in its own shape, {error, error_code}; what the HTTP
          // parser refuses before any path is known keeps the first flavour's (Atlas's) envelope.
          const body = JSON.parse(res.text) as { error?: unknown; error_code?: unknown };
          if (typeof body.error_code !== 'string') assert.equal(envelopeOf(res.text).error, res.status, where);
          else assert.equal(typeof body.error, 'string', where);
        } else {
          const envelope = envelopeOf(res.text);
          assert.equal(envelope.error, res.status, where);
        }
      }
    }),
    { numRuns: RUNS, seed: SEED, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false },
  );
});

/**
 * A JSON object can name its own `toString` and `valueOf`: `String()` and template literals throw
 * on such a value. Every body route gets it in every attribute it may read, at the top level and
 * in the nested shapes Atlas's bodies have; no answer may be a 5xx.
 */
test('a value that cannot be turned into text, in any attribute of any body: never a 5xx', async (t) => {
  // Its own API (the same routes), with authenticated keys cached: thousands of requests, each one's credentials read once.
  const api = await startApi({ authCacheMs: 600_000 });
  t.after(() => api.close());
  const P = { toString: 1, valueOf: 1 };
  const keys = `name desc id roles regionName providerName region orgId clusterType type databaseName username password comment description
    deleteAfterDate cloudProviderEndpointId cidrBlock ipAddress awsSecurityGroup kind roleName groupId email country instanceSize nodeCount
    backingProviderName endpointType endpointGroupName gcpProjectId privateEndpointIPAddress privateEndpointIpAddress portMappingEnabled
    enabled value url mongoDBMajorVersion terminationProtectionEnabled paused readPreference zoneName collectionName labels tags key
    accessKeyId secretAccessKey tenantId subscriptionId clientId clientSecret serviceAccountKey roleArn accountId environment location
    deployment_model provider_region endpoint_type cloud_provider_endpoint_id cloud_provider_region allow_non_vpc_client_requests
    address entryKey connectionStrings ldapAuthType x509Type awsIAMType oidcAuthType`.split(/\s+/);
  const flat: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, P]));
  const nested: Record<string, unknown> = {
    ...flat,
    providerSettings: flat,
    roles: [flat, P],
    scopes: [flat],
    labels: [flat],
    tags: [flat],
    endpoints: [flat],
    replicationSpecs: [{ ...flat, regionConfigs: [{ ...flat, electableSpecs: flat, readOnlySpecs: flat, analyticsSpecs: flat }], regionsConfig: { US_EAST_1: flat } }],
    biConnector: flat,
    data_source: flat,
    config: flat,
  };
  // Each attribute alone poisoned, beside a name alone (bodies that refuse attributes they do not
  // know) and beside plausible values for the rest (so that checks behind the first reach it).
  // Each body names a new cluster, user or instance, so that none is refused as a duplicate first.
  let made = 0;
  const named = (): Record<string, unknown> => ({ name: `poison${made++}` });
  const plausible = (): Record<string, unknown> => ({
    ...named(),
    username: `poison-user-${made++}`,
    password: 'a-long-enough-password',
    databaseName: 'admin',
    providerName: 'AWS',
    region: 'us-east-1',
    regionName: 'US_EAST_1',
    clusterType: 'REPLICASET',
    roles: [{ roleName: 'readAnyDatabase', databaseName: 'admin' }],
    ipAddress: '10.1.2.3',
    comment: 'c',
    id: 'vpce-0123456789abcdef0',
    kind: 'AWS_ACCESS_KEY',
    email: 'a@example.com',
    desc: 'd',
    type: 'CLUSTER',
    enabled: true,
  });
  const bodies: unknown[] = [flat, nested, [flat], [nested], P];
  for (const k of keys) bodies.push({ ...named(), [k]: P });
  for (const k of Object.keys(plausible())) bodies.push({ ...plausible(), [k]: P });
  const settings = { providerName: 'SERVERLESS', backingProviderName: 'AWS', regionName: 'US_EAST_1' };
  for (const inner of ['providerName', 'backingProviderName', 'regionName', 'instanceSizeName'])
    for (const base of [plausible, named]) bodies.push({ ...base(), providerSettings: { ...settings, [inner]: P } });
  for (const inner of ['roleName', 'databaseName', 'collectionName']) bodies.push({ ...plausible(), roles: [{ roleName: 'read', databaseName: 'admin', [inner]: P }] });
  for (const inner of ['type', 'name']) bodies.push({ ...plausible(), scopes: [{ type: 'CLUSTER', name: 'Cluster0', [inner]: P }] });
  for (const inner of ['providerName', 'backingProviderName', 'regionName', 'priority', 'instanceSize', 'nodeCount']) {
    const config = { providerName: 'AWS', regionName: 'US_EAST_1', priority: 7, electableSpecs: { instanceSize: 'M10', nodeCount: 3, [inner]: P }, [inner]: P };
    bodies.push({ ...named(), clusterType: 'REPLICASET', replicationSpecs: [{ regionConfigs: [config] }] });
  }
  const ids: Record<string, string> = {
    groupId: api.bootstrap.projectId,
    orgId: api.bootstrap.orgId,
    apiUserId: api.bootstrap.apiKeyId,
    cloudProvider: 'AWS',
    clusterName: 'Cluster0',
    databaseName: 'admin',
  };
  const sends = routes
    .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method))
    .flatMap((route) =>
      bodies.map((body) => ({ method: route.method, path: route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => ids[name] ?? 'x'), body: JSON.stringify(body) })),
    );
  const failures: string[] = [];
  // Eight clients side by side, each taking the next request.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let send = sends[next++]; send; send = sends[next++]) {
        const res = await api.owner.request(send.method, send.path, { headers: { 'content-type': 'application/json' }, rawBody: send.body });
        if (res.status >= 500) failures.push(`${send.method} ${send.path} ${send.body.slice(0, 120)} → ${res.status}`);
      }
    }),
  );
  const routesFailing = [...new Set(failures.map((f) => f.split(' ').slice(0, 2).join(' ')))];
  assert.deepEqual(routesFailing, [], `${failures.length} of ${sends.length} requests answered 5xx, e.g.\n${failures.slice(0, 10).join('\n')}`);
});
