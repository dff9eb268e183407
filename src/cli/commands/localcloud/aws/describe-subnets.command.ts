import type { DescribeSubnetsCommandOutput } from '@aws-sdk/client-ec2';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/** `privlink localcloud aws describe-subnets [--subnet-ids …] [--vpc-id …]` (EC2 DescribeSubnets). */
const TEMPLATE =
  'SUBNET ID\tVPC ID\tAVAILABILITY ZONE\tZONE ID\tCIDR BLOCK\tSTATE{{range .Subnets}}\n{{.SubnetId}}\t{{.VpcId}}\t{{.AvailabilityZone}}\t{{.AvailabilityZoneId}}\t{{.CidrBlock}}\t{{.State}}{{end}}\n';

export const describeSubnetsCommand = defineCommand({
  name: 'describe-subnets',
  summary: 'Describe the subnets of the local cloud customer account (as `aws ec2 describe-subnets`).',
  flags: [
    { syntax: '--subnet-ids <id...>', description: 'Subnet ids (space- or comma-separated).' },
    { syntax: '--vpc-id <id>', description: 'Only the subnets of this VPC (filter vpc-id).' },
    ...EC2_FLAGS,
  ],
  examples: ['privlink localcloud aws describe-subnets --data-dir ./.privlink', 'privlink localcloud aws describe-subnets --vpc-id vpc-0a1b2c3d4e5f60718 -o json'],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const ids = ctx.list('subnetIds');
    const vpcId = ctx.flag('vpcId');
    const input = { ...(ids.length ? { SubnetIds: ids } : {}), ...(vpcId ? { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] } : {}) };
    const output = await callEc2<DescribeSubnetsCommandOutput>(client, endpoint, 'DescribeSubnets', new sdk.DescribeSubnetsCommand(input));
    if (json) ctx.out(awsJson(output));
    else ctx.printHuman(output, TEMPLATE);
  },
});
