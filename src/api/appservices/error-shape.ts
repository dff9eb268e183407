import type { FastifyReply } from 'fastify';
import type { ApiError } from '../../domain/errors.js';

/** App Services' error body. */
export interface AppServicesErrorWire {
  readonly error: string;
  readonly error_code: string;
}

/** App Services' `error_code` for the shared catalogue's errors that are not App Services' own, by HTTP status. */
const BY_STATUS: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'InvalidSession',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  408: 'RequestTimeout',
  409: 'Conflict',
  413: 'RequestTooLarge',
  414: 'RequestURITooLong',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  431: 'RequestHeadersTooLarge',
  503: 'ServiceUnavailable',
};

/**
 * The App Services error body `{error, error_code}` of a catalogue error: App Services' own codes
 * (catalogue names `APP_*`) keep theirs; the shared errors (authorisation, request shape, transport)
 * get App Services' code for their status. Never a stack trace.
 */
export function appServicesErrorBody(error: ApiError): AppServicesErrorWire {
  const code = error.catalogueName.startsWith('APP_') ? error.errorCode : (BY_STATUS[error.status] ?? 'InternalServerError');
  return { error: error.detail, error_code: code };
}

/** Sends `error` in App Services' shape, `application/json`, with the error's headers. */
export function sendAppServicesError(reply: FastifyReply, error: ApiError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) {
    if (name.toLowerCase() !== 'www-authenticate') reply.header(name, value);
  }
  if (error.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply
    .code(error.status)
    .header('content-type', 'application/json')
    .send(JSON.stringify(appServicesErrorBody(error)));
}
