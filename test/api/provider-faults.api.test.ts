import assert from 'node:assert/strict';
import { DescribeVpcEndpointServicePermissionsCommand, DescribeVpcEndpointServicesCommand } from '@aws-sdk/client-ec2';
import { after, before, test } from 'node:test';
import { customerEndpoint as customerVpcEndpoint } from '../support/customer-vpc.js';
import { startStack, until, type Stack } from '../support/full-stack.js';

// Throttling and transient errors from the AWS SDK become retries with backoff in the reconciler;
// invalid or forbidden requests end FAILED / REJECTED with Atlas's errorMessage wording.
let stack: Stack;
before(async () => {
  stack = await startStack();
});
after(async () => stack?.close());

async function customerEndpoint(serviceName: string): Promise<string> {
  return customerVpcEndpoint(stack.customerEc2(), serviceName);
}

test('throttled and unavailable AWS calls are retried until the service is AVAILABLE', async () => {
  const cloud = stack.running.localCloud!;
  await cloud.setFault('CreateVpcEndpointServiceConfiguration', { kind: 'throttle', times: 3 });
  await cloud.setFault('CreateLoadBalancer', {
    kind: 'error',
    code: 'InternalFailure',
    message: 'The request processing has failed because of an unknown error.',
    status: 500,
    times: 2,
  });
  const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-east-1' });
  const id = (created.json as { id: string }).id;
  const ready = await until(
    () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
    (r) => (r.json as { status: string }).status !== 'INITIATING',
    30_000,
  );
  assert.equal((ready.json as { status: string }).status, 'AVAILABLE');
  assert.equal((ready.json as { errorMessage: string | null }).errorMessage, null);
});

test('a failed permissions call is finished on a later pass: the service is AVAILABLE only once customers can see it', async () => {
  // The endpoint service and its load balancer are made and Available at once (zero delays); the
  // call that opens the service to customers fails once. The next pass must not take "made and
  // Available" for ready: a service without allowed principals does not exist for a customer.
  const cloud = stack.running.localCloud!;
  const region = 'eu-west-1';
  await cloud.setFault('ModifyVpcEndpointServicePermissions', { kind: 'error', code: 'InternalFailure', message: 'Held by the test.', status: 500, times: 1 });
  try {
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region });
    assert.equal(created.status, 201, created.text);
    const id = (created.json as { id: string }).id;
    const ready = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
      (r) => (r.json as { status: string }).status !== 'INITIATING',
      30_000,
    );
    assert.equal((ready.json as { status: string }).status, 'AVAILABLE', ready.text);
    const name = (ready.json as { endpointServiceName: string }).endpointServiceName;
    const provider = stack.providerEc2(region);
    const customer = stack.customerEc2(region);
    try {
      const serviceId = name.split('.').pop()!;
      const permissions = await provider.send(new DescribeVpcEndpointServicePermissionsCommand({ ServiceId: serviceId }));
      assert.deepEqual(
        permissions.AllowedPrincipals!.map((p) => p.Principal),
        ['*'],
      );
      const seen = await customer.send(new DescribeVpcEndpointServicesCommand({ ServiceNames: [name] }));
      assert.deepEqual(
        seen.ServiceDetails!.map((d) => d.ServiceName),
        [name],
      );
    } finally {
      provider.destroy();
      customer.destroy();
    }
  } finally {
    await cloud.setFault('ModifyVpcEndpointServicePermissions', null);
  }
});

test("an invalid request ends FAILED with Atlas's message naming the AWS code and message", async () => {
  const cloud = stack.running.localCloud!;
  await cloud.setFault('CreateVpcEndpointServiceConfiguration', { kind: 'error', code: 'InvalidParameter', message: 'The NLB is not allowed here.', status: 400 });
  try {
    const created = await stack.owner.post(`${stack.project}/privateEndpoint/endpointService`, { providerName: 'AWS', region: 'us-west-2' });
    const id = (created.json as { id: string }).id;
    const failed = await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
      (r) => (r.json as { status: string }).status === 'FAILED',
      20_000,
    );
    assert.equal(
      (failed.json as { errorMessage: string }).errorMessage,
      'Failed to create endpoint service due to an unexpected error with code={InvalidParameter} and message={The NLB is not allowed here.} from AWS API.',
    );
    // A failed service can be deleted, and nothing stays behind.
    assert.equal((await stack.owner.delete(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`)).status, 202);
    await until(
      () => stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService/${id}`),
      (r) => r.status === 404,
      20_000,
    );
  } finally {
    await cloud.setFault('CreateVpcEndpointServiceConfiguration', null);
  }
});

test('a refused accept ends REJECTED with "Failed to accept interface endpoint due to an unexpected error …"', async () => {
  const cloud = stack.running.localCloud!;
  const services = (await stack.owner.get(`${stack.project}/privateEndpoint/AWS/endpointService`)).json as Array<{
    id: string;
    status: string;
    endpointServiceName: string;
    regionName: string;
  }>;
  const service = services.find((s) => s.regionName === 'US_EAST_1' && s.status === 'AVAILABLE')!;
  const vpce = await customerEndpoint(service.endpointServiceName);
  await cloud.setFault('AcceptVpcEndpointConnections', {
    kind: 'error',
    code: 'InvalidParameter',
    message: `Cannot modify VPC Endpoint ${vpce} at this time because there is an idempotent operation going on`,
    status: 400,
    times: 1,
  });
  await cloud.setFault('DescribeVpcEndpointConnections', { kind: 'throttle', times: 2 });
  const path = `${stack.project}/privateEndpoint/AWS/endpointService/${service.id}/endpoint`;
  assert.equal((await stack.owner.post(path, { id: vpce })).status, 201);
  const settled = await until(
    () => stack.owner.get(`${path}/${vpce}`),
    (r) => ['AVAILABLE', 'REJECTED'].includes((r.json as { connectionStatus: string }).connectionStatus),
    20_000,
  );
  // "idempotent operation going on" is a conflict: retried, then accepted (a failure the Terraform provider has met against Atlas, handled).
  assert.equal((settled.json as { connectionStatus: string }).connectionStatus, 'AVAILABLE');

  const second = await customerEndpoint(service.endpointServiceName);
  await stack.owner.delete(`${path}/${vpce}`);
  await until(
    () => stack.owner.get(`${path}/${vpce}`),
    (r) => r.status === 404,
    20_000,
  );
  await cloud.setFault('AcceptVpcEndpointConnections', {
    kind: 'error',
    code: 'UnauthorizedOperation',
    message: 'You are not authorized to perform this operation.',
    status: 403,
    times: 1,
  });
  assert.equal((await stack.owner.post(path, { id: second })).status, 201);
  const rejected = await until(
    () => stack.owner.get(`${path}/${second}`),
    (r) => (r.json as { connectionStatus: string }).connectionStatus === 'REJECTED',
    20_000,
  );
  assert.equal(
    (rejected.json as { errorMessage: string }).errorMessage,
    'Failed to accept interface endpoint due to an unexpected error with code={UnauthorizedOperation} and message={You are not authorized to perform this operation.} from AWS API.',
  );
});
