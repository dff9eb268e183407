import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RequestServiceQuotaIncreaseCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defaultNetwork, rejectsWith, startHarness, type Harness } from './harness.js';

// The character U+0000 cannot be stored (PostgreSQL's text and jsonb refuse it) and no AWS API
// takes it: every protocol of the AWS local cloud refuses it with its own 400, as the official SDK
// sends it (percent-encoded in a Query request, a \u0000 escape in a JSON one), never a 500.

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => h?.close());

const NUL = /U\+0000/;

test('EC2 and ELBv2 answer InvalidParameterValue and ValidationError, and store nothing', async () => {
  const customer = h.cloud.accounts.customer;
  const { vpcId } = await defaultNetwork(h, customer);
  const ec2 = h.ec2(customer);
  const refused = await rejectsWith(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'nul', Description: 'a\u0000b', VpcId: vpcId })), 'InvalidParameterValue', {
    status: 400,
  });
  assert.match(refused.message, NUL);
  await rejectsWith(
    ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'nul-tag',
        Description: 'x',
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'k', Value: '\u0000' }] }],
      }),
    ),
    'InvalidParameterValue',
  );
  assert.deepEqual((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['nul', 'nul-tag'] }] }))).SecurityGroups, []);
  const elb = h.elb(customer);
  await rejectsWith(elb.send(new CreateTargetGroupCommand({ Name: 'nul', Protocol: 'TCP', Port: 1, VpcId: vpcId, Tags: [{ Key: 'k\u0000', Value: 'v' }] })), 'ValidationError', {
    message: NUL,
    status: 400,
  });
});

test('SNS, SQS and Service Quotas answer their own validation errors', async () => {
  const account = h.cloud.accounts.customer;
  const config = { endpoint: h.url, region: 'us-east-1', maxAttempts: 1, credentials: account };
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const quotas = new ServiceQuotasClient(config);
  try {
    await rejectsWith(sns.send(new CreateTopicCommand({ Name: 'nul', Tags: [{ Key: 'k', Value: 'a\u0000' }] })), 'InvalidParameter', { message: NUL, status: 400 });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: 'nul', tags: { k: '\u0000' } })), 'InvalidParameterValue', { message: NUL, status: 400 });
    await rejectsWith(quotas.send(new RequestServiceQuotaIncreaseCommand({ ServiceCode: 'vpc\u0000', QuotaCode: 'L-F678F1CE', DesiredValue: 10 })), 'ValidationException', {
      message: NUL,
      status: 400,
    });
  } finally {
    sns.destroy();
    sqs.destroy();
    quotas.destroy();
  }
});
