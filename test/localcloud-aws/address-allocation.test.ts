import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateSubnetCommand, CreateVpcCommand, CreateVpcEndpointCommand, DeleteVpcEndpointsCommand, DescribeNetworkInterfacesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { providerService, rejectsWith, startHarness, type Harness, type ProviderService } from './harness.js';

// The private address an interface endpoint gets in a subnet: the lowest one free, after the four
// AWS reserves at the start of a subnet and before the last one, a released one taken again, and
// InsufficientFreeAddressesInSubnet once none is left (a /28 holds 11).

let h: Harness;
let svc: ProviderService;
let ec2: EC2Client;
let vpcId: string;
let subnetId: string;

before(async () => {
  h = await startHarness();
  svc = await providerService(h);
  ec2 = h.ec2(h.cloud.accounts.customer);
  vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc!.VpcId!;
  subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.9.1.0/28', AvailabilityZone: svc.zones[0] }))).Subnet!.SubnetId!;
});
after(async () => h?.close());

/** An interface endpoint in the /28 asked for. */
const createInSubnet = () => ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnetId] }));

/** Makes an interface endpoint in the /28; returns its id and its interface's address. */
async function endpointInSubnet(): Promise<{ id: string; address: string }> {
  const created = (await createInSubnet()).VpcEndpoint!;
  const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: created.NetworkInterfaceIds }))).NetworkInterfaces!;
  assert.equal(enis.length, 1);
  return { id: created.VpcEndpointId!, address: enis[0]!.PrivateIpAddress! };
}

test('endpoints in a /28 get its 11 usable addresses lowest first, a released one is taken again, then the subnet is full', async () => {
  const made: Array<{ id: string; address: string }> = [];
  for (let i = 0; i < 11; i++) made.push(await endpointInSubnet());
  assert.deepEqual(
    made.map((e) => e.address),
    Array.from({ length: 11 }, (_, i) => `10.9.1.${4 + i}`),
  );
  await rejectsWith(createInSubnet(), 'InsufficientFreeAddressesInSubnet');

  // Two released (one in the middle, the highest): the lower one is given first, then the other.
  await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [made[6]!.id, made[10]!.id] }));
  const again = await waitForAddress();
  assert.equal(again.address, '10.9.1.10');
  assert.equal((await endpointInSubnet()).address, '10.9.1.14');
  await rejectsWith(createInSubnet(), 'InsufficientFreeAddressesInSubnet');
});

/** An endpoint in the /28 once a deleted one's address is released (its interface goes as it is deleted). */
async function waitForAddress(): Promise<{ id: string; address: string }> {
  for (let tries = 0; ; tries++) {
    try {
      return await endpointInSubnet();
    } catch (error) {
      if ((error as { Code?: string }).Code !== 'InsufficientFreeAddressesInSubnet' || tries >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
