import type { CloudProvider } from '../domain/regions.js';
import type { CloudProviderAdapter } from './cloud-provider.js';

/**
 * The cloud adapters of a process, keyed by Atlas's provider name. The composition root
 * registers one adapter per cloud it serves; reconcilers ask for the adapter of a resource's
 * provider and never look inside its refs. A cloud without an adapter has no work done for it.
 */
export interface ProviderRegistry {
  /** The adapter for `provider`, or undefined when this process serves no such cloud. */
  get(provider: CloudProvider): CloudProviderAdapter | undefined;
  /** The clouds served. */
  readonly providers: readonly CloudProvider[];
}

/** A registry over a fixed set of adapters (one line per cloud in the composition root). */
export function providerRegistry(adapters: Partial<Record<CloudProvider, CloudProviderAdapter>>): ProviderRegistry {
  const entries = Object.entries(adapters).filter((e): e is [CloudProvider, CloudProviderAdapter] => e[1] !== undefined);
  const byName = new Map(entries);
  return { get: (provider) => byName.get(provider), providers: entries.map(([name]) => name) };
}
