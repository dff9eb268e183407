import { FlagError } from '../../../framework/cli-errors.js';
import { defineCommand } from '../../../framework/command-spec.js';
import { COMPUTE_FLAGS, outputChoice, withCompute } from './compute-session.js';
import { DEFAULT_RANGE } from './networks-create.command.js';
import { ensureAddress, ensureNetwork, ensurePscRule } from './psc-steps.js';

/**
 * `privlink localcloud gcp create-endpoints --prefix endpoint --region r --network n --subnet s
 * --service-attachments a,b,…`: what Atlas's UI has users run with gcloud for a GCP private
 * endpoint, in one command. Makes the network and subnet when missing; then for attachment i an
 * internal address and a PSC forwarding rule both named `<prefix>-<i>`, each kept when it exists
 * (re-running after a failure finishes the job). Prints the `--endpoint` value of
 * `privlink privateEndpoints gcp interfaces create`: `<prefix>-0@ip,<prefix>-1@ip,…` (or with
 * `-o json` {"gcpProjectId", "endpointGroupName", "endpoints": [{endpointName, ipAddress}]}); what
 * it does goes to stderr. The endpoint group name is the one forwarding rule's name when there is
 * one attachment (a port-mapped endpoint service), the prefix otherwise.
 */
export interface CreatedEndpoints {
  readonly gcpProjectId: string;
  readonly endpointGroupName: string;
  readonly endpoints: ReadonlyArray<{ readonly endpointName: string; readonly ipAddress: string }>;
}

export const createEndpointsCommand = defineCommand({
  name: 'create-endpoints',
  summary: "Create one PSC endpoint (address + forwarding rule) per service attachment, as Atlas's gcloud script does.",
  description:
    'Makes the network and the subnet when they are missing. Endpoint i is the address and the forwarding rule <prefix>-<i> to the i-th service attachment; existing ones are kept. Prints the --endpoint value of `privlink privateEndpoints gcp interfaces create`.',
  flags: [
    { syntax: '--prefix <prefix>', description: 'Name prefix of the addresses and forwarding rules (Atlas: the endpoint group name).', defaultValue: 'endpoint' },
    { syntax: '--region <region>', description: 'Region of the endpoints (the endpoint service region).', required: true },
    { syntax: '--network <name>', description: 'VPC network of the endpoints.', required: true },
    { syntax: '--subnet <name>', description: 'Subnet the addresses are taken from.', required: true },
    { syntax: '--range <cidr>', description: 'Range of the subnet when it has to be made.', defaultValue: DEFAULT_RANGE },
    {
      syntax: '--service-attachments <links...>',
      description: 'The service attachments, comma-separated (serviceAttachmentNames of `privlink privateEndpoints gcp describe -o json`).',
      required: true,
    },
    ...COMPUTE_FLAGS,
    { syntax: '-o, --output <format>', description: 'Output format: text (default: the --endpoint value) or json.' },
  ],
  examples: [
    '# One endpoint per service attachment of an Atlas GCP endpoint service:\nprivlink localcloud gcp create-endpoints --data-dir ./.privlink --region us-central1 --network app-net --subnet app-subnet \\\n  --service-attachments projects/p-producer/regions/us-central1/serviceAttachments/sa-0,projects/p-producer/regions/us-central1/serviceAttachments/sa-1',
  ],
  async run(ctx) {
    const output = outputChoice(ctx);
    const attachments = ctx.list('serviceAttachments');
    if (attachments.length === 0) throw new FlagError('--service-attachments names no service attachment');
    const prefix = ctx.flag('prefix')!;
    const region = ctx.flag('region')!;
    const network = ctx.flag('network')!;
    const subnet = ctx.flag('subnet')!;
    const result = await withCompute(ctx, async (c): Promise<CreatedEndpoints> => {
      for (const what of await ensureNetwork(c, network, { name: subnet, range: ctx.flag('range')!, region })) ctx.err(`Created ${what}.\n`);
      const endpoints: Array<{ endpointName: string; ipAddress: string }> = [];
      for (const [i, target] of attachments.entries()) {
        const name = `${prefix}-${i}`;
        const address = await ensureAddress(c, { name, region, subnet });
        const rule = await ensurePscRule(c, { name, region, network, address: name, target });
        ctx.err(`Endpoint ${name}: ${address.address} → ${target} (${rule.pscConnectionStatus ?? 'no PSC status'})\n`);
        endpoints.push({ endpointName: name, ipAddress: address.address ?? '' });
      }
      // With port mapping (one attachment) Atlas names the group after its one forwarding rule; otherwise after the prefix.
      return { gcpProjectId: c.project, endpointGroupName: endpoints.length === 1 ? endpoints[0]!.endpointName : prefix, endpoints };
    });
    const value = result.endpoints.map((e) => `${e.endpointName}@${e.ipAddress}`).join(',');
    if (output === 'json') {
      ctx.out(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    ctx.out(`${value}\n`);
    ctx.err(
      `Register them: privlink privateEndpoints gcp interfaces create ${result.endpointGroupName} --endpointServiceId <endpointServiceId> --gcpProjectId ${result.gcpProjectId} --endpoint ${value}\n`,
    );
  },
});
