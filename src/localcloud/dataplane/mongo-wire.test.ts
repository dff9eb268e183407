import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serialize } from 'bson';
import { decodeRequest, encodeOpMsgRequest, MAX_MESSAGE_SIZE, MessageFramer, OP_MSG, WireProtocolError } from './mongo-wire.js';

/**
 * An OP_MSG of about `megabytes` MB as a driver sends a bulk insert: a kind-0 body and a kind-1
 * `documents` sequence of 1 MB documents. Built by hand: BSON's serializer caps one document at 16 MB.
 */
function bulkInsert(requestId: number, megabytes: number): Buffer {
  const body = Buffer.from(serialize({ insert: 'items', $db: 'app' }));
  const document = Buffer.from(serialize({ payload: Buffer.alloc(1024 * 1024 - 32, 0x61) }));
  const identifier = Buffer.from('documents\0', 'utf8');
  const sectionLength = 4 + identifier.length + document.length * megabytes;
  const total = 16 + 4 + 1 + body.length + 1 + sectionLength;
  const out = Buffer.alloc(total);
  out.writeInt32LE(total, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(OP_MSG, 12);
  let at = 20;
  out[at++] = 0;
  at += body.copy(out, at);
  out[at++] = 1;
  out.writeInt32LE(sectionLength, at);
  at += 4;
  at += identifier.copy(out, at);
  for (let i = 0; i < megabytes; i++) at += document.copy(out, at);
  assert.equal(at, total);
  return out;
}

function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

test('a 40 MB OP_MSG pushed in 64 KiB chunks is framed in linear time and decodes', () => {
  const message = bulkInsert(7, 40);
  assert.ok(message.length > 40_000_000 && message.length < MAX_MESSAGE_SIZE);
  const framer = new MessageFramer();
  const chunks = chunksOf(message, 64 * 1024);
  const started = process.hrtime.bigint();
  const framed: Buffer[] = [];
  for (const chunk of chunks) framed.push(...framer.push(chunk));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  // Regression guard (generous): re-concatenating per chunk took seconds (23 s of CPU at 47 MB).
  assert.ok(elapsedMs < 2000, `framing took ${elapsedMs.toFixed(0)} ms`);
  assert.equal(framed.length, 1);
  assert.ok(framed[0]!.equals(message));
  assert.equal(framer.buffered, 0);
  const request = decodeRequest(framed[0]!);
  assert.equal(request.command.insert, 'items');
  assert.equal(request.sequences.get('documents')?.length, 40);
});

test('lengths split across chunks, several messages per chunk, and a message that ends mid-chunk', () => {
  const a = encodeOpMsgRequest(1, { ping: 1, $db: 'admin' });
  const b = encodeOpMsgRequest(2, { hello: 1, $db: 'admin' });
  const c = encodeOpMsgRequest(3, { buildInfo: 1, $db: 'admin' });
  const stream = Buffer.concat([a, b, c]);
  for (const size of [1, 2, 3, 5, 7, 64]) {
    const framer = new MessageFramer();
    const framed = chunksOf(stream, size).flatMap((chunk) => framer.push(chunk));
    assert.deepEqual(
      framed.map((m) => m.readInt32LE(4)),
      [1, 2, 3],
      `chunks of ${size}`,
    );
    assert.ok(Buffer.concat(framed).equals(stream), `chunks of ${size}`);
  }
  const framer = new MessageFramer();
  assert.deepEqual(framer.push(stream.subarray(0, a.length + 3)).length, 1);
  assert.equal(framer.buffered, 3, 'the started message is held');
  assert.equal(framer.push(stream.subarray(a.length + 3)).length, 2);
  assert.equal(framer.buffered, 0);
});

test('a length above 48,000,000 or below the 16-byte header is refused as soon as its 4 bytes are in', () => {
  for (const length of [MAX_MESSAGE_SIZE + 1, 15, 0, -1]) {
    const header = Buffer.alloc(4);
    header.writeInt32LE(length);
    const framer = new MessageFramer();
    assert.deepEqual(framer.push(header.subarray(0, 3)), [], 'three bytes are not a length yet');
    assert.throws(() => framer.push(header.subarray(3)), WireProtocolError, `length ${length}`);
  }
  const atLimit = Buffer.alloc(4);
  atLimit.writeInt32LE(MAX_MESSAGE_SIZE);
  assert.deepEqual(new MessageFramer().push(atLimit), [], 'exactly the limit is accepted (and awaited)');
  assert.throws(() => new MessageFramer(1000).push(Buffer.from([0xe9, 0x03, 0, 0])), WireProtocolError, 'a configured limit applies');
});
