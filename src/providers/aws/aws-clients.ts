import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/nested-clients/sts';
import type { ProviderAccountAccess } from '../cloud-provider.js';

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

/** The SDK clients of one account and region, created once and reused. */
export interface RegionClients {
  readonly ec2: EC2Client;
  readonly elb: ElasticLoadBalancingV2Client;
  readonly quotas: ServiceQuotasClient;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };

/**
 * Caches one set of SDK clients per account and region (the configured account when no pool
 * account is given). SDK retries are off: the reconciler retries with backoff. A pool account with
 * a role ARN is reached with temporary credentials from STS AssumeRole (session `privlink`),
 * renewed by the SDK when they expire.
 */
export class AwsClientPool {
  private readonly clients = new Map<string, RegionClients>();

  constructor(private readonly connection: AwsConnection) {}

  /** The configured account's clients in `region`. */
  forRegion(region: string): RegionClients {
    return this.forAccount(undefined, region);
  }

  /** The clients of a pool account (or the configured one when `account` is undefined) in `region`. */
  forAccount(account: ProviderAccountAccess | undefined, region: string): RegionClients {
    const key = `${account?.id ?? ''}|${region}`;
    let clients = this.clients.get(key);
    if (!clients) {
      const credentials = account ? this.accountCredentials(account, region) : this.connection.credentials;
      const config = {
        region,
        maxAttempts: 1,
        requestHandler: { requestTimeout: this.connection.requestTimeoutMs, connectionTimeout: Math.min(5000, this.connection.requestTimeoutMs) },
        ...(this.connection.endpoint ? { endpoint: this.connection.endpoint } : {}),
        ...(credentials ? { credentials } : {}),
      };
      clients = { ec2: new EC2Client(config), elb: new ElasticLoadBalancingV2Client(config), quotas: new ServiceQuotasClient(config) };
      const onCall = this.connection.onCall;
      if (onCall) {
        const step = { step: 'initialize', name: 'privlinkCallCounter' } as const;
        const operation = (context: { commandName?: string }) => String(context.commandName ?? 'unknown').replace(/Command$/, '');
        clients.ec2.middlewareStack.add((next, context) => (args) => (onCall(operation(context)), next(args)), step);
        clients.elb.middlewareStack.add((next, context) => (args) => (onCall(operation(context)), next(args)), step);
        clients.quotas.middlewareStack.add((next, context) => (args) => (onCall(operation(context)), next(args)), step);
      }
      this.clients.set(key, clients);
    }
    return clients;
  }

  private accountCredentials(account: ProviderAccountAccess, region: string): Credentials | (() => Promise<Credentials>) | undefined {
    if (account.credentials) return { ...account.credentials };
    const roleArn = account.roleArn;
    if (!roleArn) return undefined;
    const sts = new STSClient({ region, ...(this.connection.credentials ? { credentials: this.connection.credentials } : {}) });
    return async () => {
      const answer = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'privlink' }));
      const c = answer.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
        ...(c.Expiration ? { expiration: c.Expiration } : {}),
      };
    };
  }

  destroy(): void {
    for (const { ec2, elb, quotas } of this.clients.values()) {
      ec2.destroy();
      elb.destroy();
      quotas.destroy();
    }
    this.clients.clear();
  }
}
