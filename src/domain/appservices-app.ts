/**
 * App Services apps as the v3 Admin API shows them (snake_case wire names are App Services' own).
 * An app runs in one deployment model (`LOCAL`: one region; `GLOBAL`: every region of its group)
 * and one provider region (`aws-us-east-1`, `azure-eastus2`, `gcp-us-central1`, …), which maps to a
 * physical `location` (`US-VA`, …) as App Services documents in "Deployment Models & Regions".
 */
export const DEPLOYMENT_MODELS = ['GLOBAL', 'LOCAL'] as const;
export type DeploymentModel = (typeof DEPLOYMENT_MODELS)[number];

export const APP_PRODUCTS = ['standard', 'atlas', 'data-api', 'device-sync'] as const;
export type AppProduct = (typeof APP_PRODUCTS)[number];

export const APP_ENVIRONMENTS = ['development', 'testing', 'qa', 'production'] as const;
export type AppEnvironment = (typeof APP_ENVIRONMENTS)[number];

/** One App Services deployment region: its id, cloud, the cloud's own region name, location, and the models it serves. */
export interface AppRegion {
  readonly id: string;
  readonly cloud: 'aws' | 'azure' | 'gcp';
  /** The cloud's region name (`us-east-1`). */
  readonly providerRegion: string;
  readonly location: string;
  readonly name: string;
  readonly country: string;
  readonly models: readonly DeploymentModel[];
}

const L: readonly DeploymentModel[] = ['LOCAL'];
const GL: readonly DeploymentModel[] = ['GLOBAL', 'LOCAL'];

/** The regions of the App Services specification's AwsDeploymentRegion / AzureDeploymentRegion / GcpDeploymentRegion. */
export const APP_REGIONS: readonly AppRegion[] = [
  { id: 'aws-us-east-1', cloud: 'aws', providerRegion: 'us-east-1', location: 'US-VA', name: 'Virginia (us-east-1)', country: 'usa', models: GL },
  { id: 'aws-us-west-2', cloud: 'aws', providerRegion: 'us-west-2', location: 'US-OR', name: 'Oregon (us-west-2)', country: 'usa', models: GL },
  { id: 'aws-us-east-2', cloud: 'aws', providerRegion: 'us-east-2', location: 'US-OH', name: 'Ohio (us-east-2)', country: 'usa', models: L },
  { id: 'aws-eu-central-1', cloud: 'aws', providerRegion: 'eu-central-1', location: 'DE-FF', name: 'Frankfurt (eu-central-1)', country: 'germany', models: GL },
  { id: 'aws-eu-west-1', cloud: 'aws', providerRegion: 'eu-west-1', location: 'IE', name: 'Ireland (eu-west-1)', country: 'ireland', models: GL },
  { id: 'aws-eu-west-2', cloud: 'aws', providerRegion: 'eu-west-2', location: 'GB', name: 'London (eu-west-2)', country: 'uk', models: L },
  { id: 'aws-ap-southeast-1', cloud: 'aws', providerRegion: 'ap-southeast-1', location: 'SG', name: 'Singapore (ap-southeast-1)', country: 'singapore', models: GL },
  { id: 'aws-ap-southeast-2', cloud: 'aws', providerRegion: 'ap-southeast-2', location: 'AU', name: 'Sydney (ap-southeast-2)', country: 'australia', models: GL },
  { id: 'aws-ap-south-1', cloud: 'aws', providerRegion: 'ap-south-1', location: 'IN-MB', name: 'Mumbai (ap-south-1)', country: 'india', models: GL },
  { id: 'aws-sa-east-1', cloud: 'aws', providerRegion: 'sa-east-1', location: 'BR-SP', name: 'São Paulo (sa-east-1)', country: 'brazil', models: L },
  { id: 'azure-eastus2', cloud: 'azure', providerRegion: 'eastus2', location: 'US-VA', name: 'Virginia (eastus2)', country: 'usa', models: L },
  { id: 'azure-westus', cloud: 'azure', providerRegion: 'westus', location: 'US-CA', name: 'California (westus)', country: 'usa', models: L },
  { id: 'azure-westeurope', cloud: 'azure', providerRegion: 'westeurope', location: 'NL', name: 'Netherlands (westeurope)', country: 'netherlands', models: L },
  { id: 'azure-eastasia', cloud: 'azure', providerRegion: 'eastasia', location: 'HK', name: 'Hong Kong (eastasia)', country: 'china', models: L },
  { id: 'azure-southeastasia', cloud: 'azure', providerRegion: 'southeastasia', location: 'SG', name: 'Singapore (southeastasia)', country: 'singapore', models: L },
  { id: 'gcp-us-central1', cloud: 'gcp', providerRegion: 'us-central1', location: 'US-IA', name: 'Iowa (us-central1)', country: 'usa', models: L },
  { id: 'gcp-us-east4', cloud: 'gcp', providerRegion: 'us-east4', location: 'US-VA', name: 'Virginia (us-east4)', country: 'usa', models: L },
  { id: 'gcp-us-west1', cloud: 'gcp', providerRegion: 'us-west1', location: 'US-OR', name: 'Oregon (us-west1)', country: 'usa', models: L },
  { id: 'gcp-europe-west1', cloud: 'gcp', providerRegion: 'europe-west1', location: 'BE', name: 'Belgium (europe-west1)', country: 'belgium', models: L },
  { id: 'gcp-asia-south1', cloud: 'gcp', providerRegion: 'asia-south1', location: 'IN-MB', name: 'Mumbai (asia-south1)', country: 'india', models: L },
];

export function findAppRegion(id: string): AppRegion | undefined {
  return APP_REGIONS.find((r) => r.id === id);
}

/** The linked data source of an app (App Services' `mongodb-atlas` service) and its config. */
export interface AppDataSource {
  readonly name: string;
  readonly type: 'mongodb-atlas';
  readonly config: { readonly clusterName: string; readonly readPreference: string; readonly wireProtocolEnabled: boolean };
}

/** An app as stored. `_id` (id) is what every Admin API path names; `client_app_id` is the public App ID. */
export interface AppRecord {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly clientAppId: string;
  readonly deploymentModel: DeploymentModel;
  readonly providerRegion: string;
  readonly location: string;
  readonly environment: AppEnvironment | null;
  readonly product: AppProduct;
  /** The project-wide toggle of the seed ("restrict non-VPC requests"), per app as App Services keeps it. */
  readonly allowNonVpcClientRequests: boolean;
  readonly dataSourceId: string;
  readonly dataSource: AppDataSource;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/**
 * Why an app cannot have private endpoints, or undefined when it can. App Services: "You can't use
 * Private Endpoints with globally deployed Apps or local Apps deployed to Azure or GCP."
 */
export function privateEndpointRefusal(app: Pick<AppRecord, 'deploymentModel' | 'providerRegion'>): 'APP_PRIVATE_ENDPOINT_GLOBAL' | 'APP_PRIVATE_ENDPOINT_PROVIDER' | undefined {
  if (app.deploymentModel === 'GLOBAL') return 'APP_PRIVATE_ENDPOINT_GLOBAL';
  if (!app.providerRegion.startsWith('aws-')) return 'APP_PRIVATE_ENDPOINT_PROVIDER';
  return undefined;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** App Services: a name "must begin with a letter and may only contain ASCII letters, numbers, underscores, and hyphens". */
export function isAppName(value: unknown): value is string {
  return typeof value === 'string' && NAME.test(value);
}

/** The public App ID: the lower-cased name and five random lower-case letters (`myapp-abcde`). */
export function clientAppIdOf(name: string, random: string): string {
  return `${name.toLowerCase()}-${random}`;
}
