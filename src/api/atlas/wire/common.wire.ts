// Atlas's wire shapes shared by every resource. Pure types: the API's serializers produce them,
// the CLI and the API client read them (type-only imports).

/** A hypermedia link, `{href, rel}` (`rel: "self"`, `"next"`, `"previous"`, or a resource URL). */
export interface LinkWire {
  readonly href: string;
  readonly rel: string;
}

/**
 * A paginated list (`Paginated…` schemas): `links` (self, then previous/next when there are
 * such pages), the page's `results`, and `totalCount` unless `includeCount=false`.
 */
export interface PaginatedWire<T> {
  readonly links: readonly LinkWire[];
  readonly results: readonly T[];
  readonly totalCount?: number;
}

/** The three clouds, as Atlas names them in `cloudProvider` and `providerName`. */
export type CloudProviderWire = 'AWS' | 'AZURE' | 'GCP';
