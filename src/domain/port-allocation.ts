/**
 * Port-per-node: every addressable target of a project region gets its own load-balancer port,
 * 1024, 1025, … (Atlas's "typically start at 1024"), up to 65535. A port is never handed out
 * twice while allocated; a freed port may be reused later.
 */
export const FIRST_TARGET_PORT = 1024;
const LAST_TARGET_PORT = 65535;

/**
 * The `count` lowest free ports given the ones in use (pure).
 * @throws RangeError when the region has no free ports left
 */
export function allocatePorts(inUse: ReadonlySet<number>, count: number): number[] {
  const out: number[] = [];
  for (let port = FIRST_TARGET_PORT; port <= LAST_TARGET_PORT && out.length < count; port++) {
    if (!inUse.has(port)) out.push(port);
  }
  if (out.length < count) throw new RangeError('No free load-balancer ports left in this region');
  return out;
}

/** The smallest non-negative integer not in `used` (the `pl-<n>` index of a new endpoint). */
export function lowestFreeIndex(used: ReadonlySet<number>): number {
  let n = 0;
  while (used.has(n)) n++;
  return n;
}
