import type { DescribeVpcsCommandOutput } from '@aws-sdk/client-ec2';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/** `privlink localcloud aws describe-vpcs [--vpc-ids …]` (EC2 DescribeVpcs). */
const TEMPLATE = 'VPC ID\tCIDR BLOCK\tSTATE\tDEFAULT{{range .Vpcs}}\n{{.VpcId}}\t{{.CidrBlock}}\t{{.State}}\t{{.IsDefault}}{{end}}\n';

export const describeVpcsCommand = defineCommand({
  name: 'describe-vpcs',
  summary: 'Describe the VPCs of the local cloud customer account (as `aws ec2 describe-vpcs`).',
  flags: [{ syntax: '--vpc-ids <id...>', description: 'VPC ids (space- or comma-separated).' }, ...EC2_FLAGS],
  examples: ['privlink localcloud aws describe-vpcs --data-dir ./.privlink', 'privlink localcloud aws describe-vpcs --vpc-ids vpc-0a1b2c3d4e5f60718 -o json'],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const ids = ctx.list('vpcIds');
    const output = await callEc2<DescribeVpcsCommandOutput>(client, endpoint, 'DescribeVpcs', new sdk.DescribeVpcsCommand(ids.length ? { VpcIds: ids } : {}));
    if (json) ctx.out(awsJson(output));
    else ctx.printHuman(output, TEMPLATE);
  },
});
