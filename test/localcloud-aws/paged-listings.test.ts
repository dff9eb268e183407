import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  type CreateVpcEndpointCommandInput,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
  paginateDescribeNetworkInterfaces,
  paginateDescribeVpcEndpoints,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand, paginateDescribeTargetGroups } from '@aws-sdk/client-elastic-load-balancing-v2';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness } from './harness.js';

// A listing without keys is read a page at a time (the rows after the token, by creation order):
// walking its pages must give exactly the caller's rows, each once, in creation order, with a
// filter applied across the windows the store is read in, and the last page without a token.

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

/**
 * A provider service and `count` interface endpoints of the customer to it, in one subnet; `extra`
 * adds to the i-th endpoint's request. Answers the endpoints as created, in order.
 */
async function endpointsTo(name: string, count: number, extra: (i: number) => Partial<CreateVpcEndpointCommandInput>): Promise<VpcEndpoint[]> {
  const svc = await providerService(h, { name, acceptanceRequired: false });
  const network = await defaultNetwork(h, h.cloud.accounts.customer);
  const subnet = network.subnetByZone.get(svc.zones[0]!)!;
  const ec2 = h.ec2(h.cloud.accounts.customer);
  const made: VpcEndpoint[] = [];
  for (let i = 0; i < count; i++) {
    const input = { VpcId: network.vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface' as const, SubnetIds: [subnet], ...extra(i) };
    made.push((await ec2.send(new CreateVpcEndpointCommand(input))).VpcEndpoint!);
  }
  return made;
}

test('DescribeTargetGroups pages (PageSize 7) walk 150 groups once each, in creation order, none of another account', async () => {
  const provider = h.cloud.accounts.provider;
  const customer = h.cloud.accounts.customer;
  const mine = await defaultNetwork(h, provider);
  const theirs = await defaultNetwork(h, customer);
  const created: string[] = [];
  for (let i = 0; i < 150; i++) {
    const input = { Name: `paged-${i}`, Protocol: 'TCP' as const, Port: 27017, TargetType: 'ip' as const };
    created.push((await h.elb(provider).send(new CreateTargetGroupCommand({ ...input, VpcId: mine.vpcId }))).TargetGroups![0]!.TargetGroupArn!);
    // Interleaved rows of another account lie between the caller's in the table.
    if (i % 10 === 0) await h.elb(customer).send(new CreateTargetGroupCommand({ ...input, VpcId: theirs.vpcId }));
  }
  const walked: string[] = [];
  let pages = 0;
  for await (const page of paginateDescribeTargetGroups({ client: h.elb(provider) }, { PageSize: 7 })) {
    pages++;
    walked.push(...page.TargetGroups!.map((g) => g.TargetGroupArn!));
  }
  assert.deepEqual(walked, created);
  assert.equal(pages, Math.ceil(150 / 7));
  const last = await h.elb(provider).send(new DescribeTargetGroupsCommand({ PageSize: 400 }));
  assert.equal(last.TargetGroups!.length, 150);
  assert.equal(last.NextMarker, undefined, 'a page holding the rest has no marker');
  await rejectsWith(h.elb(provider).send(new DescribeTargetGroupsCommand({ PageSize: 5, Marker: 'bm90LWEtbWFya2Vy' })), 'ValidationError');
});

test('DescribeVpcEndpoints with a tag filter and MaxResults 5 finds the tagged endpoints across windows; the paginator agrees with one call', async () => {
  const pick = (i: number) => i % 29 === 3;
  const made = await endpointsTo('paged-svc', 160, (i) => ({ TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'pick', Value: pick(i) ? 'yes' : 'no' }] }] }));
  const tagged = made.filter((_, i) => pick(i)).map((e) => e.VpcEndpointId!);
  const ec2 = h.ec2(h.cloud.accounts.customer);
  assert.equal(tagged.length, 6, 'four in the first window of 100 rows, two after it');
  const filters = [{ Name: 'tag:pick', Values: ['yes'] }];
  const first = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters, MaxResults: 5 }));
  assert.deepEqual(
    first.VpcEndpoints!.map((e) => e.VpcEndpointId),
    tagged.slice(0, 5),
  );
  assert.ok(first.NextToken);
  const second = await ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters, MaxResults: 5, NextToken: first.NextToken }));
  assert.deepEqual(
    second.VpcEndpoints!.map((e) => e.VpcEndpointId),
    tagged.slice(5),
  );
  assert.equal(second.NextToken, undefined);

  const all = (await ec2.send(new DescribeVpcEndpointsCommand({}))).VpcEndpoints!.map((e) => e.VpcEndpointId!);
  assert.equal(all.length, 160);
  const walked: string[] = [];
  for await (const page of paginateDescribeVpcEndpoints({ client: ec2, pageSize: 9 }, {})) walked.push(...page.VpcEndpoints!.map((e) => e.VpcEndpointId!));
  assert.deepEqual(walked, all);
});

