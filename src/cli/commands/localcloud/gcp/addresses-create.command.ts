import { defineCommand } from '../../../framework/command-spec.js';
import { COMPUTE_FLAGS, withCompute } from './compute-session.js';
import { reserveAddress } from './psc-steps.js';

/**
 * `privlink localcloud gcp addresses create <name> --region <r> --subnet <s> [--address <ip>]`:
 * reserves an internal IP address in the subnet (as `gcloud compute addresses create`), the one
 * given or the lowest free one. Prints `<name>\t<ip>`.
 */
export const addressesCreateCommand = defineCommand({
  name: 'create',
  summary: 'Reserve an internal IP address in a subnet (as `gcloud compute addresses create`).',
  args: [{ name: 'name', description: 'Name of the address.' }],
  flags: [
    { syntax: '--region <region>', description: 'Region of the address and the subnet.', required: true },
    { syntax: '--subnet <name>', description: 'Subnet the address is taken from.', required: true },
    { syntax: '--address <ip>', description: 'The IP address to reserve (default: the lowest free one in the subnet).' },
    ...COMPUTE_FLAGS,
  ],
  examples: ['privlink localcloud gcp addresses create endpoint-0 --region us-central1 --subnet app-subnet --data-dir ./.privlink'],
  async run(ctx, [name]) {
    const address = await withCompute(ctx, (c) => reserveAddress(c, { name: name!, region: ctx.flag('region')!, subnet: ctx.flag('subnet')!, address: ctx.flag('address') }));
    ctx.out(`${address.name ?? name}\t${address.address ?? ''}\n`);
  },
});
