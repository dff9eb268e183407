import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { capacityFailureMessage, decidePlacement, type AccountRegionCapacity, type ProviderAccount } from './provider-capacity.js';

function account(id: string, state: ProviderAccount['state'] = 'ACTIVE', createdAt = 0): ProviderAccount {
  return {
    id,
    provider: 'AWS',
    name: `name-${id}`,
    kind: 'LOCAL_CLOUD',
    accessKeyId: null,
    roleArn: null,
    subscriptionId: null,
    tenantId: null,
    clientId: null,
    projectId: null,
    state,
    createdAt: new Date(createdAt),
  };
}

function capacity(
  a: ProviderAccount,
  placements: number,
  options: { nlb?: number; vpcsUsed?: number; vpcs?: number; network?: boolean; listeners?: number; needed?: number } = {},
): AccountRegionCapacity {
  return {
    account: a,
    placements,
    hasProviderNetwork: options.network ?? placements > 0,
    loadBalancers: { serviceCode: 'elasticloadbalancing', quotaCode: 'L-69A177A2', quotaName: 'Network Load Balancers per Region', value: options.nlb ?? 50, used: placements },
    vpcs: { serviceCode: 'vpc', quotaCode: 'L-F678F1CE', quotaName: 'VPCs per Region', value: options.vpcs ?? 5, used: options.vpcsUsed ?? 1 },
    listeners: {
      serviceCode: 'elasticloadbalancing',
      quotaCode: 'L-57A373D6',
      quotaName: 'Listeners per Network Load Balancer',
      value: options.listeners ?? 50,
      used: options.needed ?? 3,
    },
  };
}

