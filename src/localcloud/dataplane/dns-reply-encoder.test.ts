import assert from 'node:assert/strict';
import { test } from 'node:test';
import DNS from 'dns2';
import { DNS_RCODE, encodeDnsReply, type DnsReply } from './dns-reply-encoder.js';

const header = { id: 77, qr: 0, opcode: 0, rd: 1 };
const question = { name: 'Host.Example.test', type: 255, class: 1 };

test('every record type privlink serves decodes with another library, names compressed against the question', () => {
  const reply: DnsReply = {
    header,
    rcode: DNS_RCODE.NOERROR,
    question,
    answers: [
      { name: question.name, ttl: 60, record: { type: 'A', address: '10.1.2.3' } },
      { name: question.name, ttl: 61, record: { type: 'AAAA', address: 'fd00::1' } },
      { name: question.name, ttl: 62, record: { type: 'CNAME', domain: 'other.example.test' } },
      { name: question.name, ttl: 63, record: { type: 'SRV', target: 'pl-0.example.test', port: 1024, priority: 1, weight: 2 } },
      { name: question.name, ttl: 64, record: { type: 'TXT', data: 'y'.repeat(300) } },
    ],
  };
  const bytes = encodeDnsReply(reply, 4096);
  const parsed = DNS.Packet.parse(bytes);
  assert.equal(parsed.header.id, 77);
  assert.equal(parsed.header.qr, 1);
  assert.equal(parsed.header.aa, 1);
  assert.equal(parsed.header.rd, 1);
  assert.equal(parsed.questions[0]!.name, 'Host.Example.test');
  const [a, aaaa, cname, srv, txt] = parsed.answers as unknown as Array<Record<string, unknown>>;
  assert.equal(a!.address, '10.1.2.3');
  assert.equal(a!.ttl, 60);
  assert.equal(aaaa!.address, 'fd00::1');
  assert.equal(cname!.domain, 'other.example.test');
  assert.deepEqual([srv!.priority, srv!.weight, srv!.port, srv!.target], [1, 2, 1024, 'pl-0.example.test']);
  assert.deepEqual(
    (txt!.data as string[]).map((part) => part.length),
    [255, 45],
    'two character-strings of one record',
  );
  assert.equal((txt!.data as string[]).join(''), 'y'.repeat(300));
  // Every owner name after the question is a 2-byte pointer to it.
  assert.ok(bytes.includes(Buffer.from([0xc0, 12])), 'owner names point at the question');
});

test('a reply over the limit is truncated to the question with TC set', () => {
  const answers = Array.from({ length: 100 }, (_, i) => ({ name: question.name, ttl: 60, record: { type: 'A' as const, address: `10.0.0.${i}` } }));
  const full = encodeDnsReply({ header, rcode: 0, question, answers }, 0xffff);
  assert.equal(DNS.Packet.parse(full).answers.length, 100);
  const truncated = DNS.Packet.parse(encodeDnsReply({ header, rcode: 0, question, answers }, 512));
  assert.equal(truncated.header.tc, 1);
  assert.equal(truncated.answers.length, 0);
  assert.equal(truncated.questions.length, 1);
});
