import type { CreateVpcEndpointCommandOutput } from '@aws-sdk/client-ec2';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/**
 * `privlink localcloud aws create-vpc-endpoint --vpc-id … --service-name … --subnet-ids …`
 * (EC2 CreateVpcEndpoint, type Interface): prints the `vpce-…` id, or with `-o json` the AWS
 * CLI's `{"VpcEndpoint": {…}}`.
 */
export const createVpcEndpointCommand = defineCommand({
  name: 'create-vpc-endpoint',
  summary: 'Create an interface VPC endpoint to an endpoint service (as `aws ec2 create-vpc-endpoint`).',
  flags: [
    { syntax: '--vpc-id <id>', description: 'VPC of the endpoint.', required: true },
    { syntax: '--service-name <name>', description: 'Endpoint service name (com.amazonaws.vpce.<region>.vpce-svc-…).', required: true },
    { syntax: '--subnet-ids <id...>', description: 'Subnets for the endpoint network interfaces (space- or comma-separated).', required: true },
    { syntax: '--security-group-ids <id...>', description: 'Security groups of the endpoint network interfaces.' },
    { syntax: '--vpc-endpoint-type <type>', description: 'Endpoint type.', defaultValue: 'Interface' },
    ...EC2_FLAGS,
  ],
  examples: [
    '# Connect a VPC to the endpoint service shown by `privlink privateEndpoints aws describe`:\nprivlink localcloud aws create-vpc-endpoint --vpc-id vpc-0a1b2c3d4e5f60718 \\\n  --service-name com.amazonaws.vpce.us-east-1.vpce-svc-0667f4ca6f4a2bbc8 --subnet-ids subnet-0123456789abcdef0',
  ],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const groups = ctx.list('securityGroupIds');
    const input = {
      VpcEndpointType: ctx.flag('vpcEndpointType') as 'Interface',
      VpcId: ctx.flag('vpcId'),
      ServiceName: ctx.flag('serviceName'),
      SubnetIds: ctx.list('subnetIds'),
      ...(groups.length ? { SecurityGroupIds: groups } : {}),
    };
    const output = await callEc2<CreateVpcEndpointCommandOutput>(client, endpoint, 'CreateVpcEndpoint', new sdk.CreateVpcEndpointCommand(input));
    ctx.out(json ? awsJson(output) : `${output.VpcEndpoint?.VpcEndpointId ?? ''}\n`);
  },
});
