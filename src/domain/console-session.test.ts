import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSOLE_IDLE_TIMEOUT_MS, CONSOLE_TOUCH_INTERVAL_MS, needsCsrfToken, sessionTokenFromCookie, sessionVerdict } from './console-session.js';

test('a session is fresh, then touched, then over after the idle timeout', () => {
  const seen = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(seen.getTime() + ms);
  assert.equal(sessionVerdict(seen, at(0)), 'fresh');
  assert.equal(sessionVerdict(seen, at(CONSOLE_TOUCH_INTERVAL_MS - 1)), 'fresh');
  assert.equal(sessionVerdict(seen, at(CONSOLE_TOUCH_INTERVAL_MS)), 'touch');
  assert.equal(sessionVerdict(seen, at(CONSOLE_IDLE_TIMEOUT_MS - 1)), 'touch');
  assert.equal(sessionVerdict(seen, at(CONSOLE_IDLE_TIMEOUT_MS)), 'expired');
});

test('only writes need the CSRF token', () => {
  for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) assert.equal(needsCsrfToken(method), false, method);
  for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) assert.equal(needsCsrfToken(method), true, method);
});

test('the session token is read from its cookie only when well formed', () => {
  const token = 'A'.repeat(43);
  assert.equal(sessionTokenFromCookie(`a=b; privlink_session=${token}; c=d`), token);
  assert.equal(sessionTokenFromCookie(`privlink_session=${token}x`), undefined);
  assert.equal(sessionTokenFromCookie('privlink_session=short'), undefined);
  assert.equal(sessionTokenFromCookie(`other=${token}`), undefined);
  assert.equal(sessionTokenFromCookie(undefined), undefined);
});
