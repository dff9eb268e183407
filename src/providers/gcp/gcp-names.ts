/**
 * Names of what the GCP adapter makes for endpoint service `id` in the producer project, all
 * derived from the id so a create whose result was never committed finds its resources again by
 * name. Compute names: `[a-z]([-a-z0-9]{0,61}[a-z0-9])?`.
 */
export const gcpNames = (id: string) => {
  const base = `pl-${id.toLowerCase()}`;
  return {
    network: base,
    subnet: base,
    natSubnet: `${base}-nat`,
    backendService: base,
    forwardingRule: base,
    serviceAttachment: base,
    /** One hybrid network endpoint group per listener port. */
    neg: (port: number) => `${base}-p${port}`,
    negPrefix: `${base}-p`,
  };
};

/** The zone of a region the adapter puts its network endpoint groups in. */
export const zoneOf = (region: string) => `${region}-a`;

/** The provider network's subnet and the PSC NAT subnet. */
export const SUBNET_RANGE = '10.0.0.0/24';
export const NAT_SUBNET_RANGE = '10.0.9.0/24';

/**
 * How many endpoints of one consumer project an accept-list entry admits. Accept and reject are
 * per consumer project on GCP.
 */
export const CONNECTION_LIMIT = 100;