describe('placement decision table', () => {
  test('affinity with a load balancer left → the affinity account, even when another has more room', () => {
    assert.deepEqual(decidePlacement([capacity(account('a'), 40), capacity(account('b'), 0)], 'a'), { kind: 'place', accountId: 'a' });
  });
  test('affinity in a DRAINING account keeps the project region together', () => {
    assert.deepEqual(decidePlacement([capacity(account('a', 'DRAINING'), 3), capacity(account('b'), 0)], 'a'), { kind: 'place', accountId: 'a' });
  });
  test('affinity full → full, naming that account and its quota (never split)', () => {
    const decided = decidePlacement([capacity(account('a'), 50), capacity(account('b'), 0)], 'a');
    assert.equal(decided.kind, 'full');
    assert.equal(decided.kind === 'full' && decided.account?.id, 'a');
    assert.equal(decided.kind === 'full' && decided.quota.quotaCode, 'L-69A177A2');
  });
  test('no affinity → the ACTIVE account with most load balancers left; ties to the oldest', () => {
    assert.deepEqual(decidePlacement([capacity(account('a', 'ACTIVE', 1), 10), capacity(account('b', 'ACTIVE', 2), 5)], undefined), { kind: 'place', accountId: 'b' });
    assert.deepEqual(decidePlacement([capacity(account('a', 'ACTIVE', 2), 5), capacity(account('b', 'ACTIVE', 1), 5)], undefined), { kind: 'place', accountId: 'b' });
  });
  test('a DRAINING account takes no new project region', () => {
    const decided = decidePlacement([capacity(account('a', 'DRAINING'), 0)], undefined);
    assert.equal(decided.kind, 'full');
  });
  test('an account without its provider VPC and no VPC left under its quota has no room', () => {
    assert.deepEqual(decidePlacement([capacity(account('a'), 0, { vpcsUsed: 5 }), capacity(account('b'), 30)], undefined), { kind: 'place', accountId: 'b' });
    const decided = decidePlacement([capacity(account('a'), 0, { vpcsUsed: 5 })], undefined);
    assert.equal(decided.kind === 'full' && decided.quota.quotaCode, 'L-F678F1CE');
  });
  test('every account full → full with the load balancer quota, and the message names quota, region and remedies', () => {
    const decided = decidePlacement([capacity(account('a'), 50), capacity(account('b'), 50)], undefined);
    assert.equal(decided.kind, 'full');
    if (decided.kind !== 'full') return;
    const message = capacityFailureMessage('us-east-1', decided, 2);
    assert.match(message, /us-east-1/);
    assert.match(message, /L-69A177A2 \(Network Load Balancers per Region\) is used up/);
    assert.match(message, /privlink admin provider-accounts add/);
    assert.match(message, /request-service-quota-increase --service-code elasticloadbalancing --quota-code L-69A177A2/);
  });
  test('an empty pool → full, saying to add an account', () => {
    const decided = decidePlacement([], undefined);
    assert.equal(decided.kind, 'full');
    if (decided.kind === 'full') assert.match(capacityFailureMessage('eu-west-1', decided, 0), /no ACTIVE account/);
  });
  test('affinity whose listener quota is below what the project region needs → full with the listener quota, even with load balancers left', () => {
    const decided = decidePlacement([capacity(account('a'), 3, { needed: 51 }), capacity(account('b'), 0, { needed: 51, listeners: 100 })], 'a');
    assert.equal(decided.kind === 'full' && decided.reason, 'listeners');
    assert.equal(decided.kind === 'full' && decided.account?.id, 'a');
    assert.equal(decided.kind === 'full' && decided.quota.quotaCode, 'L-57A373D6');
    if (decided.kind !== 'full') return;
    const message = capacityFailureMessage('us-east-1', decided, 2);
    assert.match(message, /needs 51 listeners/);
    assert.match(message, /L-57A373D6 \(Listeners per Network Load Balancer\) allows 50 in provider account name-a/);
    assert.match(message, /fewer nodes or shards/);
    assert.doesNotMatch(message, /request-service-quota-increase/);
  });
  test('exactly as many listeners as the quota fits', () => {
    assert.deepEqual(decidePlacement([capacity(account('a'), 3, { needed: 50 })], 'a'), { kind: 'place', accountId: 'a' });
    assert.deepEqual(decidePlacement([capacity(account('a'), 0, { needed: 50 })], undefined), { kind: 'place', accountId: 'a' });
  });
  test('no affinity → an account whose listener quota fits wins over one with more load balancers left', () => {
    assert.deepEqual(decidePlacement([capacity(account('a'), 0, { needed: 60 }), capacity(account('b'), 40, { needed: 60, listeners: 60 })], undefined), {
      kind: 'place',
      accountId: 'b',
    });
  });
  test('no account with room fits the listeners → full with the listener quota, saying to reduce nodes or add an account', () => {
    const decided = decidePlacement([capacity(account('a'), 0, { needed: 51 }), capacity(account('b'), 50, { needed: 51, listeners: 100 })], undefined);
    assert.equal(decided.kind === 'full' && decided.reason, 'listeners');
    if (decided.kind !== 'full') return;
    assert.equal(decided.quota.value, 50, 'the quota of an account with room (b has no load balancer left)');
    const message = capacityFailureMessage('eu-west-1', decided, 2);
    assert.match(message, /eu-west-1/);
    assert.match(message, /L-57A373D6/);
    assert.match(message, /every ACTIVE provider account/);
    assert.match(message, /privlink admin provider-accounts add/);
  });
  test('an Azure subscription that is full names the Azure limit and how to raise it in Azure', () => {
    const azure = { ...account('z'), provider: 'AZURE' as const };
    const full = {
      account: azure,
      placements: 2,
      hasProviderNetwork: true,
      loadBalancers: { serviceCode: 'Microsoft.Network', quotaCode: 'PrivateLinkServices', quotaName: 'Private Link Services', value: 2, used: 2 },
      vpcs: { serviceCode: 'Microsoft.Network', quotaCode: 'VirtualNetworks', quotaName: 'Virtual Networks', value: 1000, used: 1 },
      listeners: { serviceCode: 'Microsoft.Network', quotaCode: 'LoadBalancerRules', quotaName: 'Rules per load balancer', value: 1500, used: 3 },
    };
    const decided = decidePlacement([full], undefined);
    assert.equal(decided.kind, 'full');
    const message = decided.kind === 'full' ? capacityFailureMessage('eastus', decided, 1, 'AZURE') : '';
    assert.match(message, /PrivateLinkServices \(Private Link Services\) is used up in every ACTIVE provider subscription/);
    assert.match(message, /az quota update --scope \/subscriptions\/<subscription>\/providers\/Microsoft\.Network\/locations\/eastus --resource-name PrivateLinkServices/);
    assert.match(message, /privlink admin provider-accounts add --provider AZURE/);
    assert.doesNotMatch(message, /aws service-quotas/);
  });

  test('a full GCP project names the Compute metric, the Quotas page and gcloud quotas preferences; a project quota has no region dimension', () => {
    const gcp = { ...account('g'), name: 'gproj', provider: 'GCP' as const };
    const base = {
      account: gcp,
      placements: 3,
      hasProviderNetwork: true,
      loadBalancers: { serviceCode: 'compute.googleapis.com', quotaCode: 'SERVICE_ATTACHMENTS', quotaName: 'Service attachments', value: 3, used: 3 },
      vpcs: { serviceCode: 'compute.googleapis.com', quotaCode: 'NETWORKS', quotaName: 'Networks', value: 15, used: 1 },
      listeners: { serviceCode: 'compute.googleapis.com', quotaCode: 'PORT_MAPPINGS_PER_NETWORK_ENDPOINT_GROUP', quotaName: 'Port mappings', value: 10_000, used: 3 },
    };
    const decided = decidePlacement([base], gcp.id);
    assert.equal(decided.kind, 'full');
    const message = decided.kind === 'full' ? capacityFailureMessage('us-central1', decided, 1, 'GCP') : '';
    assert.match(message, /placed in provider project gproj, where quota SERVICE_ATTACHMENTS \(Service attachments\) is used up \(3 of 3\)/);
    assert.match(message, /Compute Engine quota SERVICE_ATTACHMENTS in us-central1 \(Google Cloud console: IAM & Admin, Quotas/);
    assert.match(message, /gcloud quotas preferences create --service=compute\.googleapis\.com --project=<project> .*--dimensions=region=us-central1\)/);
    assert.doesNotMatch(message, /aws service-quotas|az quota/);

    const noNetwork = { ...base, placements: 0, hasProviderNetwork: false, loadBalancers: { ...base.loadBalancers, value: 100, used: 0 }, vpcs: { ...base.vpcs, used: 15 } };
    const networks = decidePlacement([noNetwork], undefined);
    const networkMessage = networks.kind === 'full' ? capacityFailureMessage('us-central1', networks, 1, 'GCP') : '';
    assert.match(networkMessage, /quota NETWORKS \(Networks\) is used up in every ACTIVE provider project of the pool/);
    assert.match(networkMessage, /add a project \(privlink admin provider-accounts add --provider GCP\)/);
    assert.match(networkMessage, /Compute Engine quota NETWORKS \(a project quota\)/);
    assert.doesNotMatch(networkMessage, /--dimensions/);
  });
});
