import assert from 'node:assert/strict';
import { DescribeVpcEndpointServiceConfigurationsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, test } from 'node:test';
import { AppServicesClient, type V3Response } from '../support/appservices-client.js';
import { FAST_RECOVERY_ENV, restart, waitForDeath } from '../support/crash-restarts.js';
import { customerEndpoint } from '../support/customer-vpc.js';
import { Resolver } from 'node:dns/promises';
import { httpVia } from '../support/appservices-traffic.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

// The server as a child process, SIGKILLed right after the provider call that makes an App Services
// endpoint service (before its result is committed) and right after accepting an app endpoint's
// connection, then restarted on the same store: the services converge with exactly one endpoint
// service in the cloud each, and the endpoint becomes AVAILABLE.

type Info = { service_name?: string; endpoint_type: string };

function ec2(server: ServerProcess, account: 'provider' | 'customer'): EC2Client {
  return new EC2Client({ endpoint: server.localCloudUrl!, region: 'us-east-1', maxAttempts: 1, credentials: server.bootstrap.localCloud![account] });
}

async function login(server: ServerProcess): Promise<AppServicesClient> {
  const client = new AppServicesClient(server.apiUrl);
  assert.equal((await client.login(server.bootstrap.publicKey, server.bootstrap.privateKey)).status, 200);
  return client;
}

async function until(fetch: () => Promise<V3Response>, done: (r: V3Response) => boolean, timeoutMs = 30_000): Promise<V3Response> {
  const deadline = Date.now() + timeoutMs;
  let last = await fetch();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out; last response ${last.status} ${last.text}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await fetch();
  }
  return last;
}

async function createApp(server: ServerProcess): Promise<string> {
  const v3 = await login(server);
  const res = await v3.post(`/groups/${server.bootstrap.projectId}/apps`, { name: 'CrashApp', deployment_model: 'LOCAL', provider_region: 'aws-us-east-1' });
  assert.equal(res.status, 201, res.text);
  return `/groups/${server.bootstrap.projectId}/apps/${(res.json as { _id: string })._id}/security`;
}

async function readyInfos(server: ServerProcess, sec: string): Promise<Info[]> {
  const v3 = await login(server);
  const res = await until(
    () => v3.get(`${sec}/private_endpoint_service_infos`),
    (r) => Array.isArray(r.json) && (r.json as Info[]).length === 2 && (r.json as Info[]).every((i) => typeof i.service_name === 'string'),
  );
  return res.json as Info[];
}

describe('crash around App Services endpoint services and connections', () => {
  test('SIGKILL after the create call: after restart each service exists exactly once in the cloud', async () => {
    const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: 'after-create-endpoint-service' } });
    let second: ServerProcess | undefined;
    try {
      const sec = await createApp(first);
      assert.equal(await waitForDeath(first), 'SIGKILL');
      second = await restart(first);
      const infos = await readyInfos(second, sec);
      const provider = ec2(second, 'provider');
      try {
        const configs = ((await provider.send(new DescribeVpcEndpointServiceConfigurationsCommand({}))).ServiceConfigurations ?? []).filter((c) => c.ServiceState !== 'Deleted');
        assert.equal(configs.length, 2, 'exactly two VPC endpoint services (general and sync), none made twice');
        assert.deepEqual(configs.map((c) => c.ServiceName).sort(), infos.map((i) => i.service_name).sort());
      } finally {
        provider.destroy();
      }
    } finally {
      await second?.stop();
      await first.destroy();
    }
  });

  test('SIGKILL after accepting the connection: the endpoint is AVAILABLE after restart and the app answers through it', async () => {
    const first = await startServer({ env: { ...FAST_RECOVERY_ENV, PRIVLINK_TEST_CRASH_AT: 'after-accept-connection' } });
    let second: ServerProcess | undefined;
    try {
      const sec = await createApp(first);
      const infos = await readyInfos(first, sec);
      const customer = ec2(first, 'customer');
      const vpce = await customerEndpoint(customer, infos.find((i) => i.endpoint_type === 'general')!.service_name!, { openToVpc: true });
      customer.destroy();
      const v3 = await login(first);
      const created = await v3.post(`${sec}/private_endpoints`, { cloud_provider_region: 'aws-us-east-1', cloud_provider_endpoint_id: vpce, endpoint_type: 'general' });
      assert.equal(created.status, 201, created.text);
      assert.equal(await waitForDeath(first), 'SIGKILL');
      second = await restart(first);
      const v3again = await login(second);
      await until(
        () => v3again.get(`${sec}/private_endpoints/${(created.json as { _id: string })._id}`),
        (r) => (r.json as { status?: string }).status === 'AVAILABLE',
      );
      // The restarted process runs the front end on a new port; the endpoint service's listener follows it.
      const app = (await v3again.get(sec.replace(/\/security$/, ''))).json as { client_app_id: string };
      const resolver = new Resolver();
      resolver.setServers([`127.0.0.1:${second.dnsPort}`]);
      const [address] = await resolver.resolve4('us-east-1.aws.services.privlink.test');
      const client = `${address!.split('.').slice(0, 3).join('.')}.250`;
      let answer = await httpVia(address!, 8080, `/api/client/v2.0/app/${app.client_app_id}/location`, { localAddress: client }).catch(() => undefined);
      for (let i = 0; i < 100 && answer?.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        answer = await httpVia(address!, 8080, `/api/client/v2.0/app/${app.client_app_id}/location`, { localAddress: client }).catch(() => undefined);
      }
      assert.equal(answer?.status, 200, answer?.text);
    } finally {
      await second?.stop();
      await first.destroy();
    }
  });
});
