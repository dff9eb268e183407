import type { DescribeVpcEndpointServicesCommandOutput } from '@aws-sdk/client-ec2';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/**
 * `privlink localcloud aws describe-vpc-endpoint-services --service-names …`: the availability
 * zones an endpoint service supports (create the VPC endpoint in subnets of those zones).
 */
function table(body: unknown): string {
  const details = (body as DescribeVpcEndpointServicesCommandOutput).ServiceDetails ?? [];
  const rows = details.map((d) =>
    [d.ServiceName, (d.ServiceType ?? []).map((t) => t.ServiceType).join(','), (d.AvailabilityZones ?? []).join(','), String(d.AcceptanceRequired ?? '')].join('\t'),
  );
  return `SERVICE NAME\tTYPE\tAVAILABILITY ZONES\tACCEPTANCE REQUIRED${rows.map((r) => `\n${r}`).join('')}\n`;
}

export const describeVpcEndpointServicesCommand = defineCommand({
  name: 'describe-vpc-endpoint-services',
  summary: 'Describe endpoint services, e.g. their availability zones (as `aws ec2 describe-vpc-endpoint-services`).',
  flags: [{ syntax: '--service-names <name...>', description: 'Endpoint service names (space- or comma-separated).' }, ...EC2_FLAGS],
  examples: ['privlink localcloud aws describe-vpc-endpoint-services --service-names com.amazonaws.vpce.us-east-1.vpce-svc-0667f4ca6f4a2bbc8'],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const names = ctx.list('serviceNames');
    const output = await callEc2<DescribeVpcEndpointServicesCommandOutput>(
      client,
      endpoint,
      'DescribeVpcEndpointServices',
      new sdk.DescribeVpcEndpointServicesCommand(names.length ? { ServiceNames: names } : {}),
    );
    if (json) ctx.out(awsJson(output));
    else ctx.printHuman(output, table);
  },
});
