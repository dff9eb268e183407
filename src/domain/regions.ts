/**
 * Cloud providers and their regions, in Atlas's names (`US_EAST_1`) and the provider's own
 * (`us-east-1`). Requests may use either form; responses always use the Atlas name.
 */
const CLOUD_PROVIDERS = ['AWS', 'AZURE', 'GCP'] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

export function isCloudProvider(value: unknown): value is CloudProvider {
  return typeof value === 'string' && (CLOUD_PROVIDERS as readonly string[]).includes(value);
}

/** A region privlink knows, with both of its names. */
export interface Region {
  readonly provider: CloudProvider;
  /** Atlas enum name, e.g. `US_EAST_1`. */
  readonly atlasName: string;
  /** The provider's name, e.g. `us-east-1`. */
  readonly providerName: string;
}

const AWS_REGION_NAMES = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-east-1',
  'me-south-1',
  'af-south-1',
] as const;

const AZURE_REGIONS: ReadonlyArray<readonly [string, string]> = [
  ['US_EAST', 'eastus'],
  ['US_EAST_2', 'eastus2'],
  ['US_WEST', 'westus'],
  ['US_WEST_2', 'westus2'],
  ['EUROPE_NORTH', 'northeurope'],
  ['EUROPE_WEST', 'westeurope'],
  ['ASIA_SOUTH_EAST', 'southeastasia'],
  ['ASIA_EAST', 'eastasia'],
  ['UK_SOUTH', 'uksouth'],
  ['GERMANY_WEST_CENTRAL', 'germanywestcentral'],
];

const GCP_REGIONS: ReadonlyArray<readonly [string, string]> = [
  ['CENTRAL_US', 'us-central1'],
  ['US_EAST_4', 'us-east4'],
  ['US_WEST_2', 'us-west2'],
  ['EASTERN_US', 'us-east1'],
  ['WESTERN_US', 'us-west1'],
  ['WESTERN_EUROPE', 'europe-west1'],
  ['EUROPE_WEST_2', 'europe-west2'],
  ['EUROPE_WEST_3', 'europe-west3'],
  ['ASIA_SOUTHEAST_1', 'asia-southeast1'],
];

const REGIONS: readonly Region[] = [
  ...AWS_REGION_NAMES.map((name) => ({ provider: 'AWS' as const, atlasName: name.toUpperCase().replace(/-/g, '_'), providerName: name })),
  ...AZURE_REGIONS.map(([atlasName, providerName]) => ({ provider: 'AZURE' as const, atlasName, providerName })),
  ...GCP_REGIONS.map(([atlasName, providerName]) => ({ provider: 'GCP' as const, atlasName, providerName })),
];

/**
 * Finds a region of `provider` by either of its names (`us-east-1`, `US_EAST_1`, case-insensitive
 * for the Atlas form). Returns undefined for an unknown region.
 */
export function findRegion(provider: CloudProvider, name: string): Region | undefined {
  const wanted = name.trim();
  return REGIONS.find((region) => region.provider === provider && (region.providerName === wanted || region.atlasName === wanted.toUpperCase()));
}

/** All regions of one provider, in a stable order. */
export function regionsOf(provider: CloudProvider): readonly Region[] {
  return REGIONS.filter((region) => region.provider === provider);
}
