import { FlagError } from '../../../framework/cli-errors.js';
import { defineCommand } from '../../../framework/command-spec.js';
import { COMPUTE_FLAGS, withCompute } from './compute-session.js';
import { ensureNetwork } from './psc-steps.js';

/**
 * `privlink localcloud gcp networks create <name> [--subnet <name> --range <cidr> --region <r>]`:
 * a custom-mode VPC network and, with `--subnet`, a subnet in it (as `gcloud compute networks
 * create --subnet-mode=custom` and `gcloud compute networks subnets create`). Idempotent: what
 * exists is kept. Prints what it made, or that everything was there.
 */
export const DEFAULT_RANGE = '10.142.0.0/20';
export const DEFAULT_REGION = 'us-central1';

export const networksCreateCommand = defineCommand({
  name: 'create',
  summary: 'Create a VPC network and, with --subnet, a subnet in it (as `gcloud compute networks create` and `gcloud compute networks subnets create`).',
  description: 'Idempotent: an existing network or subnet is kept as it is.',
  args: [{ name: 'name', description: 'Name of the network.' }],
  flags: [
    { syntax: '--subnet <name>', description: 'Name of a subnet to make in the network.' },
    { syntax: '--range <cidr>', description: `Primary IPv4 range of the subnet (default ${DEFAULT_RANGE}).` },
    { syntax: '--region <region>', description: `Region of the subnet (default ${DEFAULT_REGION}).` },
    ...COMPUTE_FLAGS,
  ],
  examples: ['privlink localcloud gcp networks create app-net --subnet app-subnet --range 10.142.0.0/20 --region us-central1 --data-dir ./.privlink'],
  async run(ctx, [name]) {
    const subnet = ctx.flag('subnet');
    if (!subnet && (ctx.flag('range') || ctx.flag('region'))) throw new FlagError('--range and --region need --subnet');
    const spec = subnet ? { name: subnet, range: ctx.flag('range') ?? DEFAULT_RANGE, region: ctx.flag('region') ?? DEFAULT_REGION } : undefined;
    const made = await withCompute(ctx, (c) => ensureNetwork(c, name!, spec));
    ctx.out(made.length > 0 ? made.map((what) => `Created ${what}.\n`).join('') : `Network ${name}${subnet ? ` and subnet ${subnet}` : ''} already exist.\n`);
  },
});
