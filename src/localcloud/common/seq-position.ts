/**
 * A listing's position: the `seq` (creation order) of the last row a page held. Every emulator
 * pages by it and hands it to clients inside its own token; the column is a PostgreSQL integer.
 */

/** The largest `seq` a row can have. */
export const MAX_SEQ = 2 ** 31 - 1;

/** Whether a client's token decodes to a position a listing can start after (anything else is a bad token, refused before any read). */
export function isSeqPosition(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_SEQ;
}
