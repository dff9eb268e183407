import { defineGroup } from '../../framework/command-spec.js';
import { attachOnPremisesNetworkCommand } from './aws/attach-on-premises-network.command.js';
import { createSubnetCommand } from './aws/create-subnet.command.js';
import { createVpcEndpointCommand } from './aws/create-vpc-endpoint.command.js';
import { deleteVpcEndpointsCommand } from './aws/delete-vpc-endpoints.command.js';
import { describeSubnetsCommand } from './aws/describe-subnets.command.js';
import { describeVpcEndpointServicesCommand } from './aws/describe-vpc-endpoint-services.command.js';
import { describeVpcEndpointsCommand } from './aws/describe-vpc-endpoints.command.js';
import { describeVpcsCommand } from './aws/describe-vpcs.command.js';
import { setAvailabilityZoneStateCommand } from './aws/set-availability-zone-state.command.js';
import { localcloudAzureGroup } from './azure/azure.group.js';
import { execCommand } from './exec.command.js';
import { localcloudGcpGroup } from './gcp/gcp.group.js';
import { localcloudNodesGroup } from './nodes/nodes.group.js';

/** `privlink localcloud aws|azure|gcp …`: the customer's side of the local cloud, when the `aws`, `az` or `gcloud` CLI is not at hand. */
export const localcloudGroup = defineGroup({
  name: 'localcloud',
  aliases: ['local-cloud'],
  summary: "Act as the customer in privlink's local cloud.",
  commands: [
    defineGroup({
      name: 'aws',
      summary: 'Customer-side EC2 operations against the local cloud (a subset of `aws ec2`).',
      description:
        'Endpoint and credentials: --endpoint-url / --data-dir, else AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, PRIVLINK_DATA_DIR, else the profile keys localcloud_endpoint, localcloud_access_key_id, localcloud_secret_access_key.\nErrors print as the AWS CLI prints them: An error occurred (<Code>) when calling the <Operation> operation: <message>',
      commands: [
        attachOnPremisesNetworkCommand,
        createSubnetCommand,
        createVpcEndpointCommand,
        deleteVpcEndpointsCommand,
        describeSubnetsCommand,
        describeVpcEndpointServicesCommand,
        describeVpcEndpointsCommand,
        describeVpcsCommand,
        setAvailabilityZoneStateCommand,
      ],
    }),
    localcloudAzureGroup,
    execCommand,
    localcloudGcpGroup,
    localcloudNodesGroup,
  ],
});
