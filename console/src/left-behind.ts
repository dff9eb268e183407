import type { Provider } from './endpoints';

/**
 * What stays on the customer's side, per cloud: privlink never deletes the customer's own
 * endpoint. The dedicated-cluster and serverless tables and their Terminate dialogs say the same.
 */

/** Where the customer's own endpoint stays after Atlas lets go of it. */
export const LEFT_BEHIND: Record<Provider, string> = {
  AWS: 'Your interface endpoint in AWS stays in your VPC until you delete it there.',
  AZURE: 'Your private endpoint in Azure stays in your VNet until you delete it there (az network private-endpoint delete).',
  GCP: 'Your forwarding rules and addresses in Google Cloud stay in your VPC until you delete them there (gcloud compute forwarding-rules delete).',
};

/** What the customer does with a rejected endpoint. */
export const REJECTED_LEFT_BEHIND: Record<Provider, string> = {
  AWS: 'A rejected endpoint stays in your VPC: delete it in your AWS account (aws ec2 delete-vpc-endpoints).',
  AZURE: 'A rejected private endpoint stays in your VNet: delete it in your Azure subscription (az network private-endpoint delete).',
  GCP: 'Rejected forwarding rules stay in your VPC: delete them and their addresses in your Google Cloud project (gcloud compute forwarding-rules delete).',
};
