import type { AccessListEntry } from '../../../domain/access-list.js';
import type { NetworkPermissionEntryWire } from '../wire/access-list.wire.js';

export type { NetworkPermissionEntryWire };

/**
 * One entry in Atlas's shape (keys in Atlas's alphabetical order): an address entry shows both its
 * `ipAddress` and its `/32` (or `/128`) `cidrBlock`; a block shows `cidrBlock`; a security group
 * shows `awsSecurityGroup`. `comment` and `deleteAfterDate` appear when set.
 */
export function accessListEntryJson(entry: AccessListEntry, base: string): NetworkPermissionEntryWire {
  const out: Record<string, unknown> = {};
  if (entry.kind === 'awsSecurityGroup') out.awsSecurityGroup = entry.entryKey;
  else out.cidrBlock = entry.entryKey;
  if (entry.comment !== null) out.comment = entry.comment;
  if (entry.deleteAfterDate) out.deleteAfterDate = entry.deleteAfterDate.toISOString().replace(/\.\d{3}Z$/, 'Z');
  out.groupId = entry.projectId;
  if (entry.kind === 'ipAddress') out.ipAddress = entry.entryKey.slice(0, entry.entryKey.lastIndexOf('/'));
  out.links = [{ href: `${base}/groups/${entry.projectId}/accessList/${encodeURIComponent(entry.entryKey)}`, rel: 'self' }];
  return out as unknown as NetworkPermissionEntryWire;
}
