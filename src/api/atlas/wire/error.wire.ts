/** One offending field of a 400 (`FieldViolation`). */
export interface FieldViolationWire {
  readonly description: string;
  readonly field: string;
}

/**
 * Atlas's error envelope (`ApiError`), the body of every answer that is not a success:
 * `{detail, error, errorCode, parameters, reason}` in that order, `badRequestDetail` when fields
 * are known. `error` is the HTTP status; `errorCode` the catalogue name (never renamed or reused).
 */
export interface AtlasErrorWire {
  readonly detail: string | null;
  readonly error: number;
  readonly errorCode: string;
  readonly parameters: readonly unknown[];
  readonly reason: string | null;
  readonly badRequestDetail?: { readonly fields: readonly FieldViolationWire[] };
}
