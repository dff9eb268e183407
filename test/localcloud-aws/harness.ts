import assert from 'node:assert/strict';
import {
  CreateVpcEndpointServiceConfigurationCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyVpcEndpointServicePermissionsCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createLocalCloudAws, type AccountCredentials, type LocalCloudAws, type LocalCloudAwsOptions } from '../../src/localcloud/aws/local-cloud-aws.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { FollowedPicture } from '../../src/localcloud/aws/followed-picture.js';
import { readLocalCloud } from '../../src/localcloud/aws/store/schema.js';
import { loopbackRanges } from '../../src/localcloud/common/loopback.js';
import type { DataPlaneSnapshot } from '../../src/localcloud/common/data-plane-snapshot.js';

/**
 * One running local cloud for a test file: a fresh store, the emulator served on a free port of
 * 127.0.0.1, a controllable clock (resource time only; signatures use the wall clock), and AWS
 * SDK clients for any account.
 */
export interface Harness {
  readonly cloud: LocalCloudAws;
  readonly url: string;
  readonly testStore: TestStore;
  /** Moves the emulated clock forward. */
  advance(ms: number): void;
  now(): Date;
  ec2(account: AccountCredentials, region?: string): EC2Client;
  elb(account: AccountCredentials, region?: string): ElasticLoadBalancingV2Client;
  /** Stops the emulator and starts a new one on the same store (a process restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<Pick<LocalCloudAwsOptions, 'delays' | 'loopbackBase'>> = {}): Promise<Harness> {
  const testStore = await openTestStore();
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const loopbackBase = options.loopbackBase ?? 100;
  const start = async () => {
    const cloud = await createLocalCloudAws({ store: testStore.store, delays: options.delays ?? 'instant', loopbackBase, now });
    const served = await cloud.listen('127.0.0.1', 0);
    // The data plane follows every change, as a running privlink's does: the picture is read
    // change by change, and checked against a whole read when the harness closes.
    const follower = coalesced(() => cloud.snapshot());
    const unfollow = cloud.onChange(() => void follower.run().catch(() => undefined));
    await follower.run();
    return { cloud, served, follower, unfollow };
  };
  let running = await start();
  const clients: Array<{ destroy(): void }> = [];
  const config = (account: AccountCredentials, region: string) => ({
    endpoint: running.served.url,
    region,
    credentials: { accessKeyId: account.accessKeyId, secretAccessKey: account.secretAccessKey },
    maxAttempts: 1,
  });
  const stop = async () => {
    running.unfollow();
    await running.follower.idle();
    for (const client of clients.splice(0)) client.destroy();
    await running.served.close();
    await running.cloud.close();
  };
  return {
    get cloud() {
      return running.cloud;
    },
    get url() {
      return running.served.url;
    },
    testStore,
    advance: (ms) => void (offset += ms),
    now,
    ec2(account, region = 'us-east-1') {
      const client = new EC2Client(config(account, region));
      clients.push(client);
      return client;
    },
    elb(account, region = 'us-east-1') {
      const client = new ElasticLoadBalancingV2Client(config(account, region));
      clients.push(client);
      return client;
    },
    async restart() {
      await stop();
      running = await start();
    },
    async close() {
      try {
        await running.follower.idle();
        const followed = await running.cloud.snapshot();
        const whole = await new FollowedPicture().read((work) => readLocalCloud(testStore.store, work), now, loopbackRanges(loopbackBase).AWS);
        assert.deepEqual(comparable(followed), comparable(whole), 'the data-plane picture followed change by change equals a whole read');
      } finally {
        await stop();
        await testStore.cleanup();
      }
    },
  };
}

/** What providerService made. */
export interface ProviderService {
  readonly loadBalancerArn: string;
  readonly targetGroupArn: string;
  readonly listenerArn: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly providerVpcId: string;
  /** AZ names of the provider's default subnets (the service's AZs). */
  readonly zones: string[];
}

/**
 * The provider flow: an internal NLB in the provider's default subnets, a TCP target group with
 * one IP target, a listener, an endpoint service with acceptance required, principals `*`.
 */
export async function providerService(h: Harness, options: { principals?: string[]; acceptanceRequired?: boolean; name?: string; region?: string } = {}): Promise<ProviderService> {
  const region = options.region ?? 'us-east-1';
  const ec2 = h.ec2(h.cloud.accounts.provider, region);
  const elb = h.elb(h.cloud.accounts.provider, region);
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  const name = options.name ?? 'pl-test';
  const lb = (await elb.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Scheme: 'internal', Subnets: subnets.map((s) => s.SubnetId!) }))).LoadBalancers![0]!;
  const tg = (await elb.send(new CreateTargetGroupCommand({ Name: `${name}-1024`, Protocol: 'TCP', Port: 27017, VpcId: vpc.VpcId, TargetType: 'ip' }))).TargetGroups![0]!;
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: '172.31.0.10', Port: 27017 }] }));
  const listener = (
    await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'TCP', Port: 1024, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroupArn }] }),
    )
  ).Listeners![0]!;
  const service = (
    await ec2.send(new CreateVpcEndpointServiceConfigurationCommand({ NetworkLoadBalancerArns: [lb.LoadBalancerArn!], AcceptanceRequired: options.acceptanceRequired ?? true }))
  ).ServiceConfiguration!;
  const principals = options.principals ?? ['*'];
  if (principals.length > 0) await ec2.send(new ModifyVpcEndpointServicePermissionsCommand({ ServiceId: service.ServiceId, AddAllowedPrincipals: principals }));
  return {
    loadBalancerArn: lb.LoadBalancerArn!,
    targetGroupArn: tg.TargetGroupArn!,
    listenerArn: listener.ListenerArn!,
    serviceId: service.ServiceId!,
    serviceName: service.ServiceName!,
    providerVpcId: vpc.VpcId!,
    zones: subnets.map((s) => s.AvailabilityZone!),
  };
}

/** The default VPC and its subnets by AZ name, for an account. */
export async function defaultNetwork(h: Harness, account: AccountCredentials, region = 'us-east-1'): Promise<{ vpcId: string; subnetByZone: Map<string, string> }> {
  const ec2 = h.ec2(account, region);
  const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs![0]!;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
  return { vpcId: vpc.VpcId!, subnetByZone: new Map(subnets.map((s) => [s.AvailabilityZone!, s.SubnetId!])) };
}

/** Asserts the call fails with this AWS error code (and message / HTTP status when given). */
export async function rejectsWith(call: Promise<unknown>, code: string, expected: { message?: string | RegExp; status?: number } = {}): Promise<Error & { Code?: string }> {
  try {
    await call;
  } catch (error) {
    const e = error as Error & { Code?: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(e.Code ?? e.name, code, `error code (message: ${e.message})`);
    if (typeof expected.message === 'string') assert.equal(e.message, expected.message);
    else if (expected.message) assert.match(e.message, expected.message);
    if (expected.status !== undefined) assert.equal(e.$metadata?.httpStatusCode, expected.status);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** A snapshot without the time it was taken. */
function comparable(snapshot: DataPlaneSnapshot): Omit<DataPlaneSnapshot, 'takenAt'> {
  const { takenAt: _takenAt, ...rest } = snapshot;
  return rest;
}

/** Runs `work` one at a time; a call while it runs makes one more run after it. `idle()` waits for the last. */
function coalesced(work: () => Promise<unknown>): { run(): Promise<void>; idle(): Promise<void> } {
  let running: Promise<void> | undefined;
  let again = false;
  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await work();
        } while (again);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };
  return { run, idle: async () => void (await running?.catch(() => undefined)) };
}
