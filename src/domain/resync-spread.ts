/**
 * When the periodic resync makes a key due: each key has a fixed phase within the period (a hash
 * of the key), so a resync of N keys spreads their passes evenly over the period instead of making
 * all N due at once, every key still gets one pass per period, and replicas that resync
 * independently compute the same due times (the queue keeps the earlier of two).
 *
 * @example
 *   resyncDelayMs('6b0e…', 60_000, Date.now()) // 0 ≤ delay < 60 000, the same phase every period
 */
export function resyncDelayMs(key: string, periodMs: number, nowMs: number): number {
  if (!(periodMs > 0)) return 0;
  const phase = fnv1a(key) % periodMs;
  return (((phase - (nowMs % periodMs)) % periodMs) + periodMs) % periodMs;
}

/** 32-bit FNV-1a of the key's UTF-16 code units: fast, stable across processes and versions. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
