import { isIP } from 'node:net';
import { canonicalCidr, cidrContains } from './access-list.js';

/**
 * The operator's list of where webhooks may deliver (`PRIVLINK_WEBHOOK_ALLOW`): CIDR blocks and
 * host names. A host name entry allows that exact name (`hooks.example.com`) or, written
 * `*.example.com`, any name under it. Empty: no webhook can be created.
 */
export interface WebhookAllowList {
  readonly cidrs: readonly string[];
  readonly hosts: readonly string[];
}

const HOST = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Parses the comma-separated setting; throws an Error naming the first bad entry. */
export function parseWebhookAllowList(text: string | undefined): WebhookAllowList {
  const cidrs: string[] = [];
  const hosts: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    const cidr = canonicalCidr(entry);
    if (cidr) cidrs.push(cidr);
    else if (HOST.test(entry)) hosts.push(entry);
    else throw new Error(`${raw.trim()} is neither a CIDR block nor a host name`);
  }
  return { cidrs, hosts };
}

/** True when the host name itself is listed (its addresses are then not checked). */
export function allowsHostName(list: WebhookAllowList, host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  if (isIP(name)) return false;
  return list.hosts.some((h) => (h.startsWith('*.') ? name.endsWith(h.slice(1)) : name === h));
}

/** True when an address lies in one of the listed blocks. */
export function allowsAddress(list: WebhookAllowList, address: string): boolean {
  return list.cidrs.some((cidr) => cidrContains(cidr, address));
}

/** The list as written back (for messages and the start-up log). */
export function describeAllowList(list: WebhookAllowList): string {
  const all = [...list.cidrs, ...list.hosts];
  return all.length === 0 ? '(none)' : all.join(',');
}
