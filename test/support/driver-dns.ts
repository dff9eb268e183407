import { Resolver } from 'node:dns/promises';
import { setServers, getServers } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * Points the mongodb driver at privlink's private DNS without touching the machine's resolver:
 * SRV/TXT lookups honour `dns.setServers` (set here, restored by `restore()`), and host lookups go
 * through the driver's `lookup` option backed by a resolver on the same server.
 */
export function privateDns(port: number): { lookup: LookupFunction; restore(): void } {
  const previous = getServers();
  setServers([`127.0.0.1:${port}`]);
  const resolver = new Resolver();
  resolver.setServers([`127.0.0.1:${port}`]);
  const lookup = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
    const cb = typeof options === 'function' ? (options as typeof callback) : callback;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    resolver.resolve4(hostname).then(
      (addresses) =>
        all
          ? cb(
              null,
              addresses.map((address) => ({ address, family: 4 })),
            )
          : cb(null, addresses[0], 4),
      (error: NodeJS.ErrnoException) => cb(error),
    );
  }) as unknown as LookupFunction;
  return { lookup, restore: () => setServers(previous) };
}
