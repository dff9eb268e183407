import { defineCommand } from '../../../framework/command-spec.js';
import { ARM_FLAGS, armClients, callArm, outputChoice, parsePrivateEndpointId, privateEndpointAddress } from './arm-session.js';

/**
 * `privlink localcloud azure describe-private-endpoint <id>`: the private endpoint's connection
 * as the customer sees it (Pending until the service owner approves, then Approved; Rejected or
 * Disconnected when the owner refuses or removes it), its IP address and provisioning state. A
 * table (aligned on a terminal, tab-separated in a pipe), or with `-o json` one object.
 */
export interface PrivateEndpointSummary {
  readonly id: string;
  readonly privateEndpointIPAddress: string | null;
  readonly privateLinkServiceId: string | null;
  /** `privateLinkServiceConnectionState.status`: Pending | Approved | Rejected | Disconnected. */
  readonly connectionStatus: string | null;
  readonly connectionDescription: string | null;
  readonly provisioningState: string | null;
}

function table(body: unknown): string {
  const e = body as PrivateEndpointSummary;
  return `ID\tIP ADDRESS\tCONNECTION\tPROVISIONING STATE\n${[e.id, e.privateEndpointIPAddress, e.connectionStatus, e.provisioningState].map((v) => v ?? '').join('\t')}\n`;
}

export const describePrivateEndpointCommand = defineCommand({
  name: 'describe-private-endpoint',
  summary: "Show a private endpoint's connection state and IP address (as `az network private-endpoint show`).",
  args: [{ name: 'privateEndpointId', description: 'Resource id of the private endpoint (/subscriptions/…/providers/Microsoft.Network/privateEndpoints/<name>).' }],
  flags: [...ARM_FLAGS, { syntax: '-o, --output <format>', description: 'Output format: text (default) or json.' }],
  examples: [
    'privlink localcloud azure describe-private-endpoint --data-dir ./.privlink \\\n  /subscriptions/4e133d35-e734-4385-a565-c0945567ae34/resourceGroups/rg-app/providers/Microsoft.Network/privateEndpoints/pe-atlas',
  ],
  async run(ctx, [id]) {
    const ref = parsePrivateEndpointId(id!);
    const output = outputChoice(ctx, 'text');
    const { network, target } = await armClients(ctx, ref.subscriptionId);
    const summary = await callArm(target, async (): Promise<PrivateEndpointSummary> => {
      const endpoint = await network.privateEndpoints.get(ref.resourceGroup, ref.name);
      const connection = [...(endpoint.manualPrivateLinkServiceConnections ?? []), ...(endpoint.privateLinkServiceConnections ?? [])][0];
      return {
        id: endpoint.id ?? ref.id,
        privateEndpointIPAddress: (await privateEndpointAddress(network, endpoint.networkInterfaces)) ?? null,
        privateLinkServiceId: connection?.privateLinkServiceId ?? null,
        connectionStatus: connection?.privateLinkServiceConnectionState?.status ?? null,
        connectionDescription: connection?.privateLinkServiceConnectionState?.description ?? null,
        provisioningState: endpoint.provisioningState ?? null,
      };
    });
    if (output === 'json') ctx.out(`${JSON.stringify(summary, null, 2)}\n`);
    else ctx.printHuman(summary, table);
  },
});
