import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { ApiError } from '../../domain/errors.js';
import type { AtlasErrorWire } from './wire/error.wire.js';

/**
 * Atlas's error envelope `{detail, error, errorCode, parameters, reason}` (+ `badRequestDetail`
 * when fields are known), keys in Atlas's order. Never a stack trace.
 */
export function errorEnvelope(error: ApiError): AtlasErrorWire {
  const body: AtlasErrorWire = {
    detail: error.detail,
    error: error.status,
    errorCode: error.errorCode,
    parameters: error.parameters,
    reason: STATUS_CODES[error.status] ?? 'Error',
  };
  return error.fields ? { ...body, badRequestDetail: { fields: error.fields } } : body;
}

/**
 * Sends `error` as Atlas does: the envelope in `application/json`, the error's headers, and
 * `X-Error-Code`; `?pretty=true` indents it.
 */
export function sendAtlasError(reply: FastifyReply, error: ApiError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  const body = errorEnvelope(error);
  const pretty = (reply.request.query as Record<string, unknown> | undefined)?.pretty === 'true';
  return reply
    .code(error.status)
    .header('content-type', 'application/json')
    .header('x-error-code', error.errorCode)
    .send(pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}
