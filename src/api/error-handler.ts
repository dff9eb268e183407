import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../domain/errors.js';
import type { Logger } from '../logging/logger.js';

/** Sends an `ApiError` in the error shape of the flavour the request belongs to. */
export type SendApiError = (reply: FastifyReply, error: ApiError) => FastifyReply;

/**
 * The one place errors become responses. Fastify error handler: ApiError as is; framework errors
 * mapped to catalogue entries (body too large 413, a malformed request 400); anything else 500
 * (logged, never shown). `send` writes the error in the request's flavour.
 */
export function errorHandler(log: Logger, bodyLimit: number, send: SendApiError) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) return send(reply, error);
    const { code, statusCode } = error as FastifyError;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) return send(reply, new ApiError('REQUEST_BODY_TOO_LARGE', [bodyLimit]));
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return send(reply, new ApiError('UNSUPPORTED_MEDIA_TYPE', [request.headers['content-type'] ?? '']));
    }
    if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return send(reply, new ApiError('MALFORMED_REQUEST'));
    log.error('unexpected error', { requestId: request.id, method: request.method, url: request.url, error: error.stack ?? String(error) });
    return send(reply, new ApiError('UNEXPECTED_ERROR'));
  };
}
