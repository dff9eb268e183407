/**
 * The AWS Service Quotas the local cloud knows, with AWS's documented defaults (Elastic Load
 * Balancing, "Quotas for your Network Load Balancers"; Amazon VPC, "Amazon VPC quotas"). The local
 * cloud never starts with other values: only an approved RequestServiceQuotaIncrease changes one.
 */
export interface QuotaDefinition {
  readonly serviceCode: string;
  readonly serviceName: string;
  readonly quotaCode: string;
  readonly quotaName: string;
  readonly defaultValue: number;
  readonly adjustable: boolean;
}

/** Service code and quota code of the network load balancers per region quota. */
export const NLB_PER_REGION = { serviceCode: 'elasticloadbalancing', quotaCode: 'L-69A177A2' } as const;
/** Service code and quota code of the VPCs per region quota. */
export const VPC_PER_REGION = { serviceCode: 'vpc', quotaCode: 'L-F678F1CE' } as const;
/** Service code and quota code of the listeners per network load balancer quota (AWS: not adjustable). */
export const LISTENERS_PER_NLB = { serviceCode: 'elasticloadbalancing', quotaCode: 'L-57A373D6' } as const;

export const QUOTA_CATALOGUE: readonly QuotaDefinition[] = [
  { ...NLB_PER_REGION, serviceName: 'Elastic Load Balancing (ELB)', quotaName: 'Network Load Balancers per Region', defaultValue: 50, adjustable: true },
  { ...LISTENERS_PER_NLB, serviceName: 'Elastic Load Balancing (ELB)', quotaName: 'Listeners per Network Load Balancer', defaultValue: 50, adjustable: false },
  { ...VPC_PER_REGION, serviceName: 'Amazon Virtual Private Cloud (Amazon VPC)', quotaName: 'VPCs per Region', defaultValue: 5, adjustable: true },
];

/** The definition of a quota, or undefined when the local cloud does not know it. */
export function findQuota(serviceCode: string, quotaCode: string): QuotaDefinition | undefined {
  return QUOTA_CATALOGUE.find((q) => q.serviceCode === serviceCode && q.quotaCode === quotaCode);
}
