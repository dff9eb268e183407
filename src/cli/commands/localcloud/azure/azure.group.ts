import { defineGroup } from '../../../framework/command-spec.js';
import { createPrivateEndpointCommand } from './create-private-endpoint.command.js';
import { credentialsCommand } from './credentials.command.js';
import { deletePrivateEndpointCommand } from './delete-private-endpoint.command.js';
import { describePrivateEndpointCommand } from './describe-private-endpoint.command.js';

/** `privlink localcloud azure …`: the customer's side of the local cloud's Azure, with the official Azure SDK inside. */
export const localcloudAzureGroup = defineGroup({
  name: 'azure',
  summary: 'Customer-side Azure operations against the local cloud (private endpoints, as `az network private-endpoint`).',
  description:
    "Endpoint, CA and the customer's service principal: --data-dir, else AZURE_RESOURCE_MANAGER_ENDPOINT, AZURE_AUTHORITY_HOST, NODE_EXTRA_CA_CERTS, AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_SUBSCRIPTION_ID, else PRIVLINK_DATA_DIR.\nAzure's errors print as (<Code>) <message>.",
  commands: [createPrivateEndpointCommand, credentialsCommand, deletePrivateEndpointCommand, describePrivateEndpointCommand],
});
