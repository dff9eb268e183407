import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * How the AWS adapter reaches AWS: the only difference between the local cloud and real AWS is
 * `endpoint` (+ explicit credentials for the local cloud's provider account). With no endpoint,
 * the SDK's standard chain supplies credentials and the regional endpoints are AWS's.
 */
export interface AwsConnection {
  readonly endpoint: string | undefined;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } | undefined;
  /** Per-request timeout (ms). */
  readonly requestTimeoutMs: number;
  /** Called once per API call sent (e.g. `DescribeLoadBalancers`), before it is signed: for metrics. */
  readonly onCall?: (operation: string) => void;
}

/** The SDK clients of one region, created once and reused. */
export interface RegionClients {
  readonly ec2: EC2Client;
  readonly elb: ElasticLoadBalancingV2Client;
}

/** Caches one pair of SDK clients per region. SDK retries are off: the reconciler retries with backoff. */
export class AwsClientPool {
  private readonly clients = new Map<string, RegionClients>();

  constructor(private readonly connection: AwsConnection) {}

  forRegion(region: string): RegionClients {
    let clients = this.clients.get(region);
    if (!clients) {
      const config = {
        region,
        maxAttempts: 1,
        requestHandler: { requestTimeout: this.connection.requestTimeoutMs, connectionTimeout: Math.min(5000, this.connection.requestTimeoutMs) },
        ...(this.connection.endpoint ? { endpoint: this.connection.endpoint } : {}),
        ...(this.connection.credentials ? { credentials: this.connection.credentials } : {}),
      };
      clients = { ec2: new EC2Client(config), elb: new ElasticLoadBalancingV2Client(config) };
      const onCall = this.connection.onCall;
      if (onCall) {
        const step = { step: 'initialize', name: 'privlinkCallCounter' } as const;
        const operation = (context: { commandName?: string }) => String(context.commandName ?? 'unknown').replace(/Command$/, '');
        clients.ec2.middlewareStack.add((next, context) => (args) => (onCall(operation(context)), next(args)), step);
        clients.elb.middlewareStack.add((next, context) => (args) => (onCall(operation(context)), next(args)), step);
      }
      this.clients.set(region, clients);
    }
    return clients;
  }

  destroy(): void {
    for (const { ec2, elb } of this.clients.values()) {
      ec2.destroy();
      elb.destroy();
    }
    this.clients.clear();
  }
}
