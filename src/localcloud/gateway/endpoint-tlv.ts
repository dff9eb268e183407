import type { SnapshotProxyTlv } from '../common/data-plane-snapshot.js';
import { awsVpceIdTlv, azureLinkIdTlv, gcpPscConnectionIdTlv, type ProxyTlv } from '../dataplane/proxy-protocol.js';

/**
 * The PROXY v2 TLV bytes for an endpoint's identity, as its cloud's load balancer writes them:
 * AWS NLB type 0xEA/0x01 + the VPC endpoint id; Azure Private Link type 0xEE/0x01 + the LinkID
 * (uint32 little-endian); GCP Private Service Connect type 0xE0 + the PSC connection id (uint64).
 * Pure. Throws RangeError for a value its cloud could not send.
 */
export function endpointTlv(tlv: SnapshotProxyTlv): ProxyTlv {
  switch (tlv.kind) {
    case 'aws-vpce-id':
      return awsVpceIdTlv(tlv.vpceId);
    case 'azure-link-id':
      if (!Number.isInteger(tlv.linkId) || tlv.linkId < 0 || tlv.linkId > 0xffff_ffff) throw new RangeError(`Not an Azure LinkID: ${tlv.linkId}`);
      return azureLinkIdTlv(tlv.linkId);
    case 'gcp-psc-connection-id':
      return gcpPscConnectionIdTlv(tlv.pscConnectionId);
  }
}
