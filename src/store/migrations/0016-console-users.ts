import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.js';

/**
 * Console users: people who sign in to the web console with an email address and a password
 * instead of an API key. The email is kept in lower case and is unique across the store (it is
 * what sign-in looks the user up by); the password only as a bcrypt hash. A user holds
 * organization and project roles exactly as an API key does. A console session now acts as either
 * an API key or a console user (exactly one of the two), and ends when that principal is deleted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table console_users (
      id char(24) primary key,
      org_id char(24) not null references organizations(id),
      email text not null unique,
      password_hash text not null,
      created_at timestamptz not null default now()
    );
    create index console_users_org on console_users (org_id);
    create table console_user_org_roles (
      console_user_id char(24) not null references console_users(id) on delete cascade,
      role text not null,
      primary key (console_user_id, role)
    );
    create table console_user_project_roles (
      console_user_id char(24) not null references console_users(id) on delete cascade,
      project_id char(24) not null references projects(id) on delete cascade,
      role text not null,
      primary key (console_user_id, project_id, role)
    );
    create index console_user_project_roles_project on console_user_project_roles (project_id);
    alter table console_sessions alter column api_key_id drop not null;
    alter table console_sessions add column console_user_id char(24) references console_users(id) on delete cascade;
    alter table console_sessions add constraint console_sessions_one_principal check ((api_key_id is null) <> (console_user_id is null));
    create index console_sessions_console_user on console_sessions (console_user_id);
    `,
  );
}
