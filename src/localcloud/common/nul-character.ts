/**
 * PostgreSQL's `text` and `jsonb` cannot hold the character U+0000, and no cloud API takes it in a
 * name, tag or description. An emulator refuses a request that carries it, in its cloud's words,
 * before the character can reach a query (which would fail and answer 500).
 *
 * Read from the request's bytes, without parsing it: the path and the query string
 * (percent-encoded, `%00`), and the body — a raw NUL byte, `%00` in a form-encoded body, or a JSON
 * `\u0000` escape (not one whose backslash is itself escaped).
 */
export function carriesNul(path: string, rawQuery: string, contentType: unknown, body: Buffer): boolean {
  if (PERCENT_NUL.test(path) || PERCENT_NUL.test(rawQuery)) return true;
  if (body.length === 0) return false;
  if (body.includes(0)) return true;
  const text = body.toString('latin1');
  return isForm(contentType) ? PERCENT_NUL.test(text) : JSON_NUL.test(text);
}

/** What every emulator answers such a request with, under its own error code. */
export const NUL_REFUSED = 'The request holds the character U+0000 (NUL), which no value may contain.';

const PERCENT_NUL = /%00/;
/** `\u0000` preceded by an even number of backslashes (none, or escaped ones). */
const JSON_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/i;

function isForm(contentType: unknown): boolean {
  return typeof contentType === 'string' && /^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType);
}
