import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateVpcEndpointCommand, DeleteVpcEndpointsCommand, DescribeNetworkInterfacesCommand, DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { after, before, describe, test } from 'node:test';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

const run = promisify(execFile);
/** Debian's AWS CLI; another `aws` may shadow it on PATH, so always this path. */
const AWS_CLI = '/usr/bin/aws';

// What customers do to find an interface endpoint's private IPs: describe-vpc-endpoints lists the
// interface ids, describe-network-interfaces (by id, or filtered by the endpoint's description)
// gives their addresses. And a malformed endpoint id is InvalidVpcEndpointId.Malformed, as on AWS.
describe('DescribeNetworkInterfaces and malformed endpoint ids', () => {
  let h: Harness;
  let svc: ProviderService;
  let vpcId: string;
  let vpce: string;
  let eniIds: string[];

  before(async () => {
    h = await startHarness();
    svc = await providerService(h);
    const network = await defaultNetwork(h, h.cloud.accounts.customer);
    vpcId = network.vpcId;
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const created = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpcId,
        ServiceName: svc.serviceName,
        VpcEndpointType: 'Interface',
        SubnetIds: [network.subnetByZone.get('us-east-1a')!, network.subnetByZone.get('us-east-1b')!],
      }),
    );
    vpce = created.VpcEndpoint!.VpcEndpointId!;
    eniIds = created.VpcEndpoint!.NetworkInterfaceIds!;
    assert.equal(eniIds.length, 2);
  });
  after(async () => h?.close());

  function awsCli(args: string[]) {
    const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: h.cloud.accounts.customer.accessKeyId,
      AWS_SECRET_ACCESS_KEY: h.cloud.accounts.customer.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_PAGER: '',
    });
    return run(AWS_CLI, [...args, '--endpoint-url', h.url, '--region', 'us-east-1', '--output', 'json'], { env, timeout: 60_000 });
  }

  test('the SDK finds the endpoint interfaces by the ids describe-vpc-endpoints lists, with one private IP in each subnet', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const endpoint = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [vpce] }))).VpcEndpoints![0]!;
    assert.deepEqual(endpoint.NetworkInterfaceIds, eniIds);
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds }))).NetworkInterfaces!;
    assert.deepEqual(
      enis.map((e) => e.NetworkInterfaceId),
      eniIds,
    );
    assert.deepEqual(
      enis.map((e) => e.AvailabilityZone),
      ['us-east-1a', 'us-east-1b'],
    );
    assert.deepEqual(enis.map((e) => e.SubnetId).sort(), [...endpoint.SubnetIds!].sort());
    for (const eni of enis) {
      assert.equal(eni.InterfaceType, 'vpc_endpoint');
      assert.equal(eni.Description, `VPC Endpoint Interface ${vpce}`);
      assert.equal(eni.VpcId, vpcId);
      assert.equal(eni.RequesterManaged, true);
      assert.equal(eni.Status, 'in-use');
      assert.equal(eni.OwnerId, h.cloud.accounts.customer.accountId);
      assert.match(eni.PrivateIpAddress!, /^172\.31\.\d+\.\d+$/);
      assert.deepEqual(eni.PrivateIpAddresses, [
        { PrivateIpAddress: eni.PrivateIpAddress, PrivateDnsName: `ip-${eni.PrivateIpAddress!.replace(/\./g, '-')}.ec2.internal`, Primary: true },
      ]);
      assert.deepEqual(
        eni.Groups!.map((g) => g.GroupName),
        ['default'],
      );
    }
    // The local cloud carries each private IP on its loopback address: the same ones the data plane uses.
    const snapshot = await h.cloud.snapshot();
    const carried = snapshot.endpoints.find((e) => e.endpointId === vpce)!.networkInterfaces;
    assert.deepEqual(
      carried.map((n) => [n.networkInterfaceId, n.privateIp]),
      enis.map((e) => [e.NetworkInterfaceId, e.PrivateIpAddress]),
    );
  });

  test('the filters customers use select the same interfaces; other accounts see none of them', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const ids = async (filters: Array<{ Name: string; Values: string[] }>) =>
      ((await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: filters }))).NetworkInterfaces ?? []).map((e) => e.NetworkInterfaceId).sort();
    const expected = [...eniIds].sort();
    assert.deepEqual(await ids([{ Name: 'description', Values: [`VPC Endpoint Interface ${vpce}`] }]), expected);
    assert.deepEqual(await ids([{ Name: 'description', Values: ['VPC Endpoint Interface *'] }]), expected);
    assert.deepEqual(await ids([{ Name: 'vpc-id', Values: [vpcId] }]), expected);
    assert.deepEqual(await ids([{ Name: 'interface-type', Values: ['vpc_endpoint'] }]), expected);
    assert.deepEqual(await ids([{ Name: 'network-interface-id', Values: [eniIds[1]!] }]), [eniIds[1]]);
    assert.deepEqual(await ids([{ Name: 'subnet-id', Values: [(await defaultNetwork(h, h.cloud.accounts.customer)).subnetByZone.get('us-east-1b')!] }]), [eniIds[1]]);
    const requester = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniIds[0]!] }))).NetworkInterfaces![0]!.RequesterId!;
    assert.match(requester, /^\d{12}$/);
    assert.notEqual(requester, h.cloud.accounts.customer.accountId, 'AWS manages the interface, not the customer');
    assert.deepEqual(await ids([{ Name: 'requester-id', Values: [requester] }]), expected);
    assert.deepEqual(await ids([{ Name: 'interface-type', Values: ['network_load_balancer'] }]), []);
    await rejectsWith(ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })), 'InvalidParameterValue');

    // The provider sees its load balancer's interfaces (requester amazon-elb), not the customer's.
    const provider = h.ec2(h.cloud.accounts.provider);
    const own = (await provider.send(new DescribeNetworkInterfacesCommand({}))).NetworkInterfaces!;
    assert.ok(own.length > 0);
    assert.ok(own.every((e) => e.InterfaceType === 'network_load_balancer' && e.RequesterId === 'amazon-elb' && /^ELB net\/pl-test\//.test(e.Description!)));
    await rejectsWith(provider.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniIds[0]!] })), 'InvalidNetworkInterfaceID.NotFound', {
      message: `The networkInterface ID '${eniIds[0]}' does not exist`,
    });
    await rejectsWith(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ['eni_bad'] })), 'InvalidNetworkInterfaceID.Malformed');
  });

  test('the AWS CLI: describe-vpc-endpoints → describe-network-interfaces gives the private IPs', async () => {
    const endpointIds = JSON.parse(
      (await awsCli(['ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', vpce, '--query', 'VpcEndpoints[0].NetworkInterfaceIds'])).stdout,
    ) as string[];
    assert.deepEqual(endpointIds, eniIds);
    const ips = JSON.parse(
      (await awsCli(['ec2', 'describe-network-interfaces', '--network-interface-ids', ...endpointIds, '--query', 'NetworkInterfaces[].[NetworkInterfaceId,PrivateIpAddress]']))
        .stdout,
    ) as string[][];
    const sdk = (await h.ec2(h.cloud.accounts.customer).send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds }))).NetworkInterfaces!;
    assert.deepEqual(
      ips,
      sdk.map((e) => [e.NetworkInterfaceId, e.PrivateIpAddress]),
    );
    const filtered = JSON.parse(
      (
        await awsCli([
          'ec2',
          'describe-network-interfaces',
          '--filters',
          `Name=description,Values=VPC Endpoint Interface ${vpce}`,
          '--query',
          'NetworkInterfaces[].PrivateIpAddress',
        ])
      ).stdout,
    ) as string[];
    assert.deepEqual(
      filtered,
      sdk.map((e) => e.PrivateIpAddress),
    );
  });

  test('a malformed endpoint id is InvalidVpcEndpointId.Malformed (400) in AWS words; a well-formed unknown one stays NotFound', async () => {
    const ec2 = h.ec2(h.cloud.accounts.customer);
    const message = "Invalid Id: 'vpce_123' (expecting 'vpce-...; the Id may only contain lowercase alphanumeric characters and a single dash')";
    await rejectsWith(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce_123'] })), 'InvalidVpcEndpointId.Malformed', { message, status: 400 });
    await rejectsWith(ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: ['vpce_123'] })), 'InvalidVpcEndpointId.Malformed', { message });
    await rejectsWith(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['VPCE-00000000000000000'] })), 'InvalidVpcEndpointId.Malformed');
    await rejectsWith(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: ['vpce-00000000000000000'] })), 'InvalidVpcEndpointId.NotFound');
    const cli = await awsCli(['ec2', 'describe-vpc-endpoints', '--vpc-endpoint-ids', 'vpce_123']).then(
      () => assert.fail('the AWS CLI succeeded'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(cli.code, 254);
    assert.equal(cli.stderr.trim(), `An error occurred (InvalidVpcEndpointId.Malformed) when calling the DescribeVpcEndpoints operation: ${message}`);
  });
});
