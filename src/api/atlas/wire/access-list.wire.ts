// Atlas's IP access list entry (`NetworkPermissionEntry`, `/groups/{groupId}/accessList[/{entryValue}]`).
// Pure types: the API's serializer produces them, the console reads them.

/** One entry as returned: keys in Atlas's alphabetical order; an address entry has both `ipAddress` and its `/32` (`/128`) `cidrBlock`. */
export interface NetworkPermissionEntryWire {
  awsSecurityGroup?: string;
  cidrBlock?: string;
  comment?: string;
  deleteAfterDate?: string;
  groupId: string;
  ipAddress?: string;
  links: { href: string; rel: string }[];
}
