import { STATUS_CODES } from 'node:http';
import { CliError } from '../framework/cli-errors.js';
import { EXIT } from '../framework/exit-codes.js';
import type { AtlasErrorWire } from '../../api/atlas/wire/error.wire.js';

/**
 * An HTTP status ≥ 300 from the Admin API, printed as the Atlas CLI prints the Go SDK's error
 * (the Atlas Go SDK's `GenericOpenAPIError` text):
 *
 *   <full URL> <METHOD>: HTTP <status> <Reason> (Error code: "<errorCode>") Detail: <detail> Reason: <reason>. Params: [<p1> <p2>]
 *
 * Exit code 4 for 401 (authentication), 1 otherwise.
 */
export class ApiRequestError extends CliError {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly url: string,
    readonly method: string,
    readonly status: number,
    readonly body: unknown,
    readonly text: string,
  ) {
    super(formatApiError(url, method, status, body, text), status === 401 ? EXIT.AUTHENTICATION : EXIT.ERROR);
  }

  /** The envelope's errorCode, if the body was an Atlas error envelope. */
  get errorCode(): string | undefined {
    return envelopeOf(this.body)?.errorCode;
  }
}

/** The server could not be reached: `<full URL> <METHOD>: <cause>`, exit 1. */
export class ApiUnreachableError extends CliError {
  override readonly name = 'ApiUnreachableError';
  constructor(url: string, method: string, cause: string) {
    super(`${url} ${method}: ${cause}`, EXIT.ERROR);
  }
}

/** An Atlas error envelope as received: any other server may send fields of other types. */
type Envelope = { readonly [K in keyof AtlasErrorWire]?: unknown } & Pick<AtlasErrorWire, 'errorCode'>;

function envelopeOf(body: unknown): Envelope | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const envelope = body as Partial<Envelope>;
  return typeof envelope.errorCode === 'string' ? (envelope as Envelope) : undefined;
}

/** Go's `%v` of one decoded JSON value. */
function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (typeof value === 'object')
    return `map[${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}:${goValue(v)}`)
      .join(' ')}]`;
  return String(value);
}

/** Formats an error response; a body that is not an Atlas envelope is shown after the status line. */
function formatApiError(url: string, method: string, status: number, body: unknown, text: string): string {
  const statusLine = `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  const envelope = envelopeOf(body);
  if (!envelope) {
    const snippet = text.trim().replace(/\s+/g, ' ').slice(0, 200);
    return `${url} ${method}: HTTP ${statusLine}${snippet ? ` ${snippet}` : ''}`;
  }
  const detail = envelope.detail === null || envelope.detail === undefined ? '' : String(envelope.detail);
  const reason = envelope.reason === null || envelope.reason === undefined ? '' : String(envelope.reason);
  const params = Array.isArray(envelope.parameters) ? envelope.parameters : [];
  return `${url} ${method}: HTTP ${statusLine} (Error code: ${JSON.stringify(envelope.errorCode)}) Detail: ${detail} Reason: ${reason}. Params: ${goValue(params)}`;
}
