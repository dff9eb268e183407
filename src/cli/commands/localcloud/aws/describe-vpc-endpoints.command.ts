import type { DescribeVpcEndpointsCommandOutput } from '@aws-sdk/client-ec2';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/** `privlink localcloud aws describe-vpc-endpoints [--vpc-endpoint-ids …]` (EC2 DescribeVpcEndpoints). */
function table(body: unknown): string {
  const endpoints = (body as DescribeVpcEndpointsCommandOutput).VpcEndpoints ?? [];
  const rows = endpoints.map((e) => [e.VpcEndpointId, e.VpcId, e.ServiceName, e.State, (e.SubnetIds ?? []).join(',')].map((v) => v ?? '').join('\t'));
  return `VPC ENDPOINT ID\tVPC ID\tSERVICE NAME\tSTATE\tSUBNETS${rows.map((r) => `\n${r}`).join('')}\n`;
}

export const describeVpcEndpointsCommand = defineCommand({
  name: 'describe-vpc-endpoints',
  summary: 'Describe the VPC endpoints of the local cloud customer account (as `aws ec2 describe-vpc-endpoints`).',
  flags: [{ syntax: '--vpc-endpoint-ids <id...>', description: 'VPC endpoint ids (space- or comma-separated).' }, ...EC2_FLAGS],
  examples: ['privlink localcloud aws describe-vpc-endpoints --vpc-endpoint-ids vpce-0123456789abcdef0'],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const ids = ctx.list('vpcEndpointIds');
    const output = await callEc2<DescribeVpcEndpointsCommandOutput>(
      client,
      endpoint,
      'DescribeVpcEndpoints',
      new sdk.DescribeVpcEndpointsCommand(ids.length ? { VpcEndpointIds: ids } : {}),
    );
    if (json) ctx.out(awsJson(output));
    else ctx.printHuman(output, table);
  },
});
