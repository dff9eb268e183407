import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CliSession } from './support/cli-session.js';

/**
 * `privlink webhooks` against a running server: create (the secret shown once), a refused
 * destination, deliveries of an endpoint service's events to a local receiver that checks the
 * signature, the delivery log, list and delete.
 */
interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function signed(secret: string, r: Received): boolean {
  const timestamp = r.headers['x-privlink-timestamp'];
  const signature = r.headers['x-privlink-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('privlink webhooks', { concurrency: false }, () => {
  let s: CliSession;
  let receiver: Server;
  let url: string;
  const received: Received[] = [];

  before(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    s = await CliSession.start({ PRIVLINK_WEBHOOK_ALLOW: '127.0.0.0/8', PRIVLINK_WEBHOOK_POLL_MS: '50' });
  });
  after(async () => {
    await s?.destroy();
    receiver?.close();
  });

  test('create, deliveries signed with the secret, the delivery log, list, delete', async () => {
    const secret = 'cli-secret-of-sixteen-or-more';
    const created = await s.ok(['webhooks', 'create', '--url', url, '--secret', secret]);
    const id = /Webhook '([0-9a-f]{24})' created for (\S+)\./.exec(created.stdout);
    assert.ok(id, created.stdout);
    assert.equal(id[2], url);
    assert.match(created.stdout, new RegExp(`Signing secret \\(shown only now\\): ${secret}`));
    const webhookId = id[1]!;

    // A destination outside what the operator allows: the API's error, exit 1.
    const refused = await s.run(['webhooks', 'create', '--url', 'http://10.1.2.3/hooks']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /WEBHOOK_URL_NOT_ALLOWED/);

    const service = await s.ok(['privateEndpoints', 'aws', 'create', '--region', 'eu-west-1', '-o', 'json']);
    const serviceId = (JSON.parse(service.stdout) as { id: string }).id;
    const deadline = Date.now() + 30_000;
    const mine = () => received.filter((r) => (JSON.parse(r.body) as { targetId?: string }).targetId === serviceId);
    while (mine().length < 2) {
      assert.ok(Date.now() < deadline, `two deliveries for ${serviceId}; got ${received.length}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const deliveries = mine();
    assert.deepEqual(
      deliveries.map((d) => (JSON.parse(d.body) as { eventTypeName: string }).eventTypeName),
      ['ENDPOINT_SERVICE_CREATED', 'ENDPOINT_SERVICE_AVAILABLE'],
    );
    for (const d of deliveries) assert.ok(signed(secret, d), 'each delivery verifies with the secret given to the CLI');

    // The delivery log lists each attempt with its event id, outcome and HTTP status.
    const eventIds = deliveries.map((d) => (JSON.parse(d.body) as { eventId: string }).eventId);
    let log = '';
    while (!eventIds.every((e) => log.includes(e))) {
      assert.ok(Date.now() < deadline, `the delivery log lists both events:\n${log}`);
      log = (await s.ok(['webhooks', 'deliveries', webhookId])).stdout;
    }
    assert.match(log, /^STARTED\s+EVENT ID\s+ATTEMPT\s+OUTCOME\s+STATUS\s+DURATION MS\s+ERROR$/m);
    for (const eventId of eventIds) assert.match(log, new RegExp(`${eventId}\\s+1\\s+SUCCESS\\s+200\\s`));

    const list = await s.ok(['webhooks', 'list']);
    assert.match(list.stdout, new RegExp(`^${webhookId}\\s+${url.replace(/[.]/g, '\\.')}\\s+true\\s+0$`, 'm'));
    assert.ok(!list.stdout.includes(secret), 'the secret is never listed');

    const deleted = await s.ok(['webhooks', 'delete', webhookId, '--force']);
    assert.equal(deleted.stdout, `Webhook '${webhookId}' deleted\n`);
    assert.deepEqual((JSON.parse((await s.ok(['webhooks', 'list', '-o', 'json'])).stdout) as { results: unknown[] }).results, []);
    const gone = await s.run(['webhooks', 'deliveries', webhookId]);
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /WEBHOOK_NOT_FOUND/);
  });
});
