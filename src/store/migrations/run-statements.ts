import { sql, type Kysely } from 'kysely';

/**
 * Runs a migration script statement by statement (PGlite's extended protocol takes one statement
 * per query). Statements are separated by a semicolon at the end of a line; no statement may
 * contain one there itself.
 */
export async function runStatements(db: Kysely<any>, script: string): Promise<void> {
  for (const statement of script.split(/;\s*\n/)) {
    const text = statement.trim().replace(/;$/, '');
    if (text.length > 0) await sql.raw(text).execute(db);
  }
}