test('a token or marker past any position a row can have is refused as AWS refuses a bad one, not a server error', async () => {
  const provider = h.cloud.accounts.provider;
  const huge = (prefix: string, value: string) => Buffer.from(`${prefix}${value}`).toString('base64url');
  for (const value of ['100000000000000000000', '2147483648', '-1', '1.5', '']) {
    await rejectsWith(h.elb(provider).send(new DescribeTargetGroupsCommand({ PageSize: 5, Marker: huge('seq:', value) })), 'ValidationError');
  }
  const token = (after: number) => Buffer.from(JSON.stringify({ after })).toString('base64url');
  for (const after of [1e20, 2 ** 31, -1]) {
    await rejectsWith(h.ec2(provider).send(new DescribeVpcEndpointsCommand({ MaxResults: 5, NextToken: token(after) })), 'InvalidPaginationToken');
  }
  // The largest position a row can have is a valid token: nothing follows it.
  const last = await h.ec2(provider).send(new DescribeVpcEndpointsCommand({ MaxResults: 5, NextToken: token(2 ** 31 - 1) }));
  assert.deepEqual(last.VpcEndpoints, []);
});

test('DescribeNetworkInterfaces pages a security-group filter across windows, each interface with its own groups; the paginator agrees with one call', async () => {
  const customer = h.cloud.accounts.customer;
  const ec2 = h.ec2(customer);
  const { vpcId } = await defaultNetwork(h, customer);
  const marked = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'paged-eni-marked', Description: 'marked', VpcId: vpcId }))).GroupId!;
  const before = (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!.length;
  const pick = (i: number) => i % 23 === 5;
  const made = await endpointsTo('paged-eni', 125, (i) => (pick(i) ? { SecurityGroupIds: [marked] } : {}));
  const expected = made.filter((_, i) => pick(i)).map((e) => e.NetworkInterfaceIds![0]!);
  assert.equal(expected.length, 6);
  const filters = [{ Name: 'group-id', Values: [marked] }];
  const first = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 5 }));
  assert.deepEqual(
    first.NetworkInterfaces!.map((e) => e.NetworkInterfaceId),
    expected.slice(0, 5),
  );
  assert.ok(first.NetworkInterfaces!.every((e) => e.Groups!.length === 1 && e.Groups![0]!.GroupId === marked && e.Groups![0]!.GroupName === 'paged-eni-marked'));
  const second = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters, MaxResults: 5, NextToken: first.NextToken }));
  assert.deepEqual(
    second.NetworkInterfaces!.map((e) => e.NetworkInterfaceId),
    expected.slice(5),
  );
  assert.equal(second.NextToken, undefined);

  const all = (await ec2.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!;
  assert.equal(all.length, before + 125);
  const walked = [];
  for await (const page of paginateDescribeNetworkInterfaces({ client: ec2, pageSize: 7 }, {})) walked.push(...page.NetworkInterfaces!);
  assert.deepEqual(walked, all);
  // The provider's load balancer interfaces are the provider's, not the customer's.
  assert.ok(all.every((e) => e.InterfaceType === 'vpc_endpoint'));
  const provider = (await h.ec2(h.cloud.accounts.provider).send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'interface-type', Values: ['network_load_balancer'] }] })))
    .NetworkInterfaces!;
  assert.ok(provider.length > 0 && provider.every((e) => e.Groups !== undefined));
});
