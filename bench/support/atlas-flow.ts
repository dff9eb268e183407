// The steps of the private-endpoint flow (README "Walkthrough") as a benchmark drives them: the
// provider side on the Admin API with Digest auth, the customer side with the EC2 SDK against the
// local cloud. Every wait is a poll with a fixed pause between one response and the next request.
import { CreateVpcEndpointCommand, DeleteVpcEndpointsCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AtlasClient, AtlasResponse } from '../../src/client/atlas-client.js';

/** Raised when a step answers something the flow does not expect (a benchmark run is then void). */
export class FlowError extends Error {
  override readonly name = 'FlowError';
}

export interface PollOptions {
  /** Pause after each response before the next request, ms. */
  readonly intervalMs: number;
  /** Give up after this long, ms (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * GETs `path` every `intervalMs` until `done(response)` is true; returns that response and how
 * many GETs it took. Throws FlowError when `failed(response)` says so or on timeout.
 */
export async function pollUntil(
  client: AtlasClient,
  path: string,
  done: (response: AtlasResponse) => boolean,
  options: PollOptions & { failed?: (response: AtlasResponse) => string | undefined },
): Promise<{ response: AtlasResponse; polls: number }> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  for (let polls = 1; ; polls++) {
    const response = await client.get(path);
    if (done(response)) return { response, polls };
    const failure = options.failed?.(response);
    if (failure) throw new FlowError(`GET ${path}: ${failure}`);
    if (performance.now() > deadline) throw new FlowError(`GET ${path}: still ${response.status} ${response.text.slice(0, 200)} after ${options.timeoutMs ?? 30_000} ms`);
    await sleep(options.intervalMs);
  }
}

type Json = Record<string, unknown>;
const field = (response: AtlasResponse, name: string): unknown => (response.json as Json | undefined)?.[name];

export function servicePath(projectId: string, serviceId?: string): string {
  return `/api/atlas/v2/groups/${projectId}/privateEndpoint/${serviceId === undefined ? 'endpointService' : `AWS/endpointService/${serviceId}`}`;
}

/** POSTs an AWS endpoint service in us-east-1 (201 INITIATING); returns its id. */
export async function createService(client: AtlasClient, projectId: string): Promise<string> {
  const created = await client.post(servicePath(projectId), { providerName: 'AWS', region: 'us-east-1' });
  if (created.status !== 201 || typeof field(created, 'id') !== 'string') throw new FlowError(`POST endpointService: ${created.status} ${created.text.slice(0, 300)}`);
  return field(created, 'id') as string;
}

/** Polls the service until AVAILABLE; returns its `endpointServiceName`. */
export async function waitServiceAvailable(client: AtlasClient, projectId: string, serviceId: string, poll: PollOptions): Promise<{ serviceName: string; polls: number }> {
  const { response, polls } = await pollUntil(client, servicePath(projectId, serviceId), (r) => r.status === 200 && field(r, 'status') === 'AVAILABLE', {
    ...poll,
    failed: (r) => (r.status !== 200 ? `${r.status} ${r.text.slice(0, 300)}` : field(r, 'status') === 'FAILED' ? `FAILED: ${String(field(r, 'errorMessage'))}` : undefined),
  });
  return { serviceName: field(response, 'endpointServiceName') as string, polls };
}

/** POSTs the customer's endpoint id to the service (201 PENDING_ACCEPTANCE). */
export async function registerEndpoint(client: AtlasClient, projectId: string, serviceId: string, vpceId: string): Promise<void> {
  const registered = await client.post(`${servicePath(projectId, serviceId)}/endpoint`, { id: vpceId });
  if (registered.status !== 201) throw new FlowError(`POST endpoint: ${registered.status} ${registered.text.slice(0, 300)}`);
}

/** Polls the interface endpoint until its `connectionStatus` is AVAILABLE. */
export async function waitEndpointAvailable(client: AtlasClient, projectId: string, serviceId: string, vpceId: string, poll: PollOptions): Promise<{ polls: number }> {
  const { polls } = await pollUntil(client, `${servicePath(projectId, serviceId)}/endpoint/${vpceId}`, (r) => r.status === 200 && field(r, 'connectionStatus') === 'AVAILABLE', {
    ...poll,
    failed: (r) => {
      if (r.status !== 200) return `${r.status} ${r.text.slice(0, 300)}`;
      const status = field(r, 'connectionStatus');
      return status === 'REJECTED' || status === 'FAILED' ? `${String(status)}: ${String(field(r, 'errorMessage'))}` : undefined;
    },
  });
  return { polls };
}

/** DELETEs the service (202) and polls until it is gone (404). */
export async function deleteService(client: AtlasClient, projectId: string, serviceId: string, poll: PollOptions): Promise<void> {
  const deleted = await client.delete(servicePath(projectId, serviceId));
  if (deleted.status !== 202) throw new FlowError(`DELETE endpointService: ${deleted.status} ${deleted.text.slice(0, 300)}`);
  await pollUntil(client, servicePath(projectId, serviceId), (r) => r.status === 404, {
    ...poll,
    failed: (r) => (r.status !== 200 ? `${r.status} ${r.text.slice(0, 300)}` : undefined),
  });
}

/** The customer's side on the local cloud: their default VPC, a subnet in us-east-1a, endpoints. */
export class CustomerVpc {
  readonly ec2: EC2Client;

  constructor(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
    this.ec2 = new EC2Client({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  }

  /** DescribeVpcs (isDefault) → DescribeSubnets (us-east-1a) → CreateVpcEndpoint (Interface); the vpce id. */
  async createInterfaceEndpoint(serviceName: string): Promise<string> {
    const vpcs = await this.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    if (!vpcId) throw new FlowError('DescribeVpcs: no default VPC');
    const subnets = await this.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'availability-zone', Values: ['us-east-1a'] },
        ],
      }),
    );
    const subnetId = subnets.Subnets?.[0]?.SubnetId;
    if (!subnetId) throw new FlowError('DescribeSubnets: no subnet in us-east-1a');
    const created = await this.ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: serviceName, VpcEndpointType: 'Interface', SubnetIds: [subnetId] }));
    const vpceId = created.VpcEndpoint?.VpcEndpointId;
    if (!vpceId) throw new FlowError('CreateVpcEndpoint: no endpoint id');
    return vpceId;
  }

  async deleteEndpoint(vpceId: string): Promise<void> {
    await this.ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [vpceId] }));
  }

  close(): void {
    this.ec2.destroy();
  }
}
