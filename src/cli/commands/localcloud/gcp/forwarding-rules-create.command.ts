import { defineCommand } from '../../../framework/command-spec.js';
import { COMPUTE_FLAGS, withCompute } from './compute-session.js';
import { createPscRule } from './psc-steps.js';
import { ruleRow, ruleTable } from './forwarding-rules-list.command.js';

/**
 * `privlink localcloud gcp forwarding-rules create <name> --region --network --address <addressName>
 * --target-service-attachment <link>`: a Private Service Connect endpoint (as `gcloud compute
 * forwarding-rules create`): the forwarding rule from a reserved address to a service attachment.
 * Prints the rule as `forwarding-rules list` does (PENDING until the producer accepts it).
 */
export const forwardingRulesCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create a Private Service Connect forwarding rule to a service attachment (as `gcloud compute forwarding-rules create`).',
  args: [{ name: 'name', description: 'Name of the forwarding rule (the endpoint name Atlas asks for).' }],
  flags: [
    { syntax: '--region <region>', description: 'Region of the rule, the address and the service attachment.', required: true },
    { syntax: '--network <name>', description: 'VPC network of the endpoint.', required: true },
    { syntax: '--address <addressName>', description: 'Name of a reserved internal address in the region.', required: true },
    {
      syntax: '--target-service-attachment <link>',
      description:
        'The service attachment: projects/<project>/regions/<region>/serviceAttachments/<name> (serviceAttachmentNames of `privlink privateEndpoints gcp describe -o json`).',
      required: true,
    },
    ...COMPUTE_FLAGS,
  ],
  examples: [
    'privlink localcloud gcp forwarding-rules create endpoint-0 --region us-central1 --network app-net --address endpoint-0 \\\n  --target-service-attachment projects/p-producer/regions/us-central1/serviceAttachments/sa-0 --data-dir ./.privlink',
  ],
  async run(ctx, [name]) {
    const rule = await withCompute(ctx, (c) =>
      createPscRule(c, {
        name: name!,
        region: ctx.flag('region')!,
        network: ctx.flag('network')!,
        address: ctx.flag('address')!,
        target: ctx.flag('targetServiceAttachment')!,
      }),
    );
    ctx.printHuman([ruleRow(rule)], ruleTable);
  },
});
