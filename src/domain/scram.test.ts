import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { test } from 'node:test';
import { parseClientFirst, scramCredential, ScramError, serverFirst, verifyClientFinal, type ScramServerFirst } from './scram.js';

// RFC 7677 §3: the SCRAM-SHA-256 exchange for user "user", password "pencil".
const RFC7677 = {
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

function rfcState(): ScramServerFirst {
  const first = parseClientFirst(RFC7677.clientFirst);
  return {
    mechanism: 'SCRAM-SHA-256',
    username: first.username,
    clientFirstBare: first.bare,
    serverFirst: RFC7677.serverFirst,
    nonce: 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  };
}

test('SCRAM-SHA-256 reproduces the RFC 7677 example: the stored credential verifies the proof and signs the answer', () => {
  const credential = scramCredential('SCRAM-SHA-256', 'user', 'pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
  assert.equal(verifyClientFinal(rfcState(), RFC7677.clientFinal, credential), RFC7677.serverFinal);
});

test('a wrong password, a changed nonce or channel binding are refused', () => {
  const wrong = scramCredential('SCRAM-SHA-256', 'user', 'pencil2', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
  assert.throws(() => verifyClientFinal(rfcState(), RFC7677.clientFinal, wrong), ScramError);
  const right = scramCredential('SCRAM-SHA-256', 'user', 'pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
  assert.throws(() => verifyClientFinal(rfcState(), RFC7677.clientFinal.replace('r=rOpr', 'r=xOpr'), right), /nonce/);
  assert.throws(() => verifyClientFinal(rfcState(), RFC7677.clientFinal.replace('c=biws', 'c=cD10bHMtdW5pcXVlLCw='), right), /channel binding/);
  assert.throws(() => parseClientFirst('p=tls-unique,,n=user,r=abc'), /gs2/);
  assert.throws(() => parseClientFirst('n,,n=us=er,r=abc'), /username/);
});

test('usernames are unescaped (=2C and =3D) as RFC 5802 says', () => {
  assert.equal(parseClientFirst('n,,n=a=2Cb=3Dc,r=xyz').username, 'a,b=c');
});

test("SCRAM-SHA-1 hashes MongoDB's password digest, not the password", () => {
  const salt = Buffer.alloc(16, 7);
  const credential = scramCredential('SCRAM-SHA-1', 'alice', 'secret-pass', salt, 10_000);
  const digest = createHash('md5').update('alice:mongo:secret-pass').digest('hex');
  const salted = pbkdf2Sync(digest, salt, 10_000, 20, 'sha1');
  const clientKey = createHmac('sha1', salted).update('Client Key').digest();
  assert.equal(credential.storedKey, createHash('sha1').update(clientKey).digest('base64'));
  assert.equal(credential.serverKey, createHmac('sha1', salted).update('Server Key').digest('base64'));
});

test('the server nonce starts with the client nonce and is fresh each time', () => {
  const credential = scramCredential('SCRAM-SHA-256', 'user', 'pencil');
  const a = serverFirst('SCRAM-SHA-256', 'user', 'n=user,r=abc', 'abc', credential);
  const b = serverFirst('SCRAM-SHA-256', 'user', 'n=user,r=abc', 'abc', credential);
  assert.ok(a.nonce.startsWith('abc') && a.nonce.length > 20);
  assert.notEqual(a.nonce, b.nonce);
  assert.match(a.serverFirst, new RegExp(`^r=${a.nonce.replace(/[+/]/g, '\\$&')},s=${credential.salt.replace(/[+/]/g, '\\$&')},i=15000$`));
});
