import type { DeleteVpcEndpointsCommandOutput } from '@aws-sdk/client-ec2';
import { CliError } from '../../../framework/cli-errors.js';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/**
 * `privlink localcloud aws delete-vpc-endpoints --vpc-endpoint-ids …` (EC2 DeleteVpcEndpoints):
 * prints `VPC endpoint '<id>' deleted` per id; ids AWS reports as unsuccessful are errors (exit 1).
 */
export const deleteVpcEndpointsCommand = defineCommand({
  name: 'delete-vpc-endpoints',
  summary: 'Delete VPC endpoints of the local cloud customer account (as `aws ec2 delete-vpc-endpoints`).',
  flags: [{ syntax: '--vpc-endpoint-ids <id...>', description: 'VPC endpoint ids (space- or comma-separated).', required: true }, ...EC2_FLAGS],
  examples: ['privlink localcloud aws delete-vpc-endpoints --vpc-endpoint-ids vpce-0123456789abcdef0'],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const ids = ctx.list('vpcEndpointIds');
    const output = await callEc2<DeleteVpcEndpointsCommandOutput>(client, endpoint, 'DeleteVpcEndpoints', new sdk.DeleteVpcEndpointsCommand({ VpcEndpointIds: ids }));
    if (json) {
      ctx.out(awsJson(output));
      return;
    }
    const failed = output.Unsuccessful ?? [];
    for (const id of ids) if (!failed.some((f) => f.ResourceId === id)) ctx.out(`VPC endpoint '${id}' deleted\n`);
    if (failed.length > 0) {
      throw new CliError(failed.map((f) => `${f.ResourceId}: ${f.Error?.Code ?? ''} ${f.Error?.Message ?? ''}`.trim()).join('\n'));
    }
  },
});
