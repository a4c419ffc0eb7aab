// Request decorations and route config that every part of the HTTP layer relies on.
import type { Locale } from '../core/locale.js';
import type { Translator } from '../core/messages.js';
import type { Actor, PermissionRequirement } from '../core/module.js';
import type { Registry } from '../core/registry.js';

export type RouteRecord = { method: string; url: string; permission: PermissionRequirement };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    locale: Locale;
    /** The raw session cookie value, when the request came with one that resolved. */
    sessionToken: string | null;
    /** Set when the session's expiry slid forward, so the cookie's is renewed too. */
    sessionRenewed: boolean;
    /** Calls an action by name as this request's actor, in a new transaction. */
    callAction<T = unknown>(name: string, input: unknown, options?: { idempotencyKey?: string }): Promise<T>;
  }
  interface FastifyContextConfig {
    /** Every /api route declares who may call it; a route without this fails at boot. */
    permission?: PermissionRequirement;
  }
  interface FastifyInstance {
    registry: Registry;
    /** The server's texts (error messages) in the given language. */
    translate: Translator;
    /** Every /api route with the permission it needs (the route-walk test reads it). */
    apiRoutes: RouteRecord[];
  }
}
