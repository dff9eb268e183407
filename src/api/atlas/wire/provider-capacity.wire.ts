/** privlink extension bodies: the provider account pool and its capacity (no Atlas equivalent). */

export interface ProviderAccountWire {
  readonly id: string;
  readonly providerName: 'AWS';
  readonly name: string;
  /** `LOCAL_CLOUD`, `ACCESS_KEY` or `ASSUME_ROLE`. */
  readonly kind: string;
  readonly accessKeyId: string | null;
  readonly roleArn: string | null;
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
