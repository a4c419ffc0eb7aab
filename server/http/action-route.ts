// Routes are thin: an HTTP method and path over one action. Path parameters, query and body
// are merged into the action's input; its zod schemas document the route in OpenAPI.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ActionRouteSpec = {
  method: Method;
  url: string;
  /** Full action name, e.g. `admin.createUser`. */
  action: string;
  status?: 200 | 201 | 204;
  summary?: string;
  /** Input fields the route fills itself (client address, session), hidden from the API. */
  hidden?: string[];
  /** Adds what the route knows to the input (e.g. the client's address, an uploaded file). */
  extraInput?(req: FastifyRequest): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** The documented response when the route reshapes the action's output. */
  response?: z.ZodType;
  /**
   * `required`: the client must send an `Idempotency-Key` header; a retry with the same key
   * and body answers the first result. `optional`: honoured when sent.
   */
  idempotency?: 'required' | 'optional';
  /** With `optional`: when the key becomes required for this request (e.g. `?post=true`). */
  requireIdempotency?(req: FastifyRequest): boolean;
  /** Bytes a body may hold when the app's 1 MB is too little (a file in base64). */
  bodyLimit?: number;
  /** Reshapes the output or sets cookies; returns the body to send. */
  respond?(output: unknown, req: FastifyRequest, reply: FastifyReply): unknown | Promise<unknown>;
};

function pathParams(url: string): string[] {
  return [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}

export function actionRoute(app: FastifyInstance, spec: ActionRouteSpec): void {
  const action = app.registry.get(spec.action);
  const params = pathParams(spec.url);
  const status = spec.status ?? (spec.method === 'POST' ? 201 : 200);
  const hidden = new Set([...(spec.hidden ?? []), ...params]);
  const input = action.input;
  const shape = input instanceof z.ZodObject ? (input.shape as Record<string, z.ZodType>) : undefined;
  const visible = shape
    ? z.object(Object.fromEntries(Object.entries(shape).filter(([k]) => !hidden.has(k))))
    : input;
  const paramSchema =
    shape && params.length > 0
      ? z.object(Object.fromEntries(params.map((p) => [p, shape[p] ?? z.string()])))
      : undefined;
  const readsQuery = spec.method === 'GET' || spec.method === 'DELETE';
  const hasVisibleFields = !(visible instanceof z.ZodObject) || Object.keys(visible.shape).length > 0;

  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit && { bodyLimit: spec.bodyLimit }),
    config: { permission: action.permission },
    schema: {
      summary: spec.summary ?? action.description,
      tags: [action.module],
      ...(paramSchema && { params: paramSchema }),
      ...(hasVisibleFields && (readsQuery ? { querystring: visible } : { body: visible })),
      ...(spec.idempotency && {
        headers: z.object({
          'idempotency-key':
            spec.idempotency === 'required'
              ? z.string().min(8).max(200)
              : z.string().min(8).max(200).optional(),
        }),
      }),
      response: { [status]: status === 204 ? z.null() : (spec.response ?? action.output) },
    },
    handler: async (req, reply) => {
      const header = req.headers['idempotency-key'];
      const idempotencyKey = spec.idempotency && typeof header === 'string' ? header : undefined;
      const required = spec.idempotency === 'required' || spec.requireIdempotency?.(req) === true;
      if (required && !idempotencyKey) throw new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED');
      const source = readsQuery ? req.query : req.body;
      const fields = source && typeof source === 'object' ? (source as Record<string, unknown>) : {};
      const output = await req.callAction(
        spec.action,
        {
          ...Object.fromEntries(Object.entries(fields).filter(([k]) => !hidden.has(k))),
          ...(req.params as Record<string, unknown>),
          ...(await spec.extraInput?.(req)),
        },
        { idempotencyKey },
      );
      const body = spec.respond ? await spec.respond(output, req, reply) : output;
      reply.code(status);
      return status === 204 ? reply.send() : body;
    },
  });
}
