import { defineCommand } from '../../../framework/command-spec.js';
import { ARM_FLAGS, armClients, callArm, parsePrivateEndpointId } from './arm-session.js';

/**
 * `privlink localcloud azure delete-private-endpoint <id>`: deletes the customer's private endpoint
 * (and its network interface) and waits until Azure has; prints `Private endpoint '<id>' deleted`.
 * As `az network private-endpoint delete`, it does not ask first.
 */
export const deletePrivateEndpointCommand = defineCommand({
  name: 'delete-private-endpoint',
  summary: 'Delete a private endpoint (as `az network private-endpoint delete`).',
  args: [{ name: 'privateEndpointId', description: 'Resource id of the private endpoint (/subscriptions/…/providers/Microsoft.Network/privateEndpoints/<name>).' }],
  flags: [...ARM_FLAGS],
  examples: [
    'privlink localcloud azure delete-private-endpoint --data-dir ./.privlink \\\n  /subscriptions/4e133d35-e734-4385-a565-c0945567ae34/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas',
  ],
  async run(ctx, [id]) {
    const ref = parsePrivateEndpointId(id!);
    const { network, target } = await armClients(ctx, ref.subscriptionId);
    await callArm(target, () => network.privateEndpoints.beginDeleteAndWait(ref.resourceGroup, ref.name));
    ctx.out(`Private endpoint '${ref.id}' deleted\n`);
  },
});
