import type { Kysely } from 'kysely';
import { runStatements } from '../../../../store/migrations/run-statements.js';

/**
 * The local cloud's AWS emulation: its first migration, in its own chain (`lc_migration`).
 * Tables and indexes are made `if not exists`: a store made by an earlier privlink release has them
 * already (they were then part of the product's chain) and keeps its rows. The emulation's: accounts, settings and faults, VPC
 * networking, ELBv2 load balancers, endpoint services and VPC endpoints. Stateful rows carry
 * `state`, `next_state`, `next_state_at` for lazy transitions. `seq` orders listings and pages.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table if not exists lc_settings (
      key text primary key,
      value text not null
    );
    create table if not exists lc_faults (
      action text primary key,
      fault jsonb not null,
      remaining integer
    );
    create table if not exists lc_accounts (
      account_id text primary key,
      name text not null unique,
      access_key_id text not null unique,
      secret_access_key text not null,
      created_at timestamptz not null default now()
    );
    create table if not exists lc_account_regions (
      account_id text not null references lc_accounts(account_id),
      region text not null,
      default_vpc_id text not null,
      primary key (account_id, region)
    );
    create table if not exists lc_client_tokens (
      account_id text not null,
      region text not null,
      action text not null,
      token text not null,
      request_hash text not null,
      resource_id text not null,
      created_at timestamptz not null,
      primary key (account_id, region, action, token)
    );
    create table if not exists lc_vpcs (
      vpc_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      cidr_block text not null,
      is_default boolean not null,
      slot integer not null unique,
      main_route_table_id text not null,
      dhcp_options_id text not null,
      tags jsonb not null,
      created_at timestamptz not null
    );
    create index if not exists lc_vpcs_owner on lc_vpcs (account_id, region);
    create table if not exists lc_subnets (
      subnet_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      vpc_id text not null references lc_vpcs(vpc_id),
      availability_zone text not null,
      availability_zone_id text not null,
      cidr_block text not null,
      default_for_az boolean not null,
      map_public_ip_on_launch boolean not null,
      tags jsonb not null,
      created_at timestamptz not null
    );
    create index if not exists lc_subnets_owner on lc_subnets (account_id, region);
    create table if not exists lc_security_groups (
      group_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      vpc_id text not null references lc_vpcs(vpc_id),
      group_name text not null,
      description text not null,
      tags jsonb not null,
      created_at timestamptz not null,
      unique (vpc_id, group_name)
    );
    create index if not exists lc_security_groups_owner on lc_security_groups (account_id, region);
    create table if not exists lc_security_group_rules (
      rule_id text primary key,
      seq integer generated always as identity,
      group_id text not null references lc_security_groups(group_id) on delete cascade,
      is_egress boolean not null,
      ip_protocol text not null,
      from_port integer,
      to_port integer,
      cidr_ipv4 text,
      referenced_group_id text,
      description text,
      created_at timestamptz not null
    );
    create index if not exists lc_security_group_rules_group on lc_security_group_rules (group_id);
    create table if not exists lc_network_interfaces (
      network_interface_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      vpc_id text not null,
      subnet_id text not null,
      availability_zone text not null,
      private_ip text not null,
      owner_kind text not null,
      owner_id text not null,
      description text not null,
      created_at timestamptz not null,
      unique (subnet_id, private_ip)
    );
    create index if not exists lc_network_interfaces_owner on lc_network_interfaces (owner_id);
    create table if not exists lc_load_balancers (
      arn text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      name text not null,
      type text not null,
      scheme text not null,
      ip_address_type text not null,
      vpc_id text not null,
      dns_name text not null,
      state text not null,
      next_state text,
      next_state_at timestamptz,
      subnets jsonb not null,
      security_groups jsonb not null,
      tags jsonb not null,
      created_at timestamptz not null,
      unique (account_id, region, name)
    );
    create table if not exists lc_target_groups (
      arn text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      name text not null,
      protocol text not null,
      port integer not null,
      vpc_id text not null,
      target_type text not null,
      ip_address_type text not null,
      health_check jsonb not null,
      attributes jsonb not null,
      tags jsonb not null,
      created_at timestamptz not null,
      unique (account_id, region, name)
    );
    create table if not exists lc_targets (
      target_group_arn text not null references lc_target_groups(arn) on delete cascade,
      seq integer generated always as identity,
      target_id text not null,
      port integer not null,
      availability_zone text,
      registered_at timestamptz not null,
      primary key (target_group_arn, target_id, port)
    );
    create table if not exists lc_listeners (
      arn text primary key,
      seq integer generated always as identity,
      load_balancer_arn text not null references lc_load_balancers(arn) on delete cascade,
      account_id text not null,
      region text not null,
      port integer not null,
      protocol text not null,
      target_group_arn text not null,
      tags jsonb not null,
      created_at timestamptz not null,
      unique (load_balancer_arn, port)
    );
    create table if not exists lc_endpoint_services (
      service_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      service_name text not null unique,
      state text not null,
      next_state text,
      next_state_at timestamptz,
      available_at timestamptz,
      acceptance_required boolean not null,
      load_balancer_arns jsonb not null,
      private_dns_name text,
      supported_ip_address_types jsonb not null,
      tags jsonb not null,
      created_at timestamptz not null
    );
    create index if not exists lc_endpoint_services_owner on lc_endpoint_services (account_id, region);
    create table if not exists lc_service_permissions (
      service_id text not null references lc_endpoint_services(service_id) on delete cascade,
      principal text not null,
      permission_id text not null,
      created_at timestamptz not null,
      primary key (service_id, principal)
    );
    create table if not exists lc_vpc_endpoints (
      vpc_endpoint_id text primary key,
      seq integer generated always as identity,
      account_id text not null,
      region text not null,
      vpc_id text not null,
      service_id text not null,
      service_name text not null,
      endpoint_type text not null,
      state text not null,
      next_state text,
      next_state_at timestamptz,
      subnet_ids jsonb not null,
      security_group_ids jsonb not null,
      dns_suffix text not null,
      private_dns_enabled boolean not null,
      ip_address_type text not null,
      tags jsonb not null,
      created_at timestamptz not null
    );
    create index if not exists lc_vpc_endpoints_owner on lc_vpc_endpoints (account_id, region);
    create index if not exists lc_vpc_endpoints_service on lc_vpc_endpoints (service_id);
    create index if not exists lc_load_balancers_due on lc_load_balancers (next_state_at);
    create index if not exists lc_endpoint_services_due on lc_endpoint_services (next_state_at);
    create index if not exists lc_vpc_endpoints_due on lc_vpc_endpoints (next_state_at);
  `,
  );
}
