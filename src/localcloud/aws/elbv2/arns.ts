/**
 * ELBv2 ARNs: `arn:aws:elasticloadbalancing:<region>:<account>:loadbalancer/net/<name>/<16hex>`,
 * `…:targetgroup/<name>/<16hex>`, `…:listener/net/<lb-name>/<lb-16hex>/<16hex>`.
 */

export type ElbResourceKind = 'loadbalancer' | 'targetgroup' | 'listener';

/** What an ELBv2 ARN names. */
export interface ParsedElbArn {
  readonly kind: ElbResourceKind;
  readonly region: string;
  readonly accountId: string;
}

export function loadBalancerArn(region: string, accountId: string, name: string, id: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/net/${name}/${id}`;
}

export function targetGroupArn(region: string, accountId: string, name: string, id: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${name}/${id}`;
}

/** A listener ARN continues its load balancer's: `listener/net/<lb-name>/<lb-id>/<id>`. */
export function listenerArn(loadBalancer: string, id: string): string {
  return `${loadBalancer.replace(':loadbalancer/', ':listener/')}/${id}`;
}

const PATTERNS: ReadonlyArray<readonly [ElbResourceKind, RegExp]> = [
  ['loadbalancer', /^arn:aws:elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer\/(?:net|app|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/],
  ['targetgroup', /^arn:aws:elasticloadbalancing:([a-z0-9-]+):(\d{12}):targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/],
  ['listener', /^arn:aws:elasticloadbalancing:([a-z0-9-]+):(\d{12}):listener\/(?:net|app|gwy)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}\/[0-9a-f]{16}$/],
];

/** Parses an ELBv2 ARN of the three kinds above; undefined when it is none of them. */
export function parseElbArn(arn: string): ParsedElbArn | undefined {
  for (const [kind, pattern] of PATTERNS) {
    const match = pattern.exec(arn);
    // Both groups are mandatory in every pattern, so a match has them.
    if (match) return { kind, region: match[1]!, accountId: match[2]! };
  }
  return undefined;
}
