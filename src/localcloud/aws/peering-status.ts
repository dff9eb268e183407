import type { VpcPeering, VpcPeeringStatus } from './model.js';

/** The status a stored VPC peering connection has at `now`: a request left pending past its expiry has expired. Pure. */
export function currentStatus(peering: VpcPeering, now: Date): VpcPeeringStatus {
  return peering.status === 'pending-acceptance' && peering.expiresAt.getTime() <= now.getTime() ? 'expired' : peering.status;
}
