import type { CreateVpnGatewayCommandOutput } from '@aws-sdk/client-ec2';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/**
 * `privlink localcloud aws attach-on-premises-network --vpc-id vpc-… --cidr-block 10.50.0.0/16`:
 * an on-premises network behind a Direct-Connect-like link to the VPC (EC2 extension action
 * PrivlinkAttachOnPremisesNetwork, which answers as CreateVpnGateway). The SDK has no command for
 * it: a CreateVpnGateway request is renamed, and given its parameters, before it is signed.
 */
const TEMPLATE = 'GATEWAY ID\tVPC ID\tON-PREMISES CIDR\tHOSTS ON{{range .Gateways}}\n{{.VpnGatewayId}}\t{{.VpcId}}\t{{.CidrBlock}}\t{{.Loopback}}{{end}}\n';

export const attachOnPremisesNetworkCommand = defineCommand({
  name: 'attach-on-premises-network',
  summary: 'Attach an on-premises network to a VPC of the local cloud through a Direct-Connect-like link (a virtual private gateway).',
  description:
    "The network's CIDR is propagated into the VPC's main route table and the VPC's CIDR is advertised to the network, so its hosts reach the VPC's addresses, interface endpoints included. A host of the network with address a.b.x.y is a process using the loopback address 127.<octet>.x.y of the range printed under HOSTS ON (as its local address).",
  flags: [
    { syntax: '--vpc-id <id>', description: 'The VPC to attach the network to.', required: true },
    { syntax: '--cidr-block <cidr>', description: "The on-premises network's address range (/16 to /28), not overlapping the VPC.", required: true },
    ...EC2_FLAGS,
  ],
  examples: ['privlink localcloud aws attach-on-premises-network --vpc-id vpc-0a1b2c3d4e5f60718 --cidr-block 10.50.0.0/16 --data-dir ./.privlink'],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const extra = `&VpcId=${encodeURIComponent(ctx.flag('vpcId')!)}&CidrBlock=${encodeURIComponent(ctx.flag('cidrBlock')!)}`;
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const rename = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const request = (args as { request?: { body?: unknown; headers?: Record<string, string> } }).request ?? {};
      if (typeof request.body === 'string') {
        request.body = request.body.replace(/^Action=CreateVpnGateway&/, 'Action=PrivlinkAttachOnPremisesNetwork&') + extra;
        if (request.headers) request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
      }
      return next(args);
    };
    // Just before signing, after the body and its length were built.
    client.middlewareStack.addRelativeTo(rename as never, { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'privlinkAttachOnPremisesNetwork' });
    const output = await callEc2<CreateVpnGatewayCommandOutput>(client, endpoint, 'PrivlinkAttachOnPremisesNetwork', new sdk.CreateVpnGatewayCommand({ Type: 'ipsec.1' }));
    if (json) {
      ctx.out(awsJson(output));
      return;
    }
    const gateway = output.VpnGateway;
    const tag = (key: string) => gateway?.Tags?.find((t) => t.Key === key)?.Value ?? '';
    ctx.printHuman(
      {
        Gateways: gateway
          ? [{ VpnGatewayId: gateway.VpnGatewayId, VpcId: gateway.VpcAttachments?.[0]?.VpcId, CidrBlock: tag('privlink:on-premises-cidr'), Loopback: tag('privlink:loopback') }]
          : [],
      },
      TEMPLATE,
    );
  },
});
