import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalCidr, cidrContains, entryAdmits, entryKeyOf, parseAccessListCreate } from './access-list.js';

test('canonicalCidr clears host bits and compresses IPv6; refuses what is not an address', () => {
  assert.equal(canonicalCidr('10.1.2.3/16'), '10.1.0.0/16');
  assert.equal(canonicalCidr('192.0.2.7'), '192.0.2.7/32');
  assert.equal(canonicalCidr('0.0.0.0/0'), '0.0.0.0/0');
  assert.equal(canonicalCidr('2001:db8:0:0:1::/64'), '2001:db8::/64');
  assert.equal(canonicalCidr('2001:db8::1'), '2001:db8::1/128');
  assert.equal(canonicalCidr('::1'), '::1/128');
  assert.equal(canonicalCidr('fe80:0:0:1:0:0:0:1/128'), 'fe80:0:0:1::1/128');
  for (const bad of ['10.0.0.0/33', '10.0.0/8', '300.0.0.1', 'abc', '10.0.0.0/', '10.0.0.0/1a', '::1/129']) assert.equal(canonicalCidr(bad), undefined, bad);
});

test('cidrContains matches IPv4, IPv4-mapped IPv6 and IPv6, never across families', () => {
  assert.ok(cidrContains('127.0.0.1/32', '127.0.0.1'));
  assert.ok(cidrContains('127.0.0.1/32', '::ffff:127.0.0.1'));
  assert.ok(!cidrContains('127.0.0.1/32', '127.0.0.2'));
  assert.ok(cidrContains('10.0.0.0/8', '10.255.1.2'));
  assert.ok(!cidrContains('10.0.0.0/8', '11.0.0.1'));
  assert.ok(cidrContains('0.0.0.0/0', '203.0.113.9'));
  assert.ok(cidrContains('2001:db8::/64', '2001:db8::abcd'));
  assert.ok(!cidrContains('2001:db8::/64', '2001:db9::1'));
  assert.ok(!cidrContains('0.0.0.0/0', '::1'));
});

test('entryAdmits honours deleteAfterDate and never admits by security group', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const entry = { entryKey: '127.0.0.1/32', kind: 'ipAddress' as const, deleteAfterDate: new Date('2026-12-01T00:00:01Z') };
  assert.ok(entryAdmits(entry, '127.0.0.1', now));
  assert.ok(!entryAdmits(entry, '127.0.0.1', new Date('2026-12-01T00:00:01Z')));
  assert.ok(!entryAdmits({ entryKey: 'sg-1234', kind: 'awsSecurityGroup', deleteAfterDate: null }, '127.0.0.1', now));
});

test('entryKeyOf reads the path value in any of its written forms', () => {
  assert.equal(entryKeyOf('10.1.0.0%2F16'), '10.1.0.0/16');
  assert.equal(entryKeyOf('10.1.0.0%2f16'), '10.1.0.0/16');
  assert.equal(entryKeyOf('10.1.2.3/16'), '10.1.0.0/16');
  assert.equal(entryKeyOf('sg-903004f8'), 'sg-903004f8');
  assert.equal(entryKeyOf('nope'), undefined);
});

test('parseAccessListCreate keeps the last of duplicate entries', () => {
  const now = new Date();
  const parsed = parseAccessListCreate(
    [
      { cidrBlock: '10.1.2.3/16', comment: 'a' },
      { cidrBlock: '10.1.0.0/16', comment: 'b' },
    ],
    now,
  );
  assert.deepEqual(parsed, [{ entryKey: '10.1.0.0/16', kind: 'cidrBlock', comment: 'b', deleteAfterDate: null }]);
});
