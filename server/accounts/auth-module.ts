// The `auth` module: sign-in and sessions, the current user, API tokens (/api/auth).
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { defineModule } from '../core/module.js';
import { actionRoute } from '../http/action-route.js';
import { createToken, listTokens, login, logout, me, revokeToken, updateMe } from './auth-actions.js';
import { hashSecret, SESSION_COOKIE, setSessionCookie } from './tokens.js';
import { userSchema } from './user-schema.js';

type LoginOutcome =
  | { outcome: 'ok'; user: unknown; sessionToken: string }
  | { outcome: 'invalid' }
  | { outcome: 'disabled' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

type UpdateMeOutcome =
  | { outcome: 'ok'; user: unknown }
  | { outcome: 'wrongPassword' }
  | { outcome: 'throttled'; retryAfterSeconds: number };

const throttled = (seconds: number) =>
  new AppError(429, 'RATE_LIMITED', { params: { seconds }, details: { retryAfterSeconds: seconds } });

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
        if (result.outcome === 'throttled') throw throttled(result.retryAfterSeconds);
        setSessionCookie(reply, result.sessionToken, req.protocol === 'https');
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
      response: z.object({ user: userSchema }),
      respond(output, req) {
        const result = output as UpdateMeOutcome;
        if (result.outcome === 'throttled') throw throttled(result.retryAfterSeconds);
        if (result.outcome === 'wrongPassword') {
          throw new AppError(400, 'VALIDATION_FAILED', {
            details: {
              issues: [{ path: 'currentPassword', message: app.translate(req.locale, 'PASSWORD_WRONG') }],
            },
          });
        }
        return { user: result.user };
      },
    });
    actionRoute(app, { method: 'GET', url: '/tokens', action: 'auth.listTokens' });
    actionRoute(app, { method: 'POST', url: '/tokens', action: 'auth.createToken' });
    actionRoute(app, { method: 'DELETE', url: '/tokens/:id', action: 'auth.revokeToken', status: 204 });
  },
});
