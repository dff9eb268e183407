import { defineGroup } from '../../../framework/command-spec.js';
import { addressesCreateCommand } from './addresses-create.command.js';
import { createEndpointsCommand } from './create-endpoints.command.js';
import { credentialsCommand } from './credentials.command.js';
import { forwardingRulesCreateCommand } from './forwarding-rules-create.command.js';
import { forwardingRulesDeleteCommand } from './forwarding-rules-delete.command.js';
import { forwardingRulesListCommand } from './forwarding-rules-list.command.js';
import { networksCreateCommand } from './networks-create.command.js';

/** `privlink localcloud gcp …`: the customer's side of the local cloud's GCP (what Atlas has users run with gcloud), with the official Compute clients inside. */
export const localcloudGcpGroup = defineGroup({
  name: 'gcp',
  summary: 'Customer-side Compute Engine operations against the local cloud (Private Service Connect endpoints, as `gcloud compute`).',
  description:
    "Endpoint, project and the customer's service-account key: --data-dir, else CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE, GOOGLE_APPLICATION_CREDENTIALS, CLOUDSDK_CORE_PROJECT, else PRIVLINK_DATA_DIR; --project overrides the project.\nCompute's errors print as (<reason>) <message>.",
  commands: [
    defineGroup({ name: 'addresses', summary: 'Reserve internal IP addresses.', commands: [addressesCreateCommand] }),
    createEndpointsCommand,
    credentialsCommand,
    defineGroup({
      name: 'forwarding-rules',
      summary: 'Private Service Connect forwarding rules (endpoints).',
      commands: [forwardingRulesCreateCommand, forwardingRulesDeleteCommand, forwardingRulesListCommand],
    }),
    defineGroup({ name: 'networks', summary: 'VPC networks and their subnets.', commands: [networksCreateCommand] }),
  ],
});
