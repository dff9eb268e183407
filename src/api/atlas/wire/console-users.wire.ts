/** privlink extension bodies: console users (people who sign in to the web console with email and password). */

/** One role, as Atlas lists a MongoDB Cloud user's roles: an organization role or a project role. */
export type ConsoleUserRoleWire = { readonly orgId: string; readonly roleName: string } | { readonly groupId: string; readonly roleName: string };

/** A console user; the password (and its hash) is never returned. */
export interface ConsoleUserWire {
  readonly id: string;
  /** The email address, in lower case. */
  readonly username: string;
  readonly orgId: string;
  readonly roles: readonly ConsoleUserRoleWire[];
  readonly created: string;
}

export interface ConsoleUserListWire {
  readonly results: readonly ConsoleUserWire[];
  readonly totalCount: number;
}
