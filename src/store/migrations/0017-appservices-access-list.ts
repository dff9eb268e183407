import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * The IP access list of App Services apps (`…/apps/{appId}/security/access_list`): one row per
 * entry, `address` as the user gave it (an IP address or CIDR block). The entries go with their
 * app. Apps made before this migration get the entry App Services gives every new app,
 * `0.0.0.0/0`, so they stay reachable from anywhere as they were.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table appservices_access_list (
      id char(24) primary key,
      project_id char(24) not null references projects(id),
      app_id char(24) not null references appservices_apps(id) on delete cascade,
      address text not null,
      comment text,
      created_at timestamptz not null default now()
    );
    create index appservices_access_list_app on appservices_access_list (app_id, created_at);
    insert into appservices_access_list (id, project_id, app_id, address, created_at)
      select substr(md5(id || ':access_list'), 1, 24), project_id, id, '0.0.0.0/0', created_at from appservices_apps;
  `,
  );
}
