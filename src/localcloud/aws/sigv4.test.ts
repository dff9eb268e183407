import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  computeSignature,
  parseAuthorization,
  sha256Hex,
  verifySignature,
  type SignedRequest,
  type SigV4Authorization,
} from './sigv4.js';

// The AWS Signature Version 4 test suite's credentials and instant.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const AT = new Date('2015-08-30T12:36:00Z');
const SCOPE = 'AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

function request(overrides: Partial<SignedRequest> = {}): SignedRequest {
  return { method: 'GET', path: '/', query: '', headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, body: Buffer.alloc(0), ...overrides };
}

function auth(header: string): SigV4Authorization {
  const parsed = parseAuthorization(header);
  assert.ok(parsed && 'accessKeyId' in parsed, `parses: ${header}`);
  return parsed;
}

describe('SigV4 against the AWS test suite', () => {
  test('get-vanilla verifies with the published signature', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`;
    assert.equal(verifySignature(request(), auth(header), SECRET, AT), undefined);
  });

  test('get-vanilla-query-order-key-case sorts the query before signing', () => {
    const header = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`;
    assert.equal(verifySignature(request({ query: 'Param2=value2&Param1=value1' }), auth(header), SECRET, AT), undefined);
  });

  test('post-x-www-form-urlencoded hashes the body itself (no x-amz-content-sha256 sent)', () => {
    const req = request({
      method: 'POST',
      headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('Param1=value1'),
    });
    const header = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`;
    assert.equal(
      canonicalRequest(req, ['content-type', 'host', 'x-amz-date'], sha256Hex(req.body)),
      'POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e',
    );
    assert.equal(verifySignature(req, auth(header), SECRET, AT), undefined);
  });

  test('the IAM ListUsers example from the AWS docs signs to its published signature', () => {
    const req = request({
      query: 'Action=ListUsers&Version=2010-05-08',
      headers: { host: 'iam.amazonaws.com', 'x-amz-date': '20150830T123600Z', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    const canonical = canonicalRequest(req, ['content-type', 'host', 'x-amz-date'], sha256Hex(''));
    assert.equal(
      computeSignature(SECRET, '20150830T123600Z', { date: '20150830', region: 'us-east-1', service: 'iam' }, canonical),
      '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });
});

describe('SigV4 rejections', () => {
  const header = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`;

  test('a wrong secret is a mismatch', () => {
    assert.deepEqual(verifySignature(request(), auth(header), 'not-the-secret', AT), { kind: 'mismatch' });
  });

  test('a changed signed header is a mismatch', () => {
    const tampered = request({ headers: { host: 'evil.example.com', 'x-amz-date': '20150830T123600Z' } });
    assert.deepEqual(verifySignature(tampered, auth(header), SECRET, AT), { kind: 'mismatch' });
  });

  test('a changed body is a mismatch', () => {
    const post = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`;
    const req = request({
      method: 'POST',
      headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from('Param1=value2'),
    });
    assert.deepEqual(verifySignature(req, auth(post), SECRET, AT), { kind: 'mismatch' });
  });

  test('an x-amz-content-sha256 that is not the body hash is a mismatch', () => {
    const req = request({ headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', 'x-amz-content-sha256': sha256Hex('other') } });
    assert.deepEqual(verifySignature(req, auth(header), SECRET, AT), { kind: 'mismatch' });
  });

  test('15 minutes of clock skew are accepted, 16 are not', () => {
    assert.equal(verifySignature(request(), auth(header), SECRET, new Date(AT.getTime() + 15 * 60_000)), undefined);
    assert.equal(verifySignature(request(), auth(header), SECRET, new Date(AT.getTime() - 15 * 60_000)), undefined);
    assert.equal(verifySignature(request(), auth(header), SECRET, new Date(AT.getTime() + 16 * 60_000))?.kind, 'expired');
    assert.equal(verifySignature(request(), auth(header), SECRET, new Date(AT.getTime() - 16 * 60_000))?.kind, 'expired');
  });

  test('a request without a date is malformed', () => {
    assert.equal(verifySignature(request({ headers: { host: 'example.amazonaws.com' } }), auth(header), SECRET, AT)?.kind, 'malformed');
  });

  test('host must be signed', () => {
    const noHost = `AWS4-HMAC-SHA256 Credential=${SCOPE}, SignedHeaders=x-amz-date, Signature=00`;
    assert.equal(verifySignature(request(), auth(noHost), SECRET, AT)?.kind, 'malformed');
  });

  test('the scope date must be the date of x-amz-date', () => {
    const otherDay = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`;
    assert.equal(verifySignature(request(), auth(otherDay), SECRET, AT)?.kind, 'malformed');
  });
});

describe('parseAuthorization', () => {
  test('reads credential scope, signed headers and signature', () => {
    assert.deepEqual(auth(`AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/ec2/aws4_request, SignedHeaders=Host;X-Amz-Date, Signature=ABCDEF`), {
      accessKeyId: 'AKID',
      date: '20240101',
      region: 'eu-west-1',
      service: 'ec2',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abcdef',
    });
  });

  test('treats a missing header or another scheme as unsigned', () => {
    assert.equal(parseAuthorization(undefined), undefined);
    assert.equal(parseAuthorization('Basic dXNlcjpwYXNz'), undefined);
  });

  test('reports a SigV4 header without its parts as malformed', () => {
    assert.equal((parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/ec2/aws4_request') as { kind: string }).kind, 'malformed');
    assert.equal((parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, Signature=00') as { kind: string }).kind, 'malformed');
  });
});

describe('canonical forms', () => {
  test('the query is decoded, re-encoded strictly and sorted by key then value', () => {
    assert.equal(canonicalQuery('b=2&a=1&A=0&a=0'), 'A=0&a=0&a=1&b=2');
    assert.equal(canonicalQuery('k=a%20b&x=%7E!'), 'k=a%20b&x=~%21');
  });

  test('the path drops dot segments and encodes each segment again', () => {
    assert.equal(canonicalPath('/'), '/');
    assert.equal(canonicalPath(''), '/');
    assert.equal(canonicalPath('/a/./b/../c'), '/a/c');
    assert.equal(canonicalPath('/a%20b'), '/a%2520b');
  });
});
