import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiConnections, dataPlaneOpenFiles, localCloudApiConnections, processOpenFileLimit, processOpenFiles } from './open-file-limit.js';

test("the process's open-file limit is read from its limits file, the soft column", (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'privlink-limits-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'limits');
  writeFileSync(
    file,
    [
      'Limit                     Soft Limit           Hard Limit           Units     ',
      'Max processes             unlimited            unlimited            processes ',
      'Max open files            1024                 524288               files     ',
      '',
    ].join('\n'),
  );
  assert.equal(processOpenFileLimit(file), 1024);
  writeFileSync(file, 'Max open files            unlimited            unlimited            files     \n');
  assert.equal(processOpenFileLimit(file), undefined);
  assert.equal(processOpenFileLimit(join(dir, 'absent')), undefined);
  if (process.platform === 'linux') assert.ok((processOpenFileLimit() ?? 0) > 0, 'this process has a limit');
});

test('the files the process holds are counted', { skip: process.platform !== 'linux' && 'reads /proc/self/fd (Linux)' }, () => {
  const before = processOpenFiles()!;
  const fds = [openSync('/dev/null', 'r'), openSync('/dev/null', 'r'), openSync('/dev/null', 'r')];
  try {
    assert.equal(processOpenFiles(), before + 3);
  } finally {
    for (const fd of fds) closeSync(fd);
  }
});

test("the data plane's share: what is set, else three quarters of what the limit leaves free, at least 256 kept", () => {
  assert.equal(dataPlaneOpenFiles(5000, 1024, 260), 5000, 'a setting wins');
  assert.equal(dataPlaneOpenFiles(null, undefined, 260), null, 'no limit known: no budget');
  assert.equal(dataPlaneOpenFiles(null, 1024, 260), 508, '764 free, 256 kept');
  assert.equal(dataPlaneOpenFiles(null, 20_000, 300), 14_775, '19,700 free, a quarter kept');
  assert.equal(dataPlaneOpenFiles(null, 300, 260), 0, 'too little free: the data plane gets nothing');
});

test("the Admin API's connections: what is set, else half of what the limit leaves beside the data plane's share, at least 64", () => {
  assert.equal(apiConnections(20, 1024, 260, 508), 20, 'a setting wins');
  assert.equal(apiConnections(null, undefined, 260, 508), null, 'no limit known: no cap');
  assert.equal(apiConnections(null, 1024, 300, 508), 108, '216 left beside the data plane');
  assert.equal(apiConnections(null, 20_000, 300, 14_775), 2_462, '4,925 left beside the data plane');
  assert.equal(apiConnections(null, 20_000, 300, 0), 9_850, 'no data plane in this process');
  assert.equal(apiConnections(null, 400, 300, 0), 64, 'too little left: 64 all the same');
});

test("each local cloud API's connections: what is set, else a quarter of what the limit leaves beside the data plane's share, shared out, at least 64", () => {
  assert.equal(localCloudApiConnections(20, 1024, 260, 508, 3), 20, 'a setting wins');
  assert.equal(localCloudApiConnections(null, undefined, 260, 508, 3), null, 'no limit known: no cap');
  assert.equal(localCloudApiConnections(null, 20_000, 300, 14_775, 1), 1_231, '4,925 left beside the data plane, one API');
  assert.equal(localCloudApiConnections(null, 20_000, 300, 14_775, 3), 410, 'three APIs share the quarter');
  assert.equal(localCloudApiConnections(null, 1024, 300, 508, 3), 64, 'too little left: 64 each all the same');
  // The Admin API's half, the local cloud's quarter and a quarter kept for the store and the cloud calls.
  const left = 20_000 - 300 - 14_775;
  assert.ok(apiConnections(null, 20_000, 300, 14_775)! + 3 * localCloudApiConnections(null, 20_000, 300, 14_775, 3)! <= left * 0.75);
});
