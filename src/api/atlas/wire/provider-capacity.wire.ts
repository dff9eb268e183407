/** privlink extension bodies: the provider account pool and its capacity (no Atlas equivalent). */

export interface ProviderAccountWire {
  readonly id: string;
  /** `AWS` (an account), `AZURE` (a subscription) or `GCP` (a project). */
  readonly providerName: 'AWS' | 'AZURE' | 'GCP';
  readonly name: string;
  /** `LOCAL_CLOUD`; AWS `ACCESS_KEY` or `ASSUME_ROLE`; Azure `SERVICE_PRINCIPAL`; GCP `SERVICE_ACCOUNT_KEY`. */
  readonly kind: string;
  readonly accessKeyId: string | null;
  readonly roleArn: string | null;
  /** Azure SERVICE_PRINCIPAL: the subscription, tenant and client id (the client secret is never shown). */
  readonly subscriptionId: string | null;
  readonly tenantId: string | null;
  readonly clientId: string | null;
  /** GCP SERVICE_ACCOUNT_KEY: the project (the key is never shown). */
  readonly projectId: string | null;
  /** `ACTIVE` (takes placements) or `DRAINING` (takes no new project region). */
  readonly state: string;
  readonly created: string;
}

export interface CapacityLimitWire {
  readonly serviceCode: string;
  readonly quotaCode: string;
  readonly quotaName: string;
  readonly used: number;
  /** The quota as last read from the provider; null when never read in this region. */
  readonly quota: number | null;
  readonly left: number | null;
}

export interface CapacityLineWire {
  readonly accountName: string;
  readonly providerName: 'AWS' | 'AZURE' | 'GCP';
  readonly accountId: string;
  readonly state: string;
  readonly regionName: string;
  readonly placements: number;
  readonly limits: readonly CapacityLimitWire[];
  readonly quotasReadAt: string | null;
}

export interface ListWire<T> {
  readonly results: readonly T[];
  readonly totalCount: number;
}
