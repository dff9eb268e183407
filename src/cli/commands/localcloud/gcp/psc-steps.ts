import type { protos } from '@google-cloud/compute';
import { CliError } from '../../../framework/cli-errors.js';
import { getOrUndefined, lastSegment, type ComputeSession } from './compute-session.js';

type Address = protos.google.cloud.compute.v1.IAddress;
type ForwardingRule = protos.google.cloud.compute.v1.IForwardingRule;

/**
 * The customer's steps of a Private Service Connect endpoint, as Atlas's UI has users run them
 * with gcloud: a VPC network with a subnet, an internal address reserved in the subnet, and a
 * forwarding rule from that address to the service attachment. Each waits for Compute's operation.
 */

/** A subnet to make with the network: its name, primary range and region. */
export interface SubnetSpec {
  readonly name: string;
  readonly range: string;
  readonly region: string;
}

/**
 * Makes the custom-mode network and, when given, its subnet, each only when missing (idempotent).
 * An existing subnet of that name in another network is an error. Returns what it made.
 */
export async function ensureNetwork(c: ComputeSession, network: string, subnet: SubnetSpec | undefined): Promise<string[]> {
  const made: string[] = [];
  if (!(await getOrUndefined(() => c.networks.get({ project: c.project, network })))) {
    await c.done(c.networks.insert({ project: c.project, networkResource: { name: network, autoCreateSubnetworks: false } }));
    made.push(`network ${network}`);
  }
  if (!subnet) return made;
  const existing = await getOrUndefined(() => c.subnetworks.get({ project: c.project, region: subnet.region, subnetwork: subnet.name }));
  if (existing) {
    if (lastSegment(existing.network) !== network)
      throw new CliError(`subnet ${subnet.name} in ${subnet.region} belongs to network ${lastSegment(existing.network)}, not ${network}`);
    return made;
  }
  await c.done(
    c.subnetworks.insert({
      project: c.project,
      region: subnet.region,
      subnetworkResource: { name: subnet.name, network: `global/networks/${network}`, ipCidrRange: subnet.range },
    }),
  );
  made.push(`subnet ${subnet.name} (${subnet.range}, ${subnet.region})`);
  return made;
}

/** Reserves internal address `name` in the subnet (the given IP, or the lowest free one) and returns it. */
export async function reserveAddress(c: ComputeSession, spec: { name: string; region: string; subnet: string; address?: string | undefined }): Promise<Address> {
  await c.done(
    c.addresses.insert({
      project: c.project,
      region: spec.region,
      addressResource: {
        name: spec.name,
        addressType: 'INTERNAL',
        subnetwork: `regions/${spec.region}/subnetworks/${spec.subnet}`,
        ...(spec.address ? { address: spec.address } : {}),
      },
    }),
  );
  const [address] = await c.addresses.get({ project: c.project, region: spec.region, address: spec.name });
  return address;
}

/** Creates the PSC forwarding rule `name` from reserved address `address` to `target` (a service attachment link) and returns it. */
export async function createPscRule(c: ComputeSession, spec: { name: string; region: string; network: string; address: string; target: string }): Promise<ForwardingRule> {
  await c.done(
    c.forwardingRules.insert({
      project: c.project,
      region: spec.region,
      forwardingRuleResource: {
        name: spec.name,
        network: `global/networks/${spec.network}`,
        IPAddress: `regions/${spec.region}/addresses/${spec.address}`,
        target: spec.target,
      },
    }),
  );
  const [rule] = await c.forwardingRules.get({ project: c.project, region: spec.region, forwardingRule: spec.name });
  return rule;
}

/** The address `name`, reserved when missing (idempotent: an existing one is used as it is). */
export async function ensureAddress(c: ComputeSession, spec: { name: string; region: string; subnet: string }): Promise<Address> {
  return (await getOrUndefined(() => c.addresses.get({ project: c.project, region: spec.region, address: spec.name }))) ?? reserveAddress(c, spec);
}

/**
 * The PSC forwarding rule `name`, created when missing. An existing rule to another target is an
 * error (the name is taken), not silently kept.
 */
export async function ensurePscRule(c: ComputeSession, spec: { name: string; region: string; network: string; address: string; target: string }): Promise<ForwardingRule> {
  const existing = await getOrUndefined(() => c.forwardingRules.get({ project: c.project, region: spec.region, forwardingRule: spec.name }));
  if (!existing) return createPscRule(c, spec);
  if (!sameAttachment(existing.target, spec.target)) throw new CliError(`forwarding rule ${spec.name} exists with target ${existing.target ?? '(none)'}, not ${spec.target}`);
  return existing;
}

/** Whether two service attachment links name the same attachment (full URLs and `projects/…` paths compare equal). */
function sameAttachment(a: string | null | undefined, b: string): boolean {
  const path = (link: string) => link.slice(Math.max(0, link.indexOf('projects/')));
  return a !== null && a !== undefined && path(a) === path(b);
}
