import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cidrContains, cidrsOverlap, formatCidr, formatIpv4, lowestFreeAddress, parseCidr, parseIpv4, usableRange } from './ipv4.js';
import { loopbackAddress, loopbackRanges, type LoopbackRange } from './loopback.js';

const AWS_100: LoopbackRange = loopbackRanges(100).AWS;

describe('loopback mapping', () => {
  test('maps a network address to 127.<base+slot>.<third>.<fourth>', () => {
    assert.equal(loopbackAddress({ base: 0, maxSlot: 255 }, 1, '172.31.16.5'), '127.1.16.5');
    assert.equal(loopbackAddress(AWS_100, 3, '10.0.255.254'), '127.103.255.254');
  });

  test('keeps only the low 16 bits, so two networks with the same CIDR never collide', () => {
    assert.notEqual(loopbackAddress(AWS_100, 1, '172.31.0.4'), loopbackAddress(AWS_100, 2, '172.31.0.4'));
    assert.equal(loopbackAddress(AWS_100, 1, '172.31.0.4'), loopbackAddress(AWS_100, 1, '10.9.0.4'));
  });

  test('refuses slots that do not fit the second octet', () => {
    assert.equal(AWS_100.maxSlot, 155);
    assert.equal(loopbackAddress(AWS_100, 155, '10.0.0.1'), '127.255.0.1');
    assert.throws(() => loopbackAddress(AWS_100, 156, '10.0.0.1'), RangeError);
    assert.throws(() => loopbackAddress(AWS_100, 0, '10.0.0.1'), RangeError);
    assert.throws(() => loopbackAddress(AWS_100, 1, 'not-an-ip'), RangeError);
  });

  test('the emulators get disjoint ranges; AWS keeps base+1..255 whatever else runs', () => {
    for (const base of [1, 2, 3, 100, 250]) {
      const ranges = loopbackRanges(base);
      assert.deepEqual(ranges.AWS, { base, maxSlot: 255 - base });
      const octets = Object.values(ranges).flatMap((r) => Array.from({ length: r.maxSlot }, (_, i) => r.base + i + 1));
      assert.equal(new Set(octets).size, octets.length, `ranges overlap for base ${base}`);
      assert.ok(octets.every((o) => o >= 1 && o <= 255 && o !== base));
    }
    const ranges = loopbackRanges(100);
    assert.equal(loopbackAddress(ranges.AZURE, 1, '10.0.0.4'), '127.1.0.4');
    assert.equal(loopbackAddress(ranges.AZURE, 49, '10.0.0.4'), '127.49.0.4');
    assert.equal(loopbackAddress(ranges.GCP, 1, '10.0.0.4'), '127.50.0.4');
    assert.equal(loopbackAddress(ranges.GCP, 50, '10.0.0.4'), '127.99.0.4');
    assert.throws(() => loopbackAddress(ranges.GCP, 51, '10.0.0.4'), RangeError);
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
