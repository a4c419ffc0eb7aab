// The `auth` module: sign-in and sessions, the current user, API tokens (/api/auth).
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { defineModule } from '../core/module.js';
import { actionRoute } from '../http/action-route.js';
import { createToken, listTokens, login, logout, me, revokeToken, updateMe } from './auth-actions.js';
import { hashSecret, SESSION_COOKIE, SESSION_TTL_MS } from './tokens.js';
import { userSchema } from './user-schema.js';

type LoginOutcome =
  | { outcome: 'ok'; user: unknown; sessionToken: string }
  | { outcome: 'invalid' }
  | { outcome: 'disabled' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

export const authModule = defineModule({
  name: 'auth',
  migrations: {},
  permissions: [],
  actions: [login, logout, me, updateMe, listTokens, createToken, revokeToken],
  routes(app) {
    const sessionHash = (req: { sessionToken: string | null }) =>
      req.sessionToken ? { sessionTokenHash: hashSecret(req.sessionToken) } : {};

    actionRoute(app, {
      method: 'POST',
      url: '/login',
      action: 'auth.login',
      status: 200,
      hidden: ['ip', 'userAgent'],
      extraInput: (req) => ({ ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 500) }),
      response: z.object({ user: userSchema }),
      respond(output, req, reply) {
        const result = output as LoginOutcome;
        if (result.outcome === 'invalid') throw new AppError(401, 'INVALID_CREDENTIALS');
        if (result.outcome === 'disabled') throw new AppError(403, 'ACCOUNT_DISABLED');
        if (result.outcome === 'throttled') {
          throw new AppError(429, 'RATE_LIMITED', {
            params: { seconds: result.retryAfterSeconds },
            details: { retryAfterSeconds: result.retryAfterSeconds },
          });
        }
        reply.setCookie(SESSION_COOKIE, result.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: req.protocol === 'https',
          maxAge: SESSION_TTL_MS / 1000,
        });
        return { user: result.user };
      },
    });
    actionRoute(app, {
      method: 'POST',
      url: '/logout',
      action: 'auth.logout',
      status: 204,
      hidden: ['sessionTokenHash'],
      extraInput: sessionHash,
      respond(_output, _req, reply) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return null;
      },
    });
    actionRoute(app, { method: 'GET', url: '/me', action: 'auth.me' });
    actionRoute(app, {
      method: 'PATCH',
      url: '/me',
      action: 'auth.updateMe',
      hidden: ['sessionTokenHash'],
      extraInput: sessionHash,
    });
    actionRoute(app, { method: 'GET', url: '/tokens', action: 'auth.listTokens' });
    actionRoute(app, { method: 'POST', url: '/tokens', action: 'auth.createToken' });
    actionRoute(app, { method: 'DELETE', url: '/tokens/:id', action: 'auth.revokeToken', status: 204 });
  },
});
