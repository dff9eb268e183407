import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClientSecretCredential } from '@azure/identity';
import { sql } from 'kysely';
import { VerifiedTokens } from '../../../src/localcloud/common/verified-tokens.js';
import { authenticate, tokenHash } from '../../../src/localcloud/azure/identity.js';
import type { AzureAccount } from '../../../src/localcloud/azure/store/control.repository.js';
import { azureRepositories } from '../../../src/localcloud/azure/store/repositories.js';
import { azureDb } from '../../../src/localcloud/azure/store/schema.js';
import { createGroup, POLL, rejectsWithCode, startAzure, type AzureHarness } from './harness.js';

describe('Azure identity, authorisation and ARM errors', () => {
  let h: AzureHarness;
  before(async () => {
    h = await startAzure();
  });
  after(async () => h?.close());

  test('two principals, each with its own tenant and subscription, get tokens with the official credential', async () => {
    const { provider, customer } = h.cloud.accounts;
    assert.notEqual(provider.tenantId, customer.tenantId);
    assert.notEqual(provider.subscriptionId, customer.subscriptionId);
    assert.match(provider.clientId, /^[0-9a-f-]{36}$/);
    const token = await h.credential(provider).getToken(`${h.cloud.url}/.default`);
    assert.ok(token.token.length >= 40);
    assert.ok(token.expiresOnTimestamp > Date.now() + 3_500_000);
    const config = await h.arm({}, 'GET', `/${provider.tenantId}/v2.0/.well-known/openid-configuration`);
    assert.equal(config.status, 200);
    for (const key of ['authorization_endpoint', 'token_endpoint', 'issuer', 'jwks_uri']) assert.ok(config.body[key], key);
    assert.equal(config.body.token_endpoint, `${h.cloud.url}/${provider.tenantId}/oauth2/v2.0/token`);
  });

  test('a wrong secret is 401 invalid_client AADSTS7000215; an unknown app 400 unauthorized_client AADSTS700016', async () => {
    const { provider, customer } = h.cloud.accounts;
    const path = `/${provider.tenantId}/oauth2/v2.0/token`;
    const wrong = await h.form(path, { grant_type: 'client_credentials', client_id: provider.clientId, client_secret: 'nope', scope: 'x/.default' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.deepEqual(wrong.body.error_codes, [7000215]);
    assert.match(wrong.body.error_description, /^AADSTS7000215: Invalid client secret provided/);
    const otherTenant = await h.form(path, { grant_type: 'client_credentials', client_id: customer.clientId, client_secret: customer.clientSecret });
    assert.equal(otherTenant.status, 400);
    assert.equal(otherTenant.body.error, 'unauthorized_client');
    assert.match(otherTenant.body.error_description, /^AADSTS700016: Application with identifier/);
    const credential = new ClientSecretCredential(provider.tenantId, provider.clientId, 'wrong-secret', {
      authorityHost: h.cloud.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: h.ca },
    });
    await assert.rejects(credential.getToken(`${h.cloud.url}/.default`), /AADSTS7000215/);
  });

  test('a NUL character (U+0000) anywhere is a 400, never a 500: ARM InvalidRequestContent, Entra ID invalid_request', async () => {
    const { provider } = h.cloud.accounts;
    await createGroup(h, provider, 'rg-nul');
    const base = `/subscriptions/${provider.subscriptionId}/resourceGroups`;
    const inBody = await h.arm(provider, 'PUT', `${base}/rg-nul/providers/Microsoft.Network/virtualNetworks/v?api-version=2025-05-01`, {
      location: 'eastus',
      tags: { team: 'a\u0000b' },
      properties: { addressSpace: { addressPrefixes: ['10.1.0.0/16'] } },
    });
    assert.deepEqual([inBody.status, inBody.body.error.code], [400, 'InvalidRequestContent']);
    assert.match(inBody.body.error.message, /U\+0000/);
    const inPath = await h.arm(provider, 'GET', `${base}/rg%00x?api-version=2021-04-01`);
    assert.deepEqual([inPath.status, inPath.body.error.code], [400, 'InvalidRequestContent']);
    const inQuery = await h.arm(provider, 'GET', `${base}?api-version=2021-04-01&$skiptoken=%00`);
    assert.equal(inQuery.status, 400);
    const tokenPath = `/${provider.tenantId}/oauth2/v2.0/token`;
    const token = await h.form(tokenPath, { grant_type: 'client_credentials', client_id: `${provider.clientId}\u0000`, client_secret: provider.clientSecret });
    assert.deepEqual([token.status, token.body.error, token.body.error_codes], [400, 'invalid_request', [9002313]]);
    const config = await h.arm({}, 'GET', `/x%00/v2.0/.well-known/openid-configuration`);
    assert.deepEqual([config.status, config.body.error], [400, 'invalid_request']);
    assert.equal((await h.arm(provider, 'GET', `${base}/rg-nul?api-version=2021-04-01`)).status, 200, 'the emulator goes on answering');
  });

  test('a value that cannot be turned into text (an object naming its own toString) is a 400 in every resource body, never a 500', async () => {
    const { provider } = h.cloud.accounts;
    await createGroup(h, provider, 'rg-poison');
    const P = { toString: 1, valueOf: 1 };
    const network = `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-poison/providers/Microsoft.Network`;
    const subnet = `${network}/virtualNetworks/v/subnets/s`;
    const bodies: Record<string, unknown[]> = {
      [`/subscriptions/${provider.subscriptionId}/resourcegroups/rg-poison-2?api-version=2021-04-01`]: [
        { location: P },
        { location: 'eastus', tags: P },
        { location: 'eastus', tags: { a: P } },
      ],
      [`${network}/virtualNetworks/v?api-version=2025-05-01`]: [
        { location: 'eastus', properties: { addressSpace: { addressPrefixes: [P] } } },
        { location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: P, properties: { addressPrefix: '10.0.1.0/24' } }] } },
        { location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 's', properties: { addressPrefix: P } }] } },
      ],
      [`${network}/loadBalancers/lb?api-version=2025-05-01`]: [
        { location: 'eastus', sku: { name: P } },
        { location: 'eastus', properties: { frontendIPConfigurations: [{ name: P, properties: { subnet: { id: P }, privateIPAddress: P } }] } },
        { location: 'eastus', properties: { loadBalancingRules: [{ name: 'r', properties: { frontendPort: P, backendPort: P, protocol: P } }] } },
      ],
      [`${network}/privateLinkServices/pls?api-version=2025-05-01`]: [
        { location: 'eastus', properties: { loadBalancerFrontendIpConfigurations: [{ id: P }] } },
        { location: 'eastus', properties: { ipConfigurations: [{ name: P, properties: { subnet: { id: subnet } } }], visibility: { subscriptions: [P] } } },
      ],
      [`${network}/privateEndpoints/pe?api-version=2025-05-01`]: [
        { location: 'eastus', properties: { subnet: { id: P } } },
        {
          location: 'eastus',
          properties: { subnet: { id: subnet }, manualPrivateLinkServiceConnections: [{ name: P, properties: { privateLinkServiceId: P, requestMessage: P } }] },
        },
      ],
      [`${network}/networkSecurityGroups/nsg?api-version=2025-05-01`]: [
        { location: 'eastus', properties: { securityRules: [{ name: 'r', properties: { protocol: P, access: P, direction: P, priority: P, destinationPortRange: P } }] } },
      ],
    };
    const failures: string[] = [];
    for (const [path, list] of Object.entries(bodies)) {
      for (const body of list) {
        const answer = await h.arm(provider, 'PUT', path, body);
        if (answer.status >= 500 || answer.status < 400) failures.push(`${path} ${JSON.stringify(body)} → ${answer.status}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('a subnet written inline in its network follows the same name rules as one named in the path: InvalidResourceName, not a 500', async () => {
    const { provider } = h.cloud.accounts;
    await createGroup(h, provider, 'rg-names');
    const vnet = (subnet: string) =>
      h.arm(provider, 'PUT', `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-names/providers/Microsoft.Network/virtualNetworks/v?api-version=2025-05-01`, {
        location: 'eastus',
        properties: { addressSpace: { addressPrefixes: ['10.7.0.0/16'] }, subnets: [{ name: subnet, properties: { addressPrefix: '10.7.0.0/24' } }] },
      });
    // Varied characters: a long name that compresses well could slip under the store's index limit.
    let seed = 1;
    const long = Array.from({ length: 6000 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % 36]).join('');
    for (const name of [long, 'a'.repeat(81), 'ends.', '-starts']) {
      const refused = await vnet(name);
      assert.deepEqual([refused.status, refused.body.error.code], [400, 'InvalidResourceName'], name.slice(0, 20));
    }
    assert.equal((await vnet('a'.repeat(80))).status, 201);
  });

  test("tags within ARM's limits are kept; beyond them the official SDK gets ARM's codes and nothing is made", async () => {
    const { provider } = h.cloud.accounts;
    await createGroup(h, provider, 'rg-tags');
    const network = h.network(provider);
    const vnet = (name: string, tags: Record<string, string>) =>
      network.virtualNetworks.beginCreateOrUpdateAndWait('rg-tags', name, { location: 'eastus', tags, addressSpace: { addressPrefixes: ['10.8.0.0/16'] } }, POLL);
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));
    const edge = { ...many(47), ['n'.repeat(512)]: 'v', long: 'v'.repeat(256), 'with space.and-dots_ok': '' };
    const made = await vnet('v-edge', edge);
    assert.deepEqual(made.tags, edge);
    assert.deepEqual((await network.virtualNetworks.get('rg-tags', 'v-edge')).tags, edge);

    const refusals: Array<[string, Record<string, string>, string, RegExp]> = [
      ['v-51', many(51), 'InvalidTags', /Requested tag count - '51'\. Maximum number of tags allowed - '50'/],
      ['v-blank', { ' ': 'x' }, 'InvalidTagName', /non-empty and non-whitespace/],
      ['v-chars', { 'a/b': '1', ok: '2', 'x<y': '3', 'tab\there': '4' }, 'InvalidTagNameCharacters', /The tag names 'a\/b, x<y, tab\there' have reserved characters/],
      ['v-name', { ['n'.repeat(513)]: 'v' }, 'InvalidTagName', /Maximum allowed length for tag name - '512'/],
      ['v-value', { long: 'v'.repeat(257), short: 'v' }, 'InvalidTagValueLength', /Maximum allowed length for tag value - '256'/],
    ];
    for (const [name, tags, code, message] of refusals) {
      const error = await rejectsWithCode(vnet(name, tags), code, 400);
      assert.match(error.message, message, name);
      await rejectsWithCode(network.virtualNetworks.get('rg-tags', name), 'ResourceNotFound', 404);
    }
    // A resource group's tags are held to the same limits.
    const group = await h.arm(provider, 'PUT', `/subscriptions/${provider.subscriptionId}/resourcegroups/rg-tags?api-version=2021-04-01`, {
      location: 'eastus',
      tags: { '50%': 'off' },
    });
    assert.deepEqual([group.status, group.body.error.code], [400, 'InvalidTagNameCharacters']);
    const kept = await h.arm(provider, 'GET', `/subscriptions/${provider.subscriptionId}/resourcegroups/rg-tags?api-version=2021-04-01`);
    assert.equal(kept.body.tags, undefined);
  });

  test("updateTags (PATCH {tags}) replaces a resource's tags alone, within the same limits; resources without it answer 405", async () => {
    const { provider } = h.cloud.accounts;
    await createGroup(h, provider, 'rg-patch');
    const network = h.network(provider);
    const made = await network.virtualNetworks.beginCreateOrUpdateAndWait(
      'rg-patch',
      'v',
      { location: 'eastus', tags: { team: 'a', cost: '1' }, addressSpace: { addressPrefixes: ['10.9.0.0/16'] }, subnets: [{ name: 's', addressPrefix: '10.9.0.0/24' }] },
      POLL,
    );
    const updated = await network.virtualNetworks.updateTags('rg-patch', 'v', { tags: { team: 'b' } });
    assert.deepEqual(updated.tags, { team: 'b' });
    assert.notEqual(updated.etag, made.etag);
    const read = await network.virtualNetworks.get('rg-patch', 'v');
    assert.deepEqual(
      [read.tags, read.addressSpace?.addressPrefixes, read.subnets?.map((x) => x.name), read.provisioningState],
      [{ team: 'b' }, ['10.9.0.0/16'], ['s'], 'Succeeded'],
    );
    await rejectsWithCode(network.virtualNetworks.updateTags('rg-patch', 'v', { tags: { 'a?b': '1' } }), 'InvalidTagNameCharacters', 400);
    assert.deepEqual((await network.virtualNetworks.get('rg-patch', 'v')).tags, { team: 'b' });
    const cleared = await network.virtualNetworks.updateTags('rg-patch', 'v', { tags: {} });
    assert.equal(cleared.tags, undefined);
    await rejectsWithCode(network.virtualNetworks.updateTags('rg-patch', 'absent', { tags: {} }), 'ResourceNotFound', 404);
    const nsg = await network.networkSecurityGroups.beginCreateOrUpdateAndWait('rg-patch', 'nsg-tags', { location: 'eastus' }, POLL);
    assert.deepEqual((await network.networkSecurityGroups.updateTags('rg-patch', 'nsg-tags', { tags: { env: 'test' } })).tags, { env: 'test' });
    assert.equal((await network.networkSecurityGroups.get('rg-patch', 'nsg-tags')).securityRules?.length, nsg.securityRules?.length);
    const base = `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-patch/providers/Microsoft.Network`;
    const child = await h.arm(provider, 'PATCH', `${base}/virtualNetworks/v/subnets/s?api-version=2025-05-01`, { tags: {} });
    assert.deepEqual([child.status, child.body.error.code], [405, 'MethodNotAllowed']);
  });

  test('ARM calls need a valid bearer token', async () => {
    const path = `/subscriptions/${h.cloud.accounts.provider.subscriptionId}/resourcegroups?api-version=2021-04-01`;
    const none = await h.arm({}, 'GET', path);
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'AuthenticationFailed');
    const bad = await h.arm({ authorization: 'Bearer not-a-token' }, 'GET', path);
    assert.equal(bad.status, 401);
    assert.equal(bad.body.error.code, 'InvalidAuthenticationToken');
  });

  test('a token verified once is taken from memory until it expires, and refused after', async () => {
    const { provider } = h.cloud.accounts;
    const token = await h.token(provider);
    const repos = azureRepositories(azureDb(h.testStore.store));
    const verified = new VerifiedTokens<AzureAccount>();
    const now = new Date();
    assert.equal((await authenticate(repos, `Bearer ${token}`, now, verified)).clientId, provider.clientId);
    const stored = await repos.control.findToken(tokenHash(token));
    assert.ok(stored);
    // Gone from the store (as after its expiry), the token is still known to this process...
    await sql`delete from lc_azure_tokens where token_hash = ${tokenHash(token)}`.execute(h.testStore.store.db);
    assert.equal((await authenticate(repos, `Bearer ${token}`, now, verified)).clientId, provider.clientId);
    await assert.rejects(authenticate(repos, `Bearer ${token}`, now), (error: Error & { code?: string }) => error.code === 'InvalidAuthenticationToken');
    // ...but not past its expiry.
    const later = new Date(stored.expiresAt.getTime() + 1);
    await assert.rejects(authenticate(repos, `Bearer ${token}`, later, verified), (error: Error & { code?: string }) => error.code === 'ExpiredAuthenticationToken');
  });

  test("a principal sees only its own subscription: another one's is 403 AuthorizationFailed", async () => {
    const { provider, customer } = h.cloud.accounts;
    const client = h.network(customer, provider.subscriptionId);
    const error = await rejectsWithCode(client.privateLinkServices.get('rg', 'x'), 'AuthorizationFailed', 403);
    assert.match(
      error.message,
      new RegExp(`The client '${customer.clientId}' with object id .* does not have authorization to perform action 'Microsoft.Network/privateLinkServices/read'`),
    );
    const raw = await h.arm(customer, 'PUT', `/subscriptions/${provider.subscriptionId}/resourcegroups/stolen?api-version=2021-04-01`, { location: 'eastus' });
    assert.equal(raw.status, 403);
  });

  test('api-versions outside the supported list are refused as ARM refuses them', async () => {
    const { provider } = h.cloud.accounts;
    await createGroup(h, provider, 'rg-versions');
    const network = await h.arm(
      provider,
      'GET',
      `/subscriptions/${provider.subscriptionId}/resourceGroups/rg-versions/providers/Microsoft.Network/virtualNetworks/v?api-version=2099-01-01`,
    );
    assert.equal(network.status, 400);
    assert.equal(network.body.error.code, 'NoRegisteredProviderFound');
    assert.match(network.body.error.message, /API version '2099-01-01' for type 'virtualNetworks'\. The supported api-versions are '2025-05-01, /);
    const groups = await h.arm(provider, 'GET', `/subscriptions/${provider.subscriptionId}/resourcegroups/rg-versions?api-version=1999-01-01`);
    assert.equal(groups.status, 400);
    assert.equal(groups.body.error.code, 'InvalidApiVersionParameter');
    const missing = await h.arm(provider, 'GET', `/subscriptions/${provider.subscriptionId}/resourcegroups/rg-versions`);
    assert.equal(missing.body.error.code, 'MissingApiVersionParameter');
  });

  test('resource groups: case-insensitive names, HEAD, GET, list, DELETE with everything in them', async () => {
    const { provider } = h.cloud.accounts;
    const base = `/subscriptions/${provider.subscriptionId}/resourcegroups`;
    const created = await h.arm(provider, 'PUT', `${base}/Rg-Case?api-version=2021-04-01`, { location: 'West Europe', tags: { team: 'a' } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, {
      id: `/subscriptions/${provider.subscriptionId}/resourceGroups/Rg-Case`,
      name: 'Rg-Case',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westeurope',
      tags: { team: 'a' },
      properties: { provisioningState: 'Succeeded' },
    });
    assert.equal((await h.arm(provider, 'PUT', `${base}/rg-case?api-version=2021-04-01`, { location: 'westeurope' })).status, 200);
    assert.equal((await h.arm(provider, 'HEAD', `${base}/RG-CASE?api-version=2021-04-01`)).status, 204);
    assert.equal((await h.arm(provider, 'HEAD', `${base}/absent?api-version=2021-04-01`)).status, 404);
    const absent = await h.arm(provider, 'GET', `${base}/absent?api-version=2021-04-01`);
    assert.equal(absent.body.error.code, 'ResourceGroupNotFound');
    assert.equal(absent.body.error.message, "Resource group 'absent' could not be found.");
    const list = await h.arm(provider, 'GET', `${base}?api-version=2021-04-01`);
    assert.ok(list.body.value.some((g: { name: string }) => g.name === 'Rg-Case'));

    await h.network(provider).virtualNetworks.beginCreateOrUpdateAndWait('rg-case', 'v', { location: 'westeurope', addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }, POLL);
    const deleted = await h.arm(provider, 'DELETE', `${base}/rg-case?api-version=2021-04-01`);
    assert.equal(deleted.status, 202);
    assert.match(String(deleted.headers.location), new RegExp(`/subscriptions/${provider.subscriptionId}/operationresults/`));
    const poll = await h.arm(provider, 'GET', String(deleted.headers.location).replace(h.cloud.url, ''));
    assert.equal(poll.status, 200);
    await rejectsWithCode(h.network(provider).virtualNetworks.get('rg-case', 'v'), 'ResourceGroupNotFound', 404);
  });

  test('common mistakes get Azure codes: missing group, missing resource, bad or unknown subnet, overlapping subnets', async () => {
    const { provider } = h.cloud.accounts;
    const net = h.network(provider);
    await rejectsWithCode(
      net.virtualNetworks.beginCreateOrUpdateAndWait('no-such-rg', 'v', { location: 'eastus', addressSpace: { addressPrefixes: ['10.0.0.0/16'] } }, POLL),
      'ResourceGroupNotFound',
      404,
    );
    await createGroup(h, provider, 'rg-errors');
    const missing = await rejectsWithCode(net.virtualNetworks.get('rg-errors', 'nope'), 'ResourceNotFound', 404);
    assert.match(missing.message, /The Resource 'Microsoft.Network\/virtualNetworks\/nope' under resource group 'rg-errors' was not found/);
    const vnet = await net.virtualNetworks.beginCreateOrUpdateAndWait(
      'rg-errors',
      'v',
      { location: 'eastus', addressSpace: { addressPrefixes: ['10.1.0.0/16'] }, subnets: [{ name: 'a', addressPrefix: '10.1.1.0/24' }] },
      POLL,
    );
    await rejectsWithCode(net.subnets.beginCreateOrUpdateAndWait('rg-errors', 'v', 'b', { addressPrefix: '10.1.1.128/25' }, POLL), 'NetcfgSubnetRangesOverlap', 400);
    await rejectsWithCode(net.subnets.beginCreateOrUpdateAndWait('rg-errors', 'v', 'c', { addressPrefix: '10.9.0.0/24' }, POLL), 'NetcfgInvalidSubnet', 400);
    await rejectsWithCode(net.subnets.get('rg-errors', 'v', 'zzz'), 'NotFound', 404);
    const subnet = await net.subnets.beginCreateOrUpdateAndWait(
      'rg-errors',
      'v',
      'b',
      { addressPrefix: '10.1.2.0/24', privateEndpointNetworkPolicies: 'NetworkSecurityGroupEnabled' },
      POLL,
    );
    assert.equal(subnet.privateEndpointNetworkPolicies, 'NetworkSecurityGroupEnabled');
    assert.equal((await net.virtualNetworks.get('rg-errors', 'v')).subnets!.length, 2, 'the child PUT shows in the VNet');
    const ghost = `${vnet.id}/subnets/ghost`;
    const e1 = await rejectsWithCode(
      net.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-errors',
        'pe',
        { location: 'eastus', subnet: { id: ghost }, manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: 'x.y.eastus.azure.privatelinkservice' }] },
        POLL,
      ),
      'InvalidResourceReference',
      400,
    );
    assert.match(e1.message, /referenced by resource .* was not found/);
    await rejectsWithCode(
      net.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-errors',
        'pe',
        { location: 'eastus', subnet: { id: 'subnet-1' }, manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: 'x' }] },
        POLL,
      ),
      'LinkedInvalidPropertyId',
      400,
    );
    await rejectsWithCode(
      net.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-errors',
        'pe',
        { location: 'eastus', subnet: { id: vnet.id }, manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: 'x' }] },
        POLL,
      ),
      'InvalidRequestFormat',
      400,
    );
    await rejectsWithCode(
      net.privateEndpoints.beginCreateOrUpdateAndWait(
        'rg-errors',
        'pe',
        { location: 'eastus', subnet: { id: subnet.id }, manualPrivateLinkServiceConnections: [{ name: 'c', privateLinkServiceId: 'x.y.eastus.azure.privatelinkservice' }] },
        POLL,
      ),
      'PrivateLinkServiceNotFound',
      400,
    );
  });

  test('network security groups keep their rules, add the defaults and refuse clashing priorities', async () => {
    const { provider } = h.cloud.accounts;
    const net = h.network(provider);
    await createGroup(h, provider, 'rg-nsg');
    const rule = {
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRanges: ['1024-1100'],
      sourceAddressPrefix: '10.20.0.0/16',
      destinationAddressPrefix: '*',
      access: 'Allow',
      direction: 'Inbound',
    };
    const nsg = await net.networkSecurityGroups.beginCreateOrUpdateAndWait(
      'rg-nsg',
      'nsg',
      { location: 'eastus', securityRules: [{ name: 'mongo', priority: 100, ...rule }] },
      POLL,
    );
    assert.deepEqual(
      nsg.securityRules!.map((r) => [r.name, r.priority, r.direction, r.access, r.destinationPortRanges]),
      [['mongo', 100, 'Inbound', 'Allow', ['1024-1100']]],
    );
    assert.equal(nsg.defaultSecurityRules!.length, 6);
    await rejectsWithCode(
      net.networkSecurityGroups.beginCreateOrUpdateAndWait(
        'rg-nsg',
        'nsg2',
        {
          location: 'eastus',
          securityRules: [
            { name: 'a', priority: 100, ...rule },
            { name: 'b', priority: 100, ...rule },
          ],
        },
        POLL,
      ),
      'SecurityRuleConflict',
      400,
    );
    await rejectsWithCode(
      net.networkSecurityGroups.beginCreateOrUpdateAndWait('rg-nsg', 'nsg3', { location: 'eastus', securityRules: [{ name: 'a', priority: 5000, ...rule }] }, POLL),
      'SecurityRuleInvalidPriority',
      400,
    );
    const vnet = await net.virtualNetworks.beginCreateOrUpdateAndWait(
      'rg-nsg',
      'v',
      { location: 'eastus', addressSpace: { addressPrefixes: ['10.3.0.0/16'] }, subnets: [{ name: 's', addressPrefix: '10.3.0.0/24', networkSecurityGroup: { id: nsg.id } }] },
      POLL,
    );
    assert.equal(vnet.subnets![0]!.networkSecurityGroup?.id, nsg.id);
    const view = await h.cloud.view();
    assert.deepEqual(view.virtualNetworks.find((v) => v.name === 'v' && v.resourceGroup === 'rg-nsg')!.subnets[0]!.networkSecurityGroupId, nsg.id);
    assert.deepEqual(view.networkSecurityGroups.find((g) => g.name === 'nsg')!.securityRules[0]!.destinationPortRanges, ['1024-1100']);
    await rejectsWithCode(net.networkSecurityGroups.beginDeleteAndWait('rg-nsg', 'nsg', POLL), 'InUseNetworkSecurityGroupCannotBeDeleted', 400);
  });
});
