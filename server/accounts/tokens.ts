// Random secrets for sessions and API tokens; only their SHA-256 is stored, so a leaked
// database does not hand out working credentials.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'sid';
export const API_TOKEN_PREFIX = 'obx_';
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/** A session's expiry slides forward, written at most this often. */
export const SESSION_TOUCH_MS = 10 * 60 * 1000;

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** The session cookie: HttpOnly, SameSite=Lax, Secure over https, living as long as the session. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: SESSION_TTL_MS / 1000,
  });
}
