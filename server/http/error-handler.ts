// One error shape for every failure: { error: { code, message, details } }, the message in
// the caller's language. Unexpected errors are 500s, logged with the request id, never
// leaking a stack trace.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../core/errors.js';
import { DEFAULT_LOCALE } from '../core/locale.js';
import type { Translator } from '../core/messages.js';

export type ErrorBody = { error: { code: string; message: string; details?: Record<string, unknown> } };

// Fastify's own client errors (parsing, size, media type) mapped to our codes.
function fromFastify(error: FastifyError): AppError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(400, 'BAD_REQUEST', { params: { reason: error.message } });
  }
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return new AppError(400, 'BAD_REQUEST', { params: { reason: error.message } });
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    const code =
      error.statusCode === 404 ? 'NOT_FOUND' : error.statusCode === 429 ? 'RATE_LIMITED' : 'BAD_REQUEST';
    return new AppError(error.statusCode, code, { params: { reason: error.message, seconds: 60 } });
  }
  return undefined;
}

// A number the database cannot hold (SQLSTATE 22003, numeric_value_out_of_range): inputs are
// bounded where they are checked, so this is a total grown past its column, and the
// transaction has been rolled back: the caller's request, not the server, is at fault.
function fromDatabase(error: unknown): AppError | undefined {
  if ((error as { code?: unknown } | null)?.code === '22003') return new AppError(422, 'NUMBER_OUT_OF_RANGE');
  return undefined;
}

export function errorBody(error: AppError, translate: Translator, req: FastifyRequest): ErrorBody {
  const locale = req.locale ?? DEFAULT_LOCALE;
  return {
    error: {
      code: error.code,
      message: translate(locale, error.code, { ...error.params }),
      ...(error.details && { details: error.details }),
    },
  };
}

export function installErrorHandling(app: FastifyInstance, translate: Translator): void {
  app.setErrorHandler((raw: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const known = isAppError(raw) ? raw : (fromDatabase(raw) ?? fromFastify(raw));
    if (known) {
      if (known.status === 429 && typeof known.details?.retryAfterSeconds === 'number') {
        reply.header('retry-after', String(known.details.retryAfterSeconds));
      }
      return reply.code(known.status).send(errorBody(known, translate, req));
    }
    req.log.error({ err: raw, reqId: req.id }, 'unexpected error');
    const internal = new AppError(500, 'INTERNAL', {
      params: { requestId: req.id },
      details: { requestId: req.id },
    });
    return reply.code(500).send(errorBody(internal, translate, req));
  });
}
