import type { PrincipalKind } from '../domain/identity.js';
import type { Executor } from './database.js';

/** Who a session acts as: an API key or a console user, by id. */
export interface SessionSubject {
  readonly kind: PrincipalKind;
  readonly id: string;
}

/** A stored console session (the token is known only by its SHA-256). */
export interface ConsoleSessionRow {
  readonly subject: SessionSubject;
  readonly csrfToken: string;
  readonly lastSeenAt: Date;
}

/** Web console sessions (migrations 0010, 0016). Thin queries; `undefined` for a missing row. */
export class ConsoleSessionsRepository {
  constructor(private readonly db: Executor) {}

  async insert(tokenSha256: string, subject: SessionSubject, csrfToken: string, now: Date): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        token_sha256: tokenSha256,
        api_key_id: subject.kind === 'apiKey' ? subject.id : null,
        console_user_id: subject.kind === 'consoleUser' ? subject.id : null,
        csrf_token: csrfToken,
        last_seen_at: now,
      })
      .execute();
  }

  async find(tokenSha256: string): Promise<ConsoleSessionRow | undefined> {
    const row = await this.db
      .selectFrom('console_sessions')
      .select(['api_key_id', 'console_user_id', 'csrf_token', 'last_seen_at'])
      .where('token_sha256', '=', tokenSha256)
      .executeTakeFirst();
    if (!row) return undefined;
    // The table's check constraint sets exactly one of the two.
    const subject: SessionSubject = row.api_key_id !== null ? { kind: 'apiKey', id: row.api_key_id } : { kind: 'consoleUser', id: row.console_user_id ?? '' };
    return { subject, csrfToken: row.csrf_token, lastSeenAt: new Date(row.last_seen_at) };
  }

  async touch(tokenSha256: string, now: Date): Promise<void> {
    await this.db.updateTable('console_sessions').set({ last_seen_at: now }).where('token_sha256', '=', tokenSha256).execute();
  }

  async delete(tokenSha256: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('token_sha256', '=', tokenSha256).execute();
  }

  /** Removes sessions last used before `before`; returns how many. */
  async deleteIdle(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('console_sessions').where('last_seen_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
