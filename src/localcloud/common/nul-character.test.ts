import assert from 'node:assert/strict';
import { test } from 'node:test';
import { carriesNul } from './nul-character.js';

const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const json = { 'content-type': 'application/json' };
const request = (part: Partial<{ path: string; rawQuery: string; headers: Record<string, string>; body: string | Buffer }>): Parameters<typeof carriesNul> => [
  part.path ?? '/',
  part.rawQuery ?? '',
  part.headers?.['content-type'],
  Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body ?? ''),
];

test('a NUL in the path, the query string, a form body or a JSON string is found', () => {
  assert.equal(carriesNul(...request({ path: '/subscriptions/a%00b' })), true);
  assert.equal(carriesNul(...request({ rawQuery: 'Action=X&Name=a%00' })), true);
  assert.equal(carriesNul(...request({ headers: form, body: 'Action=CreateSecurityGroup&GroupDescription=a%00b' })), true);
  assert.equal(carriesNul(...request({ headers: json, body: '{"tags":{"k":"a\\u0000b"}}' })), true);
  assert.equal(carriesNul(...request({ headers: json, body: '{"k":"\\\\\\u0000"}' })), true, 'an escaped backslash, then the escape');
  assert.equal(carriesNul(...request({ headers: json, body: '{"k":"\\U0000"}' })), true);
  assert.equal(carriesNul(...request({ headers: json, body: Buffer.from([0x7b, 0x00, 0x7d]) })), true, 'a raw NUL byte');
});

test('text that only looks like it is left alone', () => {
  assert.equal(carriesNul(...request({ headers: json, body: '{"description":"100%00 sure"}' })), false, '%00 is text in JSON');
  assert.equal(carriesNul(...request({ headers: json, body: '{"k":"\\\\u0000"}' })), false, 'a backslash, then the letters u0000');
  assert.equal(carriesNul(...request({ headers: form, body: 'Name=a%2500b' })), false, 'an encoded percent sign');
  assert.equal(carriesNul(...request({ path: '/a%2500', rawQuery: 'x=%25%30%30' })), false);
  assert.equal(carriesNul(...request({})), false);
});
