import { armErrors } from './arm-error.js';

/**
 * The api-versions the emulator accepts. `2025-05-01` is what @azure/arm-network 36 sends for
 * every Microsoft.Network operation; the others are recent versions whose wire shapes for these
 * resources are the same. Anything else is refused as ARM refuses it.
 */
export const NETWORK_API_VERSIONS: readonly string[] = [
  '2025-05-01',
  '2025-03-01',
  '2025-01-01',
  '2024-10-01',
  '2024-07-01',
  '2024-05-01',
  '2024-03-01',
  '2024-01-01',
  '2023-11-01',
  '2023-09-01',
];

/** Microsoft.Resources (resource groups, subscriptions). */
export const RESOURCES_API_VERSIONS: readonly string[] = ['2025-04-01', '2025-03-01', '2024-11-01', '2024-07-01', '2024-03-01', '2023-07-01', '2022-09-01', '2021-04-01'];

/** The locations the emulator offers (the same for every subscription). */
export const LOCATIONS: readonly string[] = [
  'eastus',
  'eastus2',
  'westus',
  'westus2',
  'westus3',
  'centralus',
  'northcentralus',
  'southcentralus',
  'canadacentral',
  'brazilsouth',
  'northeurope',
  'westeurope',
  'uksouth',
  'francecentral',
  'germanywestcentral',
  'swedencentral',
  'switzerlandnorth',
  'eastasia',
  'southeastasia',
  'japaneast',
  'koreacentral',
  'australiaeast',
  'centralindia',
  'uaenorth',
  'southafricanorth',
];

/**
 * Checks the request's api-version: missing → 400 MissingApiVersionParameter; unknown for
 * Microsoft.Resources → 400 InvalidApiVersionParameter; unknown for Microsoft.Network → 400
 * NoRegisteredProviderFound (naming the type and the location, as ARM does).
 */
export function checkApiVersion(version: string | null, namespace: 'resources' | 'network', type: string, location = 'eastus'): void {
  if (!version) throw armErrors.missingApiVersion();
  if (namespace === 'resources') {
    if (!RESOURCES_API_VERSIONS.includes(version)) throw armErrors.invalidApiVersion(version, RESOURCES_API_VERSIONS);
    return;
  }
  if (!NETWORK_API_VERSIONS.includes(version)) throw armErrors.noRegisteredProvider(location, version, type, NETWORK_API_VERSIONS, LOCATIONS);
}
