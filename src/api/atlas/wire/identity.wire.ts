import type { LinkWire } from './common.wire.js';

/** An organization (`AtlasOrganization`). */
export interface OrganizationWire {
  readonly id: string;
  readonly isDeleted: boolean;
  readonly links: readonly LinkWire[];
  readonly name: string;
  readonly paymentInformationOnFile: boolean;
}

/** A project (`Group`). */
export interface ProjectWire {
  readonly clusterCount: number;
  /** ISO 8601 UTC without milliseconds. */
  readonly created: string;
  readonly id: string;
  readonly links: readonly LinkWire[];
  readonly name: string;
  readonly orgId: string;
  readonly withDefaultAlertsSettings: boolean;
}

/** One role of an API key: in an organization (`orgId`) or in a project (`groupId`). */
export type ApiKeyRoleWire = { readonly orgId: string; readonly roleName: string } | { readonly groupId: string; readonly roleName: string };

/**
 * An API key (`ApiKeyUserDetails`). `privateKey` is whole only in the answer that created the key;
 * elsewhere it is masked (`********-****-****-************`).
 */
export interface ApiKeyWire {
  readonly desc: string;
  readonly id: string;
  readonly links: readonly LinkWire[];
  readonly privateKey: string;
  readonly publicKey: string;
  readonly roles: readonly ApiKeyRoleWire[];
}

/** One limit of `/groups/{groupId}/limits[/{limitName}]`. */
export interface ProjectLimitWire {
  readonly currentUsage: number;
  readonly defaultLimit: number;
  readonly maximumLimit: number;
  readonly name: string;
  readonly value: number;
}
