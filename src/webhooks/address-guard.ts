import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { allowsAddress, allowsHostName, type WebhookAllowList } from '../domain/webhook-allow-list.js';

/** Where a delivery may connect: one address, checked against the allow list, that the request is pinned to. */
export interface AllowedTarget {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves a webhook URL's host and checks it against the operator's allow list: a listed host
 * name is allowed whatever it resolves to; otherwise every address the name resolves to must lie
 * in a listed CIDR block. Returns the address to connect to, or the reason it is refused. The
 * delivery connects to exactly the address checked here (no second lookup a DNS rebinding could
 * answer differently).
 */
export async function resolveAllowedTarget(list: WebhookAllowList, url: URL): Promise<AllowedTarget | { refused: string }> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host)) {
    if (!allowsAddress(list, host)) return { refused: `address ${host} is not in the allowed destinations` };
    return { address: host, family: isIP(host) as 4 | 6 };
  }
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    return { refused: `host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (addresses.length === 0) return { refused: `host ${host} does not resolve` };
  if (!allowsHostName(list, host)) {
    const outside = addresses.find((a) => !allowsAddress(list, a.address));
    if (outside) return { refused: `host ${host} resolves to ${outside.address}, which is not in the allowed destinations` };
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** The create-time check of the use cases: null when allowed, else why not. */
export function webhookTargetCheck(list: WebhookAllowList): (url: URL) => Promise<string | null> {
  return async (url) => {
    const target = await resolveAllowedTarget(list, url);
    return 'refused' in target ? target.refused : null;
  };
}
