import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateVpcEndpointCommand, DescribeVpcEndpointServicePermissionsCommand, ModifyVpcEndpointServicePermissionsCommand } from '@aws-sdk/client-ec2';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defaultNetwork, providerService, rejectsWith, startHarness, type Harness } from './harness.js';

// Values past what AWS documents for them are refused with AWS's 400 before they are stored (a
// value too long for the store's index would otherwise fail in PostgreSQL and answer 500).

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

test('a ClientToken longer than 64 ASCII characters is InvalidParameterValue; 64 is fine and idempotent', async () => {
  const svc = await providerService(h, { name: 'bounds' });
  const customer = h.cloud.accounts.customer;
  const { vpcId } = await defaultNetwork(h, customer);
  const ec2 = h.ec2(customer);
  const input = { VpcId: vpcId, ServiceName: svc.serviceName, VpcEndpointType: 'Interface' as const };
  await rejectsWith(ec2.send(new CreateVpcEndpointCommand({ ...input, ClientToken: 't'.repeat(65) })), 'InvalidParameterValue', { status: 400, message: /64 ASCII/ });
  await rejectsWith(ec2.send(new CreateVpcEndpointCommand({ ...input, ClientToken: 'x'.repeat(5000) })), 'InvalidParameterValue');
  await rejectsWith(ec2.send(new CreateVpcEndpointCommand({ ...input, ClientToken: 'é' })), 'InvalidParameterValue');
  const first = (await ec2.send(new CreateVpcEndpointCommand({ ...input, ClientToken: 'k'.repeat(64) }))).VpcEndpoint!.VpcEndpointId;
  const again = (await ec2.send(new CreateVpcEndpointCommand({ ...input, ClientToken: 'k'.repeat(64) }))).VpcEndpoint!.VpcEndpointId;
  assert.equal(again, first);
});

test('a principal ARN longer than IAM allows (2,048) is InvalidPrincipal and nothing is added', async () => {
  const svc = await providerService(h, { name: 'bounds-perm', principals: [] });
  const ec2 = h.ec2(h.cloud.accounts.provider);
  const long = `arn:aws:iam::123456789012:role/${'r'.repeat(2048)}`;
  await rejectsWith(ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: svc.serviceId, AddAllowedPrincipals: [long] })), 'InvalidPrincipal', { status: 400 });
  assert.deepEqual((await ec2.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: svc.serviceId }))).AllowedPrincipals, []);
});

test('an SQS message over 262,144 bytes is InvalidParameterValue', async () => {
  const sqs = new SQSClient({ endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: h.cloud.accounts.customer });
  try {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bounds' }))).QueueUrl!;
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm'.repeat(262_145) })), 'InvalidParameterValue', { message: /262144 bytes/ });
    assert.ok((await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'm'.repeat(262_144) }))).MessageId);
  } finally {
    sqs.destroy();
  }
});

test('an SQS number sent as an object naming its own toString is InvalidParameterValue, not an internal error', async () => {
  const sqs = new SQSClient({ endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: h.cloud.accounts.customer });
  try {
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'bounds-object' }))).QueueUrl!;
    // The SDK serialises typed input; the body is rewritten before it is signed, as a hand-made client could send it.
    sqs.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string; headers: Record<string, string> };
        const body = JSON.parse(request.body) as Record<string, unknown>;
        request.body = JSON.stringify({ ...body, MaxNumberOfMessages: { toString: 1, valueOf: 1 } });
        request.headers['content-length'] = String(Buffer.byteLength(request.body));
        return next(args);
      },
      { step: 'build', name: 'objectForANumber' },
    );
    await rejectsWith(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1 })), 'InvalidParameterValue', { message: /MaxNumberOfMessages/ });
  } finally {
    sqs.destroy();
  }
});
