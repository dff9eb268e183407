import type { CreateSubnetCommandOutput } from '@aws-sdk/client-ec2';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/** `privlink localcloud aws create-subnet --vpc-id … --cidr-block … [--availability-zone …]`: prints the subnet id. */
export const createSubnetCommand = defineCommand({
  name: 'create-subnet',
  summary: 'Create a subnet in a VPC of the local cloud customer account (as `aws ec2 create-subnet`).',
  flags: [
    { syntax: '--vpc-id <id>', description: 'VPC of the subnet.', required: true },
    { syntax: '--cidr-block <cidr>', description: 'IPv4 CIDR block of the subnet.', required: true },
    { syntax: '--availability-zone <zone>', description: 'Availability zone (us-east-1a).' },
    { syntax: '--availability-zone-id <zoneId>', description: 'Availability zone id (use1-az1).' },
    ...EC2_FLAGS,
  ],
  examples: ['privlink localcloud aws create-subnet --vpc-id vpc-0a1b2c3d4e5f60718 --cidr-block 172.31.96.0/20 --availability-zone us-east-1a'],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const input = {
      VpcId: ctx.flag('vpcId'),
      CidrBlock: ctx.flag('cidrBlock'),
      ...(ctx.flag('availabilityZone') ? { AvailabilityZone: ctx.flag('availabilityZone') } : {}),
      ...(ctx.flag('availabilityZoneId') ? { AvailabilityZoneId: ctx.flag('availabilityZoneId') } : {}),
    };
    const output = await callEc2<CreateSubnetCommandOutput>(client, endpoint, 'CreateSubnet', new sdk.CreateSubnetCommand(input));
    ctx.out(json ? awsJson(output) : `${output.Subnet?.SubnetId ?? ''}\n`);
  },
});
