import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { awsVpceIdOf, azureLinkIdOf, decodeProxyV2, encodeProxyV2, gcpPscConnectionIdOf } from '../dataplane/proxy-protocol.js';
import { endpointTlv } from './endpoint-tlv.js';

const header = (tlv: ReturnType<typeof endpointTlv>) =>
  decodeProxyV2(
    encodeProxyV2({ command: 'PROXY', transport: 'TCP4', source: { address: '10.0.0.5', port: 50000 }, destination: { address: '10.0.1.9', port: 1024 }, tlvs: [tlv] }),
  )!.header;

describe('the TLV an endpoint carries, per cloud', () => {
  test('AWS: type 0xEA, subtype 0x01, then the VPC endpoint id in ASCII', () => {
    const tlv = endpointTlv({ kind: 'aws-vpce-id', vpceId: 'vpce-0a1b2c3d4e5f60718' });
    assert.equal(tlv.type, 0xea);
    assert.deepEqual(tlv.value, Buffer.concat([Buffer.from([0x01]), Buffer.from('vpce-0a1b2c3d4e5f60718', 'ascii')]));
    assert.equal(awsVpceIdOf(header(tlv)), 'vpce-0a1b2c3d4e5f60718');
    assert.equal(azureLinkIdOf(header(tlv)), undefined);
  });

  test('Azure: type 0xEE, subtype 0x01, then the LinkID as uint32 little-endian', () => {
    const tlv = endpointTlv({ kind: 'azure-link-id', linkId: 0x0403_0201 });
    assert.equal(tlv.type, 0xee);
    assert.deepEqual(tlv.value, Buffer.from([0x01, 0x01, 0x02, 0x03, 0x04]));
    assert.equal(azureLinkIdOf(header(tlv)), 0x0403_0201);
    assert.equal(awsVpceIdOf(header(tlv)), undefined);
    assert.throws(() => endpointTlv({ kind: 'azure-link-id', linkId: 2 ** 32 }), RangeError);
  });

  test('GCP: type 0xE0, then the PSC connection id as uint64 big-endian', () => {
    const tlv = endpointTlv({ kind: 'gcp-psc-connection-id', pscConnectionId: '18446744073709551615' });
    assert.equal(tlv.type, 0xe0);
    assert.deepEqual(tlv.value, Buffer.alloc(8, 0xff));
    assert.deepEqual(endpointTlv({ kind: 'gcp-psc-connection-id', pscConnectionId: '258' }).value, Buffer.from([0, 0, 0, 0, 0, 0, 1, 2]));
    assert.equal(gcpPscConnectionIdOf(header(tlv)), '18446744073709551615');
    assert.throws(() => endpointTlv({ kind: 'gcp-psc-connection-id', pscConnectionId: '18446744073709551616' }), RangeError);
  });
});
