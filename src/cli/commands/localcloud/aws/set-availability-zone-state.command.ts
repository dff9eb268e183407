import type { DescribeAvailabilityZonesCommandOutput } from '@aws-sdk/client-ec2';
import { FlagError } from '../../../framework/cli-errors.js';
import { defineCommand } from '../../../framework/command-spec.js';
import { awsJson, callEc2, EC2_FLAGS, ec2Client, isJsonOutput } from './ec2-session.js';

/**
 * `privlink localcloud aws set-availability-zone-state --zone-name us-east-1a --state impaired|available`:
 * the local cloud's availability-zone fault switch (EC2 extension action
 * PrivlinkSetAvailabilityZoneState, which answers as DescribeAvailabilityZones). The SDK has no
 * command for it: a DescribeAvailabilityZones request is renamed before it is signed.
 */
const TEMPLATE = 'ZONE NAME\tZONE ID\tSTATE{{range .AvailabilityZones}}\n{{.ZoneName}}\t{{.ZoneId}}\t{{.State}}{{end}}\n';

export const setAvailabilityZoneStateCommand = defineCommand({
  name: 'set-availability-zone-state',
  summary: "Take an availability zone of the local cloud down (impaired) or bring it back (available): a fault switch for the zone's data plane.",
  description:
    'While a zone is impaired, the interface endpoint and load balancer network interfaces in it refuse connections, the private DNS answers only the addresses in other zones, and targets in it get no traffic; the APIs keep answering, as during an AWS zonal outage.',
  flags: [
    { syntax: '--zone-name <zone>', description: 'Zone name (us-east-1a) or zone id (use1-az1) of the region.', required: true },
    { syntax: '--state <state>', description: 'impaired (down) or available (up).', required: true },
    ...EC2_FLAGS,
  ],
  examples: [
    '# Take us-east-1a down, then bring it back:\nprivlink localcloud aws set-availability-zone-state --zone-name us-east-1a --state impaired --data-dir ./.privlink\nprivlink localcloud aws set-availability-zone-state --zone-name us-east-1a --state available --data-dir ./.privlink',
  ],
  async run(ctx) {
    const json = isJsonOutput(ctx);
    const state = ctx.flag('state');
    if (state !== 'impaired' && state !== 'available') throw new FlagError(`invalid argument "${state ?? ''}" for "--state" flag: valid values are impaired, available`);
    const { sdk, client, endpoint } = await ec2Client(ctx);
    const rename = (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      const request = (args as { request?: { body?: unknown; headers?: Record<string, string> } }).request ?? {};
      if (typeof request.body === 'string') {
        request.body = request.body.replace(/^Action=DescribeAvailabilityZones&/, 'Action=PrivlinkSetAvailabilityZoneState&') + `&State=${state}`;
        if (request.headers) request.headers['content-length'] = String(Buffer.byteLength(request.body as string));
      }
      return next(args);
    };
    // Just before signing, after the body and its length were built.
    client.middlewareStack.addRelativeTo(rename as never, { relation: 'before', toMiddleware: 'httpSigningMiddleware', name: 'privlinkSetAvailabilityZoneState' });
    const output = await callEc2<DescribeAvailabilityZonesCommandOutput>(
      client,
      endpoint,
      'PrivlinkSetAvailabilityZoneState',
      new sdk.DescribeAvailabilityZonesCommand({ ZoneNames: [ctx.flag('zoneName')!] }),
    );
    if (json) ctx.out(awsJson(output));
    else ctx.printHuman(output, TEMPLATE);
  },
});
