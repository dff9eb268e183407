// IPv6 addresses between text and their 16 bytes (for PROXY v2 address blocks).
import { isIPv6 } from 'node:net';

/** 16 bytes of an IPv6 address (accepts `::`, and an embedded IPv4 tail like `::ffff:1.2.3.4`). */
export function ipv6ToBytes(address: string): Buffer {
  if (!isIPv6(address)) throw new RangeError(`${address} is not an IPv6 address`);
  let text = address.replace(/%.*$/, '');
  const tail4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail4) {
    const octets = Buffer.from(tail4.split('.').map(Number));
    text = text.slice(0, -tail4.length) + `${octets.readUInt16BE(0).toString(16)}:${octets.readUInt16BE(2).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const out = Buffer.alloc(16);
  groups.forEach((group, i) => out.writeUInt16BE(parseInt(group, 16), i * 2));
  return out;
}

/** RFC 5952 text for 16 bytes: lower-case, longest run of ≥2 zero groups as `::`, IPv4-mapped as `::ffff:a.b.c.d`. */
export function bytesToIpv6(bytes: Buffer): string {
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes.readUInt16BE(10) === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
