import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readPage, rowsIn, type SeqReader, type SeqWindow } from './seq-pages.js';

const rows = Array.from({ length: 1000 }, (_, i) => ({ seq: 2 * i + 1, tagged: i % 37 === 0 }));

/** A reader over `rows` that records every window it was asked for. */
function watched(): { read: SeqReader<(typeof rows)[number]>; windows: SeqWindow[] } {
  const windows: SeqWindow[] = [];
  const all = rowsIn(rows);
  return { windows, read: (window) => (windows.push(window), all(window)) };
}

test('a page reads its own window, not the listing: a walk of every page reads each row about once', async () => {
  const { read, windows } = watched();
  const seen: number[] = [];
  let pages = 0;
  let after = 0;
  for (;;) {
    pages++;
    const { page, more } = await readPage(read, () => true, after, 7);
    seen.push(...page.map((r) => r.seq));
    if (!more) break;
    assert.equal(page.length, 7);
    after = page[page.length - 1]!.seq;
  }
  assert.deepEqual(
    seen,
    rows.map((r) => r.seq),
  );
  assert.ok(
    windows.every((w) => w.limit === 100),
    'a small page still reads a window of 100',
  );
  assert.equal(windows.length, pages, 'one window per page');
});

test('a sparse filter reads on window after window until its page is full, and says whether more follow', async () => {
  const { read, windows } = watched();
  const tagged = rows.filter((r) => r.tagged).map((r) => r.seq);
  assert.equal(tagged.length, 28);
  const first = await readPage(read, (r) => r.tagged, 0, 5);
  assert.deepEqual(
    first.page.map((r) => r.seq),
    tagged.slice(0, 5),
  );
  assert.equal(first.more, true);
  assert.ok(windows.length >= 2, 'five tagged rows lie beyond the first window of 100');
  const rest = await readPage(read, (r) => r.tagged, first.page[4]!.seq, 1000);
  assert.deepEqual(
    rest.page.map((r) => r.seq),
    tagged.slice(5),
  );
  assert.equal(rest.more, false);
  // Exactly full: no token when nothing accepted follows.
  const exact = await readPage(read, (r) => r.tagged, first.page[4]!.seq, tagged.length - 5);
  assert.equal(exact.more, false);
});

test('without a size, every accepted row after the token in one read', async () => {
  const { read, windows } = watched();
  const { page, more } = await readPage(read, () => true, 1001, undefined);
  assert.equal(page.length, 499);
  assert.equal(more, false);
  assert.deepEqual(windows, [{ after: 1001 }]);
});
