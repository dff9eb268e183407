import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import {
  awsVpceIdOf,
  awsVpceIdTlv,
  azureLinkIdOf,
  azureLinkIdTlv,
  decodeProxyV2,
  encodeProxyV2,
  PROXY_V2_SIGNATURE,
  ProxyProtocolError,
  ProxyV2Parser,
  readProxyHeader,
  type ProxyHeader,
} from './proxy-protocol.js';
import { bytesToIpv6, ipv6ToBytes } from './ipv6-text.js';
import { Cleanup, dial, listen } from './dataplane.test-support.js';

const VPCE = 'vpce-0a1b2c3d4e5f60718';

test('a TCP4 PROXY header with the AWS VPC-endpoint TLV is byte-for-byte what an NLB sends', () => {
  const header: ProxyHeader = {
    command: 'PROXY',
    transport: 'TCP4',
    source: { address: '10.0.0.5', port: 51000 },
    destination: { address: '10.0.1.9', port: 1024 },
    tlvs: [awsVpceIdTlv(VPCE)],
  };
  const expected = Buffer.concat([
    PROXY_V2_SIGNATURE,
    Buffer.from([0x21, 0x11]), // v2 PROXY, TCP over IPv4
    Buffer.from([0x00, 12 + 3 + 1 + VPCE.length]),
    Buffer.from([10, 0, 0, 5, 10, 0, 1, 9]),
    Buffer.from([51000 >> 8, 51000 & 0xff, 0x04, 0x00]),
    Buffer.from([0xea, 0x00, 1 + VPCE.length, 0x01]),
    Buffer.from(VPCE, 'ascii'),
  ]);
  const encoded = encodeProxyV2(header);
  assert.deepEqual(encoded, expected);
  const decoded = decodeProxyV2(encoded);
  assert.ok(decoded);
  assert.equal(decoded.length, encoded.length);
  assert.deepEqual(decoded.header, header);
  assert.equal(awsVpceIdOf(decoded.header), VPCE);
});

test('TCP6, LOCAL and Azure headers round-trip', () => {
  const cases: ProxyHeader[] = [
    { command: 'PROXY', transport: 'TCP6', source: { address: '2001:db8::1', port: 40000 }, destination: { address: 'fe80::1:2:3:4', port: 1025 }, tlvs: [awsVpceIdTlv(VPCE)] },
    { command: 'PROXY', transport: 'TCP6', source: { address: '::ffff:127.0.0.1', port: 1 }, destination: { address: '::1', port: 65535 }, tlvs: [] },
    { command: 'LOCAL', transport: 'UNSPEC', tlvs: [{ type: 0x04, value: Buffer.alloc(7) }] },
    { command: 'PROXY', transport: 'TCP4', source: { address: '192.0.2.1', port: 2 }, destination: { address: '192.0.2.2', port: 3 }, tlvs: [azureLinkIdTlv(0x01020304)] },
    { command: 'PROXY', transport: 'UNIX_STREAM', source: { address: '/tmp/a.sock', port: 0 }, destination: { address: '/tmp/b.sock', port: 0 }, tlvs: [] },
  ];
  for (const header of cases) {
    const decoded = decodeProxyV2(encodeProxyV2(header));
    assert.deepEqual(decoded?.header, header);
  }
  assert.equal(azureLinkIdOf(cases[3]!), 0x01020304);
  assert.equal(awsVpceIdOf(cases[3]!), undefined);
  assert.equal(bytesToIpv6(ipv6ToBytes('2001:DB8:0:0:1:0:0:1')), '2001:db8::1:0:0:1');
  assert.equal(bytesToIpv6(ipv6ToBytes('::')), '::');
});

test('the streaming parser accepts a header split into single bytes and returns the bytes after it', () => {
  const header: ProxyHeader = {
    command: 'PROXY',
    transport: 'TCP4',
    source: { address: '1.2.3.4', port: 5 },
    destination: { address: '6.7.8.9', port: 10 },
    tlvs: [awsVpceIdTlv(VPCE)],
  };
  const wire = Buffer.concat([encodeProxyV2(header), Buffer.from('hello')]);
  const parser = new ProxyV2Parser();
  let result: ReturnType<ProxyV2Parser['push']>;
  let at = 0;
  for (; at < wire.length; at++) {
    result = parser.push(wire.subarray(at, at + 1));
    if (result) break;
  }
  assert.equal(at, wire.length - 6, 'complete exactly at the last header byte');
  assert.deepEqual(result!.header, header);
  assert.equal(result!.rest.length, 0);
  // Same bytes in two uneven chunks: the application bytes come back as `rest`.
  const again = new ProxyV2Parser();
  assert.equal(again.push(wire.subarray(0, 20)), undefined);
  const done = again.push(wire.subarray(20));
  assert.equal(done?.rest.toString(), 'hello');
});

