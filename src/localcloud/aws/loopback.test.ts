import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cidrContains, cidrsOverlap, formatCidr, formatIpv4, lowestFreeAddress, parseCidr, parseIpv4, usableRange } from './ipv4.js';
import { loopbackAddress, maxVpcSlot } from './loopback.js';

describe('loopback mapping', () => {
  test('maps a VPC address to 127.<base+slot>.<third>.<fourth>', () => {
    assert.equal(loopbackAddress(0, 1, '172.31.16.5'), '127.1.16.5');
    assert.equal(loopbackAddress(100, 3, '10.0.255.254'), '127.103.255.254');
  });

  test('keeps only the low 16 bits, so two VPCs with the same CIDR never collide', () => {
    assert.notEqual(loopbackAddress(100, 1, '172.31.0.4'), loopbackAddress(100, 2, '172.31.0.4'));
    assert.equal(loopbackAddress(100, 1, '172.31.0.4'), loopbackAddress(100, 1, '10.9.0.4'));
  });

  test('refuses slots that do not fit the second octet', () => {
    assert.equal(maxVpcSlot(100), 155);
    assert.equal(loopbackAddress(100, 155, '10.0.0.1'), '127.255.0.1');
    assert.throws(() => loopbackAddress(100, 156, '10.0.0.1'), RangeError);
    assert.throws(() => loopbackAddress(100, 0, '10.0.0.1'), RangeError);
    assert.throws(() => loopbackAddress(0, 1, 'not-an-ip'), RangeError);
  });
});

describe('IPv4 helpers', () => {
  test('parse and format round-trip; malformed input is undefined', () => {
    assert.equal(formatIpv4(parseIpv4('192.168.1.254')!), '192.168.1.254');
    assert.equal(parseIpv4('256.0.0.1'), undefined);
    assert.equal(parseIpv4('1.2.3'), undefined);
    assert.equal(formatCidr(parseCidr('172.31.16.0/20')!), '172.31.16.0/20');
    assert.equal(parseCidr('172.31.16.1/20'), undefined, 'host bits set');
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
  });

  test('containment and overlap', () => {
    assert.ok(cidrContains(parseCidr('172.31.0.0/16')!, parseCidr('172.31.96.0/20')!));
    assert.ok(!cidrContains(parseCidr('172.31.0.0/16')!, parseCidr('172.32.0.0/20')!));
    assert.ok(cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('10.0.0.128/25')!));
    assert.ok(!cidrsOverlap(parseCidr('10.0.0.0/25')!, parseCidr('10.0.0.128/25')!));
  });

  test('AWS reserves the first four and the last address of a subnet', () => {
    const cidr = parseCidr('10.0.1.0/28')!;
    assert.deepEqual(usableRange(cidr), { first: parseIpv4('10.0.1.4'), last: parseIpv4('10.0.1.14'), count: 11 });
    assert.equal(lowestFreeAddress(cidr, new Set()), '10.0.1.4');
    assert.equal(lowestFreeAddress(cidr, new Set(['10.0.1.4', '10.0.1.5'])), '10.0.1.6');
    const all = new Set(Array.from({ length: 11 }, (_, i) => `10.0.1.${i + 4}`));
    assert.equal(lowestFreeAddress(cidr, all), undefined);
  });
});
