// Signing in and out, sessions, the user's own profile and API tokens, through the HTTP API
// as the web app and integrators use it.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreMessages } from '../core/messages.js';
import { describeEachBackend, type TestResponse, type TestUser } from '../testing/test-suite.js';
import { MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from './rate-limit.js';
import { accountsChanged } from './session-cache.js';
import { hashSecret } from './tokens.js';

const LOGIN = '/api/auth/login';

function setCookies(response: TestResponse): string[] {
  const raw = response.headers['set-cookie'];
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? [raw] : [];
}

/** The `sid=...` pair a response sets, ready for a Cookie header. */
function sessionCookie(response: TestResponse): string | undefined {
  return setCookies(response)
    .find((c) => c.startsWith('sid='))
    ?.split(';')[0];
}

type ValidationBody = { error: { details: { issues: { path: string; message: string }[] } } };

function issuePaths(response: TestResponse<ValidationBody>): string[] {
  return response.body.error.details.issues.map((i) => i.path);
}

const uniqueEmail = (label: string) => `${label}-${randomBytes(4).toString('hex')}@test.uz`;

describeEachBackend('accounts: signing in, sessions, profile and API tokens', (t) => {
  const signIn = (email: string, password: string, headers: Record<string, string> = {}) =>
    t().request('POST', LOGIN, { body: { email, password }, headers });

  describe('signing in', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await t().createUser(['sales_manager'], { name: 'Dilnoza Karimova' });
    });

    it('with the right password answers the user and sets an HttpOnly, SameSite=Lax session cookie', async () => {
      const response = await signIn(user.email, user.password);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ user: expect.objectContaining({ id: user.id, email: user.email }) });
      expect(response.body.user.name).toBe('Dilnoza Karimova');
      expect(response.body.user.roles).toEqual(['sales_manager']);
      expect(response.body.user.lastLoginAt).not.toBeNull();
      // Nothing about the password travels back.
      expect(JSON.stringify(response.body)).not.toMatch(/scrypt|password/i);

      const cookie = setCookies(response).find((c) => c.startsWith('sid='));
      expect(cookie).toBeDefined();
      expect(cookie).toMatch(/; HttpOnly/i);
      expect(cookie).toMatch(/; SameSite=Lax/i);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/i); // plain http in tests; https gets Secure

      const me = await t().request('GET', '/api/auth/me', { cookie: sessionCookie(response) });
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(user.id);
    });

    it('refuses a wrong password and an unknown e-mail alike, so nobody learns which e-mails exist', async () => {
      const wrong = await signIn(user.email, 'not-the-password', { 'accept-language': 'en' });
      const unknown = await signIn(uniqueEmail('nobody'), 'not-the-password', { 'accept-language': 'en' });
      for (const response of [wrong, unknown]) {
        expect(response.status).toBe(401);
        expect(response.body.error.code).toBe('INVALID_CREDENTIALS');
        expect(response.body.error.message).toBe('Wrong e-mail or password.');
        expect(sessionCookie(response)).toBeUndefined();
      }
      expect(unknown.body).toEqual(wrong.body);
    });

    it('answers in the language of Accept-Language, Uzbek by default', async () => {
      const cases: [Record<string, string>, string][] = [
        [{}, coreMessages.uz.INVALID_CREDENTIALS!],
        [{ 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' }, coreMessages.ru.INVALID_CREDENTIALS!],
        [{ 'accept-language': 'en-GB' }, 'Wrong e-mail or password.'],
        [{ 'accept-language': 'fr-FR, ru;q=0.5' }, coreMessages.ru.INVALID_CREDENTIALS!],
        [{ 'accept-language': 'de-DE' }, coreMessages.uz.INVALID_CREDENTIALS!],
      ];
      for (const [headers, message] of cases) {
        const response = await signIn(user.email, 'wrong-password', headers);
        expect(response.status).toBe(401);
        expect(response.body.error.message, JSON.stringify(headers)).toBe(message);
      }
      expect(coreMessages.uz.INVALID_CREDENTIALS).not.toBe(coreMessages.ru.INVALID_CREDENTIALS);
    });

    it('accepts the e-mail in any case and with surrounding spaces', async () => {
      const response = await signIn(`  ${user.email.toUpperCase()} `, user.password);
      expect(response.status).toBe(200);
      expect(response.body.user.id).toBe(user.id);
    });

    it('refuses a disabled account with 403 ACCOUNT_DISABLED, but only to someone who knows its password', async () => {
      const disabled = await t().createUser(['employee']);
      const patch = await t().request('PATCH', `/api/admin/users/${disabled.id}`, {
        cookie: t().admin.cookie,
        body: { active: false },
      });
      expect(patch.status).toBe(200);

      const right = await signIn(disabled.email, disabled.password, { 'accept-language': 'en' });
      expect(right.status).toBe(403);
      expect(right.body.error.code).toBe('ACCOUNT_DISABLED');
      expect(right.body.error.message).toBe('This account is disabled. Ask an administrator.');
      expect(sessionCookie(right)).toBeUndefined();

      const wrong = await signIn(disabled.email, 'guessing-password');
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    });

    it('answers 400 VALIDATION_FAILED naming each missing or mistyped field', async () => {
      const missing = await t().request('POST', LOGIN, { body: {}, headers: { 'accept-language': 'en' } });
      expect(missing.status).toBe(400);
      expect(missing.body.error.code).toBe('VALIDATION_FAILED');
      expect(missing.body.error.message).toBe('Some fields are not filled in correctly.');
      expect(issuePaths(missing).sort()).toEqual(['email', 'password']);
      for (const issue of missing.body.error.details.issues)
        expect(issue.message).toEqual(expect.any(String));

      const onlyEmail = await t().request('POST', LOGIN, { body: { email: user.email } });
      expect(onlyEmail.status).toBe(400);
      expect(issuePaths(onlyEmail)).toEqual(['password']);

      const empty = await t().request('POST', LOGIN, { body: { email: '   ', password: '' } });
      expect(empty.status).toBe(400);
      expect(issuePaths(empty).sort()).toEqual(['email', 'password']);

      const types = await t().request('POST', LOGIN, { body: { email: 42, password: ['x'] } });
      expect(types.status).toBe(400);
      expect(issuePaths(types).sort()).toEqual(['email', 'password']);
    });

    it('answers 400 BAD_REQUEST to a body that is not JSON, and 415 to another content type', async () => {
      const broken = await t().request('POST', LOGIN, {
        body: '{"email": "a@b.uz", "password": ',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      });
      expect(broken.status).toBe(400);
      expect(broken.body.error.code).toBe('BAD_REQUEST');
      expect(broken.body.error.message).toMatch(/^The request could not be read: /);

      const empty = await t().request('POST', LOGIN, {
        body: '',
        headers: { 'content-type': 'application/json' },
      });
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('BAD_REQUEST');

      const form = await t().request('POST', LOGIN, {
        body: 'email=a%40b.uz&password=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(form.status).toBe(415);
      expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

      // The API takes JSON only: plain text is refused like any other content type.
      const text = await t().request('POST', LOGIN, {
        body: 'a@b.uz x',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
      expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('throttling failed sign-ins', () => {
    // Each case signs in from its own client address, so the per-address limit of one case
    // does not spill into the others (the test requests all come from 127.0.0.1 otherwise).
    const signInFrom = async (remoteAddress: string, email: string, password: string) => {
      const response = await t().suite.app.inject({
        method: 'POST',
        url: LOGIN,
        payload: { email, password },
        remoteAddress,
        headers: { 'accept-language': 'en' },
      });
      return { status: response.statusCode, body: response.json(), headers: response.headers };
    };

    it(`locks an e-mail after ${MAX_FAILURES_PER_EMAIL} failures, even for the right password, with Retry-After`, async () => {
      const victim = await t().createUser(['employee']);
      const bystander = await t().createUser(['employee']);
      for (let i = 1; i <= MAX_FAILURES_PER_EMAIL; i++) {
        const response = await signInFrom('10.1.0.1', victim.email, `wrong-${i}`);
        expect(response.status, `attempt ${i}`).toBe(401);
      }

      const locked = await signInFrom('10.1.0.1', victim.email, victim.password);
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('RATE_LIMITED');
      const seconds = locked.body.error.details.retryAfterSeconds;
      expect(Number.isInteger(seconds)).toBe(true);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(15 * 60);
      expect(locked.headers['retry-after']).toBe(String(seconds));
      expect(locked.body.error.message).toBe(`Too many attempts. Try again in ${seconds} seconds.`);

      // The lock is on the e-mail, whatever its case and wherever the attempt comes from.
      const elsewhere = await signInFrom('10.1.0.2', victim.email.toUpperCase(), victim.password);
      expect(elsewhere.status).toBe(429);

      // Another account signs in from the very same address.
      const other = await signInFrom('10.1.0.1', bystander.email, bystander.password);
      expect(other.status).toBe(200);

      // Once the window has passed (moved back in the database), the right password works again.
      await sql`update core_login_attempts set at = at - interval '16 minutes'
        where key = ${`email:${victim.email}`}`.execute(t().db);
      const later = await signInFrom('10.1.0.1', victim.email, victim.password);
      expect(later.status).toBe(200);
    });

    it('holds the e-mail limit when many wrong passwords arrive at once', async () => {
      // On PostgreSQL these run side by side: each must see the failures of the others.
      const victim = await t().createUser(['employee']);
      const attempts = MAX_FAILURES_PER_EMAIL * 3;
      const responses = await Promise.all(
        Array.from({ length: attempts }, (_, i) => signInFrom('10.3.0.1', victim.email, `burst-${i}`)),
      );
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES_PER_EMAIL);
      expect(statuses.filter((s) => s === 429)).toHaveLength(attempts - MAX_FAILURES_PER_EMAIL);
      expect((await signInFrom('10.3.0.2', victim.email, victim.password)).status).toBe(429);
    });

    it(`locks a client address after ${MAX_FAILURES_PER_IP} failures over any e-mails`, async () => {
      const user = await t().createUser(['employee']);
      for (let i = 1; i <= MAX_FAILURES_PER_IP; i++) {
        const response = await signInFrom('10.2.0.1', `spray-${i}@test.uz`, 'password123');
        expect(response.status, `attempt ${i}`).toBe(401);
      }
      const locked = await signInFrom('10.2.0.1', user.email, user.password);
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('RATE_LIMITED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);

      // The address is the connection's: naming another one in the body does not escape the lock.
      const spoofed = await t().suite.app.inject({
        method: 'POST',
        url: LOGIN,
        payload: { email: user.email, password: user.password, ip: '203.0.113.9' },
        remoteAddress: '10.2.0.1',
      });
      expect(spoofed.statusCode).toBe(429);

      const fromElsewhere = await signInFrom('10.2.0.2', user.email, user.password);
      expect(fromElsewhere.status).toBe(200);
    });
  });

  describe('sessions', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await t().createUser(['warehouse'], { name: 'Bobur Tursunov' });
    });

    it('GET /api/auth/me answers the signed-in user with roles and permissions', async () => {
      const response = await t().request('GET', '/api/auth/me', { cookie: user.cookie });
      expect(response.status).toBe(200);
      expect(response.body.user).toMatchObject({
        id: user.id,
        email: user.email,
        name: 'Bobur Tursunov',
        active: true,
        roles: ['warehouse'],
      });
      expect(response.body.user.permissions).toEqual(expect.any(Array));
    });

    it('GET /api/auth/me answers 401 without a session or with an unknown one', async () => {
      const none = await t().request('GET', '/api/auth/me', { headers: { 'accept-language': 'en' } });
      expect(none.status).toBe(401);
      expect(none.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'Please sign in.' });

      const forged = await t().request('GET', '/api/auth/me', {
        cookie: `sid=${randomBytes(32).toString('base64url')}`,
      });
      expect(forged.status).toBe(401);
      expect(forged.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('logout answers 204, clears the cookie, and that session stops working while others stay', async () => {
      const first = await t().login(user.email, user.password);
      const second = await t().login(user.email, user.password);
      expect(first).not.toBe(second);

      // Naming another session in the body does not end it: only the caller's own session ends.
      const logout = await t().request('POST', '/api/auth/logout', {
        cookie: first,
        body: { sessionTokenHash: hashSecret(second.slice('sid='.length)) },
      });
      expect(logout.status).toBe(204);
      expect(logout.body).toBe('');
      const cleared = setCookies(logout).find((c) => c.startsWith('sid='));
      expect(cleared).toMatch(/^sid=;/);
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);

      expect((await t().request('GET', '/api/auth/me', { cookie: first })).status).toBe(401);
      expect((await t().request('POST', '/api/auth/logout', { cookie: first })).status).toBe(401);
      expect((await t().request('GET', '/api/auth/me', { cookie: second })).status).toBe(200);
    });

    it('an expired session answers 401', async () => {
      const cookie = await t().login(user.email, user.password);
      expect((await t().request('GET', '/api/auth/me', { cookie })).status).toBe(200);
      const token = cookie.slice('sid='.length);
      const updated = await t()
        .db.updateTable('core_sessions')
        .set({ expires_at: new Date(Date.now() - 60_000) })
        .where('token_hash', '=', hashSecret(token))
        .executeTakeFirst();
      expect(Number(updated.numUpdatedRows)).toBe(1);
      // Written behind the server's back: tell its session cache, as the accounts actions do.
      accountsChanged();
      const response = await t().request('GET', '/api/auth/me', { cookie });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('stores only a hash of the session secret', async () => {
      const cookie = await t().login(user.email, user.password);
      const token = cookie.slice('sid='.length);
      const rows = await t()
        .db.selectFrom('core_sessions')
        .select('token_hash')
        .where('user_id', '=', user.id)
        .execute();
      const hashes = rows.map((r: { token_hash: string }) => r.token_hash);
      expect(hashes).toContain(hashSecret(token));
      expect(hashes).not.toContain(token);
    });
  });

  describe('PATCH /api/auth/me', () => {
    it('changes the language, and from then on error messages come in it whatever the browser asks', async () => {
      const user = await t().createUser(['employee']);
      const response = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { locale: 'ru' },
      });
      expect(response.status).toBe(200);
      expect(response.body.user.locale).toBe('ru');

      const forbidden = await t().request('GET', '/api/admin/users', {
        cookie: user.cookie,
        headers: { 'accept-language': 'en' },
      });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('FORBIDDEN');
      expect(forbidden.body.error.message).toBe(coreMessages.ru.FORBIDDEN);

      const invalid = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { locale: 'fr' },
        headers: { 'accept-language': 'en' },
      });
      expect(invalid.status).toBe(400);
      expect(issuePaths(invalid)).toEqual(['locale']);
      expect(invalid.body.error.message).toBe(coreMessages.ru.VALIDATION_FAILED);

      await t().request('PATCH', '/api/auth/me', { cookie: user.cookie, body: { locale: 'en' } });
      const inEnglish = await t().request('GET', '/api/admin/users', {
        cookie: user.cookie,
        headers: { 'accept-language': 'ru' },
      });
      expect(inEnglish.body.error.message).toBe('You do not have the right to do this.');
      // The language is kept with the account: the next sign-in gets it too.
      const again = await signIn(user.email, user.password);
      expect(again.body.user.locale).toBe('en');
    });

    it('changes the name (trimmed) and refuses an empty one', async () => {
      const user = await t().createUser(['employee'], { name: 'Old Name' });
      const response = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { name: '  Jasur Aliyev  ' },
      });
      expect(response.status).toBe(200);
      expect(response.body.user.name).toBe('Jasur Aliyev');
      const me = await t().request('GET', '/api/auth/me', { cookie: user.cookie });
      expect(me.body.user.name).toBe('Jasur Aliyev');

      const empty = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { name: '   ' },
      });
      expect(empty.status).toBe(400);
      expect(issuePaths(empty)).toEqual(['name']);
      expect((await t().request('GET', '/api/auth/me', { cookie: user.cookie })).body.user.name).toBe(
        'Jasur Aliyev',
      );
    });

    it('ignores attempts to change one’s own roles, status or e-mail', async () => {
      const user = await t().createUser(['employee']);
      const response = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { roles: ['admin'], active: false, email: 'boss@test.uz', permissions: ['admin.users.write'] },
      });
      expect(response.status).toBe(200);
      expect(response.body.user).toMatchObject({ email: user.email, roles: ['employee'], active: true });
      expect((await t().request('GET', '/api/admin/users', { cookie: user.cookie })).status).toBe(403);
    });

    it('needs the current password to set a new one', async () => {
      const user = await t().createUser(['employee'], { locale: 'en' });
      for (const body of [
        { password: 'new-password-1' },
        { password: 'new-password-1', currentPassword: '' },
      ]) {
        const response = await t().request('PATCH', '/api/auth/me', { cookie: user.cookie, body });
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('VALIDATION_FAILED');
        expect(response.body.error.details.issues).toEqual([
          { path: 'currentPassword', message: 'Enter your current password to set a new one.' },
        ]);
      }

      const wrong = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { password: 'new-password-1', currentPassword: 'not-my-password' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.code).toBe('VALIDATION_FAILED');
      expect(wrong.body.error.details.issues).toEqual([
        { path: 'currentPassword', message: 'The current password is wrong.' },
      ]);

      const short = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { password: 'short', currentPassword: user.password },
      });
      expect(short.status).toBe(400);
      expect(issuePaths(short)).toEqual(['password']);

      // None of these changed anything: the old password still signs in, the session still works.
      expect((await signIn(user.email, user.password)).status).toBe(200);
      expect((await signIn(user.email, 'new-password-1')).status).toBe(401);
      expect((await t().request('GET', '/api/auth/me', { cookie: user.cookie })).status).toBe(200);
    });

    it('after a password change signs out the other sessions, keeps this one, and only the new password works', async () => {
      const user = await t().createUser(['employee']);
      const other = await t().login(user.email, user.password);
      const response = await t().request('PATCH', '/api/auth/me', {
        cookie: user.cookie,
        body: { currentPassword: user.password, password: 'brand-new-password' },
      });
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain('brand-new-password');

      expect((await t().request('GET', '/api/auth/me', { cookie: user.cookie })).status).toBe(200);
      expect((await t().request('GET', '/api/auth/me', { cookie: other })).status).toBe(401);

      const oldPassword = await signIn(user.email, user.password);
      expect(oldPassword.status).toBe(401);
      expect(oldPassword.body.error.code).toBe('INVALID_CREDENTIALS');
      expect((await signIn(user.email, 'brand-new-password')).status).toBe(200);
    });

    it('answers 401 without a session', async () => {
      const response = await t().request('PATCH', '/api/auth/me', { body: { name: 'Anyone' } });
      expect(response.status).toBe(401);
    });
  });

  describe('API tokens', () => {
    let manager: TestUser;
    beforeAll(async () => {
      manager = await t().createUser(['sales_manager']);
    });

    const createToken = async (cookie: string, name: string) => {
      const response = await t().request('POST', '/api/auth/tokens', { cookie, body: { name } });
      expect(response.status).toBe(201);
      return response.body as { id: string; name: string; createdAt: string; token: string };
    };

    it('shows a new token once, with the obx_ prefix, and never again in the list', async () => {
      const created = await createToken(manager.cookie, '  Export to 1C  ');
      expect(created.name).toBe('Export to 1C');
      expect(created.token).toMatch(/^obx_[\w-]{20,}$/);
      expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);

      const list = await t().request('GET', '/api/auth/tokens', { cookie: manager.cookie });
      expect(list.status).toBe(200);
      const item = list.body.items.find((i: { id: string }) => i.id === created.id);
      expect(item).toEqual({
        id: created.id,
        name: 'Export to 1C',
        createdAt: created.createdAt,
        lastUsedAt: null,
      });
      expect(list.body.total).toBe(list.body.items.length);
      const text = JSON.stringify(list.body);
      expect(text).not.toContain(created.token);
      expect(text).not.toContain(created.token.slice(4));

      // Nor is it kept in the database: only its hash is.
      const row = await t()
        .db.selectFrom('core_api_tokens')
        .select('token_hash')
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(hashSecret(created.token));
    });

    it('acts as Bearer with the creator’s rights, no more', async () => {
      const { token, id } = await createToken(manager.cookie, 'rights');
      const me = await t().request('GET', '/api/auth/me', { token });
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(manager.id);

      const admin = await t().request('GET', '/api/admin/users', {
        token,
        headers: { 'accept-language': 'en' },
      });
      expect(admin.status).toBe(403);
      expect(admin.body.error.code).toBe('FORBIDDEN');

      const list = await t().request('GET', '/api/auth/tokens', { cookie: manager.cookie });
      const used = list.body.items.find((i: { id: string }) => i.id === id);
      expect(used.lastUsedAt).not.toBeNull();

      const adminToken = await createToken(t().admin.cookie, 'admin rights');
      const users = await t().request('GET', '/api/admin/users', { token: adminToken.token });
      expect(users.status).toBe(200);
    });

    it('refuses unknown or mangled Bearer tokens with 401', async () => {
      const { token } = await createToken(manager.cookie, 'mangled');
      for (const bad of [
        `${token}x`,
        token.slice(4),
        `obx_${randomBytes(32).toString('base64url')}`,
        'obx_',
      ]) {
        const response = await t().request('GET', '/api/auth/me', { token: bad });
        expect(response.status, bad).toBe(401);
        expect(response.body.error.code).toBe('UNAUTHENTICATED');
      }
    });

    it('revoking answers 204 and the token stops working at once', async () => {
      const { token, id } = await createToken(manager.cookie, 'to revoke');
      expect((await t().request('GET', '/api/auth/me', { token })).status).toBe(200);

      const revoke = await t().request('DELETE', `/api/auth/tokens/${id}`, { cookie: manager.cookie });
      expect(revoke.status).toBe(204);

      const after = await t().request('GET', '/api/auth/me', { token });
      expect(after.status).toBe(401);
      const list = await t().request('GET', '/api/auth/tokens', { cookie: manager.cookie });
      expect(list.body.items.map((i: { id: string }) => i.id)).not.toContain(id);

      const again = await t().request('DELETE', `/api/auth/tokens/${id}`, { cookie: manager.cookie });
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('NOT_FOUND');
    });

    it('cannot revoke someone else’s token (404) and leaves it working', async () => {
      const { token, id } = await createToken(manager.cookie, 'not yours');
      const stranger = await t().createUser(['sales_manager']);
      const response = await t().request('DELETE', `/api/auth/tokens/${id}`, { cookie: stranger.cookie });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
      // Not even an admin revokes another person's token through their own endpoint.
      expect(
        (await t().request('DELETE', `/api/auth/tokens/${id}`, { cookie: t().admin.cookie })).status,
      ).toBe(404);
      expect((await t().request('GET', '/api/auth/me', { token })).status).toBe(200);
      const strangerList = await t().request('GET', '/api/auth/tokens', { cookie: stranger.cookie });
      expect(strangerList.body).toEqual({ items: [], total: 0 });
    });

    it('stops working while its user is disabled', async () => {
      const owner = await t().createUser(['sales_manager']);
      const { token } = await createToken(owner.cookie, 'disabled owner');
      expect((await t().request('GET', '/api/auth/me', { token })).status).toBe(200);
      const disable = await t().request('PATCH', `/api/admin/users/${owner.id}`, {
        cookie: t().admin.cookie,
        body: { active: false },
      });
      expect(disable.status).toBe(200);
      const response = await t().request('GET', '/api/auth/me', { token });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('UNAUTHENTICATED');
    });

    it('refuses a token without a name, a malformed id, and callers without a session', async () => {
      const noName = await t().request('POST', '/api/auth/tokens', {
        cookie: manager.cookie,
        body: { name: '  ' },
      });
      expect(noName.status).toBe(400);
      expect(issuePaths(noName)).toEqual(['name']);

      const badId = await t().request('DELETE', '/api/auth/tokens/not-a-uuid', { cookie: manager.cookie });
      expect(badId.status).toBe(400);
      expect(issuePaths(badId)).toEqual(['id']);

      expect((await t().request('POST', '/api/auth/tokens', { body: { name: 'x' } })).status).toBe(401);
      expect((await t().request('GET', '/api/auth/tokens')).status).toBe(401);
    });
  });
});