test('garbage is rejected on its first wrong byte', () => {
  const reject = (bytes: Buffer, code: string): void => {
    assert.throws(
      () => decodeProxyV2(bytes),
      (error: unknown) => error instanceof ProxyProtocolError && error.code === code,
    );
  };
  reject(Buffer.from('G'), 'BAD_SIGNATURE');
  reject(Buffer.from('GET / HTTP/1.1\r\n\r\n'), 'BAD_SIGNATURE');
  reject(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n'), 'BAD_SIGNATURE'); // v1 text header
  const good = encodeProxyV2({
    command: 'PROXY',
    transport: 'TCP4',
    source: { address: '1.2.3.4', port: 1 },
    destination: { address: '5.6.7.8', port: 2 },
    tlvs: [awsVpceIdTlv(VPCE)],
  });
  reject(Buffer.concat([good.subarray(0, 12), Buffer.from([0x11])]), 'BAD_VERSION');
  reject(Buffer.concat([good.subarray(0, 12), Buffer.from([0x2f])]), 'BAD_COMMAND');
  reject(Buffer.concat([good.subarray(0, 13), Buffer.from([0x41])]), 'BAD_FAMILY');
  const shortBody = Buffer.from(good);
  shortBody.writeUInt16BE(4, 14); // less than the 12-byte IPv4 address block
  reject(shortBody, 'BAD_LENGTH');
  const overrun = Buffer.from(good);
  overrun.writeUInt16BE(0xff, 16 + 12 + 1); // TLV claims 255 bytes
  reject(overrun, 'BAD_TLV');
  // A valid prefix is not an error: it just needs more bytes.
  assert.equal(decodeProxyV2(good.subarray(0, 15)), undefined);
  assert.equal(decodeProxyV2(good.subarray(0, good.length - 1)), undefined);
});

test('readProxyHeader reads a header that arrives in pieces over a real socket', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const results: Array<Promise<Awaited<ReturnType<typeof readProxyHeader>>>> = [];
  const { port } = await listen((socket) => results.push(readProxyHeader(socket, { timeoutMs: 2000 })), cleanup);
  const header: ProxyHeader = {
    command: 'PROXY',
    transport: 'TCP4',
    source: { address: '10.1.2.3', port: 4444 },
    destination: { address: '10.9.8.7', port: 1026 },
    tlvs: [awsVpceIdTlv(VPCE)],
  };
  const wire = Buffer.concat([encodeProxyV2(header), Buffer.from('first bytes')]);
  const client = await dial(port, cleanup);
  client.setNoDelay(true);
  for (const [from, to] of [
    [0, 5],
    [5, 17],
    [17, 30],
    [30, wire.length],
  ]) {
    client.write(wire.subarray(from, to));
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  while (results.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const { header: got, rest } = await results[0]!;
  assert.deepEqual(got, header);
  assert.equal(awsVpceIdOf(got), VPCE);
  // The last write carried the header's tail and the application bytes: those come back as `rest`.
  assert.equal(rest.toString(), 'first bytes');
});

test('readProxyHeader fails cleanly on garbage, on a silent client, and on a client that hangs up', async (t) => {
  const cleanup = new Cleanup();
  t.after(() => cleanup.run());
  const outcomes: Array<Promise<unknown>> = [];
  const { port } = await listen((socket) => {
    outcomes.push(
      readProxyHeader(socket, { timeoutMs: 300 }).then(
        () => 'resolved',
        (error: ProxyProtocolError) => error.code,
      ),
    );
  }, cleanup);
  const waitFor = async (n: number): Promise<void> => {
    while (outcomes.length < n) await new Promise((resolve) => setTimeout(resolve, 5));
  };

  const garbage = await dial(port, cleanup);
  garbage.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await waitFor(1);
  assert.equal(await outcomes[0], 'BAD_SIGNATURE');

  const silent = await dial(port, cleanup);
  silent.write(PROXY_V2_SIGNATURE.subarray(0, 6));
  await waitFor(2);
  const started = Date.now();
  assert.equal(await outcomes[1], 'TIMEOUT');
  assert.ok(Date.now() - started < 1000, 'timeout honoured');

  const quitter = await dial(port, cleanup);
  quitter.write(PROXY_V2_SIGNATURE.subarray(0, 6));
  await waitFor(3);
  quitter.end();
  await once(quitter, 'close');
  assert.equal(await outcomes[2], 'CLOSED');
});
