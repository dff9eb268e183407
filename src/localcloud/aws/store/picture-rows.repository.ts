import { sql } from 'kysely';
import type {
  Listener,
  LoadBalancer,
  NetworkInterface,
  OnPremisesNetwork,
  Route,
  SecurityGroup,
  SecurityGroupRule,
  ServicePermission,
  Target,
  TargetGroup,
  VpcEndpoint,
  EndpointService,
  Vpc,
  VpcPeering,
} from '../model.js';
import { FIRST_DUE, settingsObject } from './control.repository.js';
import { toEndpoint, toPermission, toService } from './endpoints.repository.js';
import { toListener, toLoadBalancer, toTarget, toTargetGroup } from './load-balancers.repository.js';
import { toInterface, toRule, toSecurityGroup, toVpc } from './network.repository.js';
import { toOnPremises, toPeering, toRoute } from './peering.repository.js';
import type { LcExecutor } from './schema.js';

/** lc_settings key of the highest change number the change log's pruning deleted. */
export const PRUNED_THROUGH_SETTING = 'dataplane_changes_pruned_through';

/**
 * How one table the data-plane picture is built from is read: `noteKey` is the column its
 * changes are noted by in `lc_dataplane_changes` (migration 0005 puts the trigger on each of these
 * tables with this column). A table read by row is keyed by its id and read in `seq` order; a
 * table read by group (`grouped`) is read a whole group at a time, in `order`.
 */
interface PictureTable<T, G extends boolean = boolean> {
  readonly table: string;
  readonly noteKey: string;
  readonly grouped: G;
  readonly order: readonly string[];
  readonly map: (row: never) => T;
}

const byRow = <T>(table: string, noteKey: string, map: (row: never) => T): PictureTable<T, false> => ({ table, noteKey, grouped: false, order: ['seq'], map });
const byGroup = <T>(table: string, noteKey: string, order: readonly string[], map: (row: never) => T): PictureTable<T, true> => ({ table, noteKey, grouped: true, order, map });

/** Every table the picture reads, by the name the picture gives its rows. */
export const PICTURE_TABLES = {
  vpcs: byRow<Vpc>('lc_vpcs', 'vpc_id', toVpc),
  onPremises: byRow<OnPremisesNetwork>('lc_onprem_networks', 'gateway_id', toOnPremises),
  securityGroups: byRow<SecurityGroup>('lc_security_groups', 'group_id', toSecurityGroup),
  rules: byGroup<SecurityGroupRule>('lc_security_group_rules', 'group_id', ['seq'], toRule),
  interfaces: byRow<NetworkInterface>('lc_network_interfaces', 'network_interface_id', toInterface),
  loadBalancers: byRow<LoadBalancer>('lc_load_balancers', 'arn', toLoadBalancer),
  targetGroups: byRow<TargetGroup>('lc_target_groups', 'arn', toTargetGroup),
  targets: byGroup<Target>('lc_targets', 'target_group_arn', ['seq'], toTarget),
  listeners: byGroup<Listener>('lc_listeners', 'load_balancer_arn', ['seq'], toListener),
  services: byRow<EndpointService>('lc_endpoint_services', 'service_id', toService),
  permissions: byGroup<ServicePermission>('lc_service_permissions', 'service_id', ['created_at', 'principal'], toPermission),
  endpoints: byRow<VpcEndpoint>('lc_vpc_endpoints', 'vpc_endpoint_id', toEndpoint),
  peerings: byRow<VpcPeering>('lc_vpc_peerings', 'peering_id', toPeering),
  routes: byGroup<Route>('lc_routes', 'route_table_id', ['created_at', 'destination_cidr'], toRoute),
} as const;

export type PictureTableName = keyof typeof PICTURE_TABLES;
/** The model a picture table's rows read as. */
export type PictureRow<N extends PictureTableName> = (typeof PICTURE_TABLES)[N] extends PictureTable<infer T> ? T : never;

/**
 * The rows the data-plane picture is built from, by table, as a reader keeps them: a table read by
 * row as a map from each row's key to the row as read, in `seq` order; a table read by group as a
 * map from the group's key (a security group's rules, a target group's targets, a load balancer's
 * listeners, a service's permissions, a route table's routes) to its rows.
 */
