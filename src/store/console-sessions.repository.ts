import type { Executor } from './database.js';

/** A stored console session (the token is known only by its SHA-256). */
export interface ConsoleSessionRow {
  readonly apiKeyId: string;
  readonly csrfToken: string;
  readonly lastSeenAt: Date;
}

/** Web console sessions (migration 0010). Thin queries; `undefined` for a missing row. */
export class ConsoleSessionsRepository {
  constructor(private readonly db: Executor) {}

  async insert(tokenSha256: string, apiKeyId: string, csrfToken: string, now: Date): Promise<void> {
    await this.db.insertInto('console_sessions').values({ token_sha256: tokenSha256, api_key_id: apiKeyId, csrf_token: csrfToken, last_seen_at: now }).execute();
  }

  async find(tokenSha256: string): Promise<ConsoleSessionRow | undefined> {
    const row = await this.db.selectFrom('console_sessions').select(['api_key_id', 'csrf_token', 'last_seen_at']).where('token_sha256', '=', tokenSha256).executeTakeFirst();
    return row && { apiKeyId: row.api_key_id, csrfToken: row.csrf_token, lastSeenAt: new Date(row.last_seen_at) };
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
