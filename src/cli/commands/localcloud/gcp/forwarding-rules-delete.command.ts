import { defineCommand } from '../../../framework/command-spec.js';
import { COMPUTE_FLAGS, withCompute } from './compute-session.js';

/**
 * `privlink localcloud gcp forwarding-rules delete <name> --region <r>`: deletes the forwarding
 * rule (a PSC endpoint: its connection closes) and waits until Compute has; the reserved address
 * stays. As the other `localcloud` deletes, it does not ask first.
 */
export const forwardingRulesDeleteCommand = defineCommand({
  name: 'delete',
  summary: 'Delete a forwarding rule (as `gcloud compute forwarding-rules delete`); its reserved address stays.',
  args: [{ name: 'name', description: 'Name of the forwarding rule.' }],
  flags: [{ syntax: '--region <region>', description: 'Region of the rule.', required: true }, ...COMPUTE_FLAGS],
  examples: ['privlink localcloud gcp forwarding-rules delete endpoint-0 --region us-central1 --data-dir ./.privlink'],
  async run(ctx, [name]) {
    const region = ctx.flag('region')!;
    const project = await withCompute(ctx, async (c) => {
      await c.done(c.forwardingRules.delete({ project: c.project, region, forwardingRule: name! }));
      return c.project;
    });
    ctx.out(`Deleted forwarding rule projects/${project}/regions/${region}/forwardingRules/${name}.\n`);
  },
});
