// A session in use keeps its cookie alive, and a stolen session cannot guess the password.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/test-suite.js';
import { accountsChanged } from './session-cache.js';
import { hashSecret } from './tokens.js';

describeEachBackend('accounts: session renewal and password-change throttling', (t) => {
  it('renews the cookie when the session’s expiry slides forward', async () => {
    const user = await t().createUser(['employee']);
    const quiet = await t().request('GET', '/api/auth/me', { cookie: user.cookie });
    expect(quiet.headers['set-cookie']).toBeUndefined();
    const token = user.cookie.slice('sid='.length);
    await t()
      .db.updateTable('core_sessions')
      .set({ last_seen_at: new Date(Date.now() - 3600_000), expires_at: new Date(Date.now() + 1000_000) })
      .where('token_hash', '=', hashSecret(token))
      .execute();
    accountsChanged();
    const renewed = await t().request('GET', '/api/auth/me', { cookie: user.cookie });
    expect(renewed.status).toBe(200);
    expect(String(renewed.headers['set-cookie'])).toMatch(/^sid=[^;]+;.*Max-Age=2592000.*HttpOnly/);
    const row = await t()
      .db.selectFrom('core_sessions')
      .select('expires_at')
      .where('token_hash', '=', hashSecret(token))
      .executeTakeFirstOrThrow();
    expect(row.expires_at.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
  });

  it('throttles guesses of the current password, even the right one after too many', async () => {
    const user = await t().createUser(['employee']);
    for (let i = 0; i < 10; i++) {
      const wrong = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { currentPassword: `guess-${i}`, password: 'new-password-1' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details.issues[0].path).toBe('currentPassword');
    }
    const blocked = await t().request('PATCH', '/api/auth/me', {
      cookie: user.cookie,
      body: { currentPassword: user.password, password: 'new-password-1' },
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Nothing changed: the old password still signs in.
    await expect(t().login(user.email, user.password)).resolves.toMatch(/^sid=/);
  });
});
