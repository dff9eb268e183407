import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { Logger } from '../logging/logger.js';

/**
 * The one place errors become responses: the Atlas envelope
 * `{detail, error, errorCode, parameters, reason}` (+ `badRequestDetail` when fields are known),
 * `Content-Type: application/json`, keys in Atlas's order. Never a stack trace.
 */
export function errorEnvelope(error: ApiError): Record<string, unknown> {
  const body: Record<string, unknown> = {
    detail: error.detail,
    error: error.status,
    errorCode: error.errorCode,
    parameters: error.parameters,
    reason: STATUS_CODES[error.status] ?? 'Error',
  };
  if (error.fields) body.badRequestDetail = { fields: error.fields };
  return body;
}

/** Sends `error` as the Atlas envelope. */
export function sendApiError(reply: FastifyReply, error: ApiError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  const body = errorEnvelope(error);
  const pretty = (reply.request.query as Record<string, unknown> | undefined)?.pretty === 'true';
  return reply
    .code(error.status)
    .header('content-type', 'application/json')
    .header('x-error-code', error.errorCode)
    .send(pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}

/**
 * Fastify error handler: ApiError as is; framework errors mapped to catalogue entries (body too
 * large 413, a malformed request 400); anything else 500 (logged, never shown).
 */
export function errorHandler(log: Logger, bodyLimit: number) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) return sendApiError(reply, error);
    const { code, statusCode } = error as FastifyError;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) return sendApiError(reply, new ApiError('REQUEST_BODY_TOO_LARGE', [bodyLimit]));
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendApiError(reply, new ApiError('UNSUPPORTED_MEDIA_TYPE', [request.headers['content-type'] ?? '']));
    }
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return sendApiError(reply, new ApiError('MALFORMED_REQUEST'));
    log.error('unexpected error', { requestId: request.id, method: request.method, url: request.url, error: error.stack ?? String(error) });
    return sendApiError(reply, new ApiError('UNEXPECTED_ERROR'));
  };
}