export type PictureRows = {
  readonly [N in PictureTableName]: (typeof PICTURE_TABLES)[N]['grouped'] extends true
    ? ReadonlyMap<string, ReadonlyArray<PictureRow<N>>>
    : ReadonlyMap<string, ReadRow<PictureRow<N>>>;
};

/** What changed in a picture's rows since the last build: every row, or the keys noted per table. */
export type PictureChanges = 'all' | ReadonlyMap<PictureTableName, readonly string[]>;

/** One row as read: the key its changes are noted by, its `seq` (null for tables read by group) and the model. */
export interface ReadRow<T> {
  readonly key: string;
  readonly seq: number | null;
  readonly value: T;
}

/** What a picture pass reads before its rows, in one statement. */
export interface PictureInputs {
  /** The newest change noted (0: none yet). */
  readonly newest: number;
  /** The highest change number pruning deleted (0: none). */
  readonly prunedThrough: number;
  /** The changes after the number asked for, as [table, key]; empty when none was asked for. */
  readonly changes: ReadonlyArray<readonly [string, string]>;
  /** The settings asked for. */
  readonly settings: ReadonlyMap<string, string>;
  /** When the first lazy step falls due (as ControlRepository.firstStepDueAt). */
  readonly firstDueAt: Date | null;
}

/** Keys per query when rows are read by key (far under the protocol's 65,535 parameters). */
const KEYS_PER_QUERY = 5000;

/** Reads the rows of the data-plane picture and the changes noted since a number. */
export class PictureRowsRepository {
  constructor(private readonly db: LcExecutor) {}

  /** The change log's newest number and prune horizon, the changes after `after` (none asked when undefined), the settings named, and the first due step. */
  async inputs(after: number | undefined, settingKeys: readonly string[]): Promise<PictureInputs> {
    // SQL text rather than the query builder: it runs on every change the picture follows.
    const changes = after === undefined ? sql`null` : sql`(select json_agg(json_build_array(tbl, key)) from lc_dataplane_changes where seq > ${String(after)})`;
    const { rows } = await sql<{ newest: string | number | null; pruned: string | null; changes: unknown; settings: unknown; first_due: Date | null }>`select
      (select coalesce(max(seq), 0) from lc_dataplane_changes) as newest,
      (select value from lc_settings where key = ${PRUNED_THROUGH_SETTING}) as pruned,
      ${changes} as changes, ${settingsObject(settingKeys)} as settings, ${FIRST_DUE} as first_due`.execute(this.db);
    const row = rows[0]!;
    const parse = <T>(value: unknown, empty: T): T => (value === null || value === undefined ? empty : typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
    return {
      newest: Number(row.newest ?? 0),
      prunedThrough: Number(row.pruned ?? 0),
      changes: parse<Array<[string, string]>>(row.changes, []),
      settings: new Map(Object.entries(parse<Record<string, string>>(row.settings, {}))),
      firstDueAt: row.first_due ? new Date(row.first_due) : null,
    };
  }

  /** The rows of `name` whose noted key is one of `keys` (every row when undefined), in the table's order. */
  async rows<N extends PictureTableName>(name: N, keys?: readonly string[]): Promise<Array<ReadRow<PictureRow<N>>>> {
    const spec = PICTURE_TABLES[name] as PictureTable<PictureRow<N>>;
    if (keys === undefined) return this.read(spec);
    const read: Array<ReadRow<PictureRow<N>>> = [];
    for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) read.push(...(await this.read(spec, keys.slice(i, i + KEYS_PER_QUERY))));
    return read;
  }

  private async read<T>(spec: PictureTable<T>, keys?: readonly string[]): Promise<Array<ReadRow<T>>> {
    if (keys !== undefined && keys.length === 0) return [];
    const where = keys === undefined ? sql`` : sql`where ${sql.ref(spec.noteKey)} in (${sql.join(keys)})`;
    const order = sql.join(spec.order.map((column) => sql.ref(column)));
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(spec.table)} ${where} order by ${order}`.execute(this.db)).rows;
    return rows.map((row) => ({ key: String(row[spec.noteKey]), seq: spec.grouped ? null : Number(row.seq), value: spec.map(row as never) }));
  }
}
