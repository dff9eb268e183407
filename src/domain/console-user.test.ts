import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeEmail, passwordProblem } from './console-user.js';

describe('console user rules', () => {
  test('emails are trimmed and lower-cased; anything that is not an address is refused', () => {
    assert.equal(normalizeEmail('  Ada.Lovelace@Example.COM '), 'ada.lovelace@example.com');
    for (const bad of ['', 'ada', 'ada@', '@example.com', 'ada@example', 'a da@example.com', 'ada@@example.com', 7, undefined, `${'a'.repeat(250)}@x.io`]) {
      assert.equal(normalizeEmail(bad), undefined, String(bad));
    }
  });

  test('passwords have 12 characters or more and 72 bytes or fewer', () => {
    assert.match(passwordProblem('elevenchars')!, /at least 12/);
    assert.equal(passwordProblem('twelve chars'), undefined);
    assert.equal(passwordProblem('é'.repeat(36)), undefined);
    assert.match(passwordProblem('é'.repeat(37))!, /at most 72 bytes/);
  });
});
