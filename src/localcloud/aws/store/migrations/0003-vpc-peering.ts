import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * Transitive reach into a VPC: VPC peering connections (`lc_vpc_peerings`, requester and accepter
 * side with their accounts and regions, AWS's status codes), the routes customers add to a VPC's
 * main route table (`lc_routes`; the `local` route and routes propagated from an on-premises
 * network are implicit), and on-premises networks attached to a VPC by a Direct-Connect-like link
 * through a virtual private gateway (`lc_onprem_networks`, a privlink extension; each takes a
 * loopback slot from the same sequence as VPCs, so `slot` is unique across both tables in practice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists lc_vpc_peerings (
      peering_id text primary key,
      seq integer generated always as identity,
      requester_account_id text not null,
      requester_region text not null,
      requester_vpc_id text not null,
      accepter_account_id text not null,
      accepter_region text not null,
      accepter_vpc_id text not null,
      status text not null,
      message text not null,
      tags jsonb not null,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      changed_at timestamptz not null
    );
    create table if not exists lc_routes (
      route_table_id text not null,
      destination_cidr text not null,
      vpc_peering_connection_id text not null,
      created_at timestamptz not null,
      primary key (route_table_id, destination_cidr)
    );
    create table if not exists lc_onprem_networks (
      gateway_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      vpc_id text not null,
      cidr_block text not null,
      slot integer not null unique,
      amazon_side_asn integer not null,
      tags jsonb not null,
      created_at timestamptz not null
    );
  `,
  );
}
