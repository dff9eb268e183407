import { indexedBy, type DataPlaneSnapshot, type SnapshotEndpoint, type SnapshotProxyTlv } from '../common/data-plane-snapshot.js';
import {
  awsVpceIdOf,
  awsVpceIdTlv,
  azureLinkIdOf,
  azureLinkIdTlv,
  gcpPscConnectionIdOf,
  gcpPscConnectionIdTlv,
  type ProxyHeader,
  type ProxyTlv,
} from '../dataplane/proxy-protocol.js';

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

/**
 * The endpoint identity a PROXY v2 header carries, in the snapshot's terms: the AWS VPC endpoint
 * id, else the Azure LinkID, else the GCP PSC connection id; undefined when it carries none. Pure.
 */
export function endpointTlvOf(header: ProxyHeader): SnapshotProxyTlv | undefined {
  const vpceId = awsVpceIdOf(header);
  if (vpceId !== undefined) return { kind: 'aws-vpce-id', vpceId };
  const linkId = azureLinkIdOf(header);
  if (linkId !== undefined) return { kind: 'azure-link-id', linkId };
  const pscConnectionId = gcpPscConnectionIdOf(header);
  return pscConnectionId !== undefined ? { kind: 'gcp-psc-connection-id', pscConnectionId } : undefined;
}

/**
 * The endpoint id (AWS `vpce-…`, Azure private endpoint resource id, GCP forwarding rule path) a
 * connection with this TLV came through. The AWS TLV is the id itself; an Azure LinkID or a PSC
 * connection id is looked up among the snapshot's endpoints (undefined when none has it, or
 * without a snapshot). Pure.
 */
export function endpointIdOfTlv(snapshot: DataPlaneSnapshot | undefined, tlv: SnapshotProxyTlv): string | undefined {
  if (tlv.kind === 'aws-vpce-id') return tlv.vpceId;
  const matches = (snapshot && indexedBy(snapshot.endpoints, byTlv).get(tlvKey(tlv))) ?? [];
  // A LinkID only identifies an endpoint whose connection carries traffic; prefer that one.
  return (matches.find((e) => e.forwarding) ?? matches[0])?.endpointId;
}

/** A TLV as one string: its kind and value. */
function tlvKey(tlv: SnapshotProxyTlv): string {
  switch (tlv.kind) {
    case 'aws-vpce-id':
      return `${tlv.kind} ${tlv.vpceId}`;
    case 'azure-link-id':
      return `${tlv.kind} ${tlv.linkId}`;
    case 'gcp-psc-connection-id':
      return `${tlv.kind} ${tlv.pscConnectionId}`;
  }
}

const byTlv = (endpoint: SnapshotEndpoint) => tlvKey(endpoint.proxyTlv);
