import { createHash } from 'node:crypto';

/**
 * Names of what the Azure adapter makes for endpoint service `id`, all derived from the id so a
 * create whose result was never committed finds its resources again by name. Shaped like
 * Atlas's (`pls_<id>` in `rg_<id>_<8 characters>`).
 */
export const azureNames = (id: string) => {
  const suffix = createHash('sha256').update(id).digest('hex').slice(0, 8);
  return {
    resourceGroup: `rg_${id}_${suffix}`,
    virtualNetwork: `vnet_${id}`,
    subnet: 'privatelink',
    loadBalancer: `lb_${id}`,
    frontend: 'frontend',
    privateLinkService: `pls_${id}`,
    pool: (port: number) => `pool_${port}`,
    rule: (port: number) => `rule_${port}`,
  };
};

/** The tag every resource made for an endpoint service carries. */
export const SERVICE_TAG = 'privlink-endpoint-service-id';

/** The provider network's address space and the private-link subnet in it. */
export const ADDRESS_SPACE = '10.0.0.0/16';
export const SUBNET_PREFIX = '10.0.0.0/24';
