// User administration through /api/admin/users: creating, listing, reading and changing
// accounts, and the rule that an active administrator always remains.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { coreMessages, createTranslator } from '../core/messages.js';
import {
  describeEachBackend,
  type TestResponse,
  type TestSuite,
  type TestUser,
} from '../testing/test-suite.js';

const USERS = '/api/admin/users';

type ValidationBody = { error: { details: { issues: { path: string; message: string }[] } } };

function issuePaths(response: TestResponse<ValidationBody>): string[] {
  return response.body.error.details.issues.map((i) => i.path);
}

// The test admin's own language is Uzbek, and a signed-in user's language beats Accept-Language.
const translate = createTranslator([coreMessages]);
const inUzbek = (code: string, params?: Record<string, string>) => translate('uz', code, params);

const tag = () => randomBytes(4).toString('hex');

type UserBody = { id: string; email: string; name: string; roles: string[]; active: boolean; locale: string };

/** Active administrators, read from the database (the API would need a surviving admin to ask). */
async function activeAdmins(t: TestSuite): Promise<string[]> {
  const rows = await t.db
    .selectFrom('core_users as u')
    .innerJoin('core_user_roles as ur', 'ur.user_id', 'u.id')
    .select('u.id')
    .where('ur.role_code', '=', 'admin')
    .where('u.active', '=', true)
    .execute();
  return rows.map((r: { id: string }) => r.id).sort();
}

describeEachBackend('accounts: user administration', (t) => {
  const admin = () => ({ cookie: t().admin.cookie });
  const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t().request('POST', USERS, { ...admin(), body, headers });
  const patch = (id: string, body: Record<string, unknown>, cookie = t().admin.cookie) =>
    t().request('PATCH', `${USERS}/${id}`, { cookie, body });
  const signIn = (email: string, password: string) =>
    t().request('POST', '/api/auth/login', { body: { email, password } });

  describe('creating users', () => {
    it('creates a user with roles, the e-mail lowercased, who can then sign in', async () => {
      const email = `Nodira.${tag()}@Test.UZ`;
      const response = await create({
        email: `  ${email} `,
        name: ' Nodira Yusupova ',
        password: 'first-password',
        roles: ['sales_manager', 'employee'],
        locale: 'ru',
      });
      expect(response.status).toBe(201);
      const user = response.body;
      expect(user).toMatchObject({
        email: email.toLowerCase(),
        name: 'Nodira Yusupova',
        roles: ['employee', 'sales_manager'],
        locale: 'ru',
        active: true,
        lastLoginAt: null,
      });
      expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(user)).not.toMatch(/first-password|scrypt/);

      const read = await t().request('GET', `${USERS}/${user.id}`, admin());
      expect(read.status).toBe(200);
      expect(read.body).toEqual(user);

      const login = await signIn(email, 'first-password');
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe(user.id);
    });

    it('gives no roles when none are listed', async () => {
      const response = await create({
        email: `plain-${tag()}@test.uz`,
        name: 'Plain',
        password: 'password-1',
      });
      expect(response.status).toBe(201);
      expect(response.body.roles).toEqual([]);
      expect(response.body.permissions).toEqual([]);
    });

    it('refuses an e-mail that is taken, whatever its case, with 409 EMAIL_TAKEN', async () => {
      const email = `taken-${tag()}@test.uz`;
      const first = await create({ email, name: 'First', password: 'password-1' });
      expect(first.status).toBe(201);

      for (const duplicate of [email, email.toUpperCase(), ` ${email.replace('taken', 'TAKEN')}`]) {
        // Accept-Language asks for English, but the admin's own language (Uzbek) wins.
        const response = await create(
          { email: duplicate, name: 'Second', password: 'password-2' },
          { 'accept-language': 'en' },
        );
        expect(response.status, duplicate).toBe(409);
        expect(response.body.error.code).toBe('EMAIL_TAKEN');
        expect(response.body.error.message).toBe(inUzbek('EMAIL_TAKEN'));
        expect(response.body.error.details.field).toBe('email');
      }
      const list = await t().request('GET', `${USERS}?q=${encodeURIComponent(email)}`, admin());
      expect(list.body.total).toBe(1);
      expect(list.body.items[0].name).toBe('First');
      // The first user's password was not replaced by any of the attempts.
      expect((await signIn(email, 'password-1')).status).toBe(200);
      expect((await signIn(email, 'password-2')).status).toBe(401);
    });

    it('lets exactly one of two simultaneous creations of one e-mail win', async () => {
      const email = `race-${tag()}@test.uz`;
      const responses = await Promise.all([
        create({ email, name: 'Racer A', password: 'password-a1' }),
        create({ email: email.toUpperCase(), name: 'Racer B', password: 'password-b1' }),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const loser = responses.find((r) => r.status === 409)!;
      expect(loser.body.error.code).toBe('EMAIL_TAKEN');
      const list = await t().request('GET', `${USERS}?q=${encodeURIComponent(email)}`, admin());
      expect(list.body.total).toBe(1);
      expect(list.body.items[0].id).toBe(responses.find((r) => r.status === 201)!.body.id);
    });

    it('refuses an unknown role naming its position (roles.N) and creates nothing', async () => {
      const email = `unknown-role-${tag()}@test.uz`;
      const response = await create({
        email,
        name: 'Nobody',
        password: 'password-1',
        roles: ['employee', 'wizard'],
      });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(response.body.error.details.issues).toEqual([
        { path: 'roles.1', message: inUzbek('ROLE_UNKNOWN', { role: 'wizard' }) },
      ]);

      const malformed = await create({
        email,
        name: 'Nobody',
        password: 'password-1',
        roles: ['Not A Role'],
      });
      expect(malformed.status).toBe(400);
      expect(issuePaths(malformed)).toEqual(['roles.0']);

      const list = await t().request('GET', `${USERS}?q=${encodeURIComponent(email)}`, admin());
      expect(list.body.total).toBe(0);
    });

    it('names every invalid field', async () => {
      const response = await create({ email: 'not-an-email', name: '', password: 'short', locale: 'de' });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
      expect(issuePaths(response).sort()).toEqual(['email', 'locale', 'name', 'password']);

      const missing = await create({});
      expect(missing.status).toBe(400);
      expect(issuePaths(missing).sort()).toEqual(['email', 'name', 'password']);

      const types = await create({
        email: `types-${tag()}@test.uz`,
        name: 'Types',
        password: 'password-1',
        roles: 'admin',
      });
      expect(types.status).toBe(400);
      expect(issuePaths(types)).toEqual(['roles']);
    });

    it('is for administrators only', async () => {
      const head = await t().createUser(['sales_head']);
      const body = {
        email: `sneaky-${tag()}@test.uz`,
        name: 'Sneaky',
        password: 'password-1',
        roles: ['admin'],
      };
      const forbidden = await t().request('POST', USERS, { cookie: head.cookie, body });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.code).toBe('FORBIDDEN');
      const anonymous = await t().request('POST', USERS, { body });
      expect(anonymous.status).toBe(401);
      expect((await signIn(body.email, body.password)).status).toBe(401);
    });
  });

  describe('listing users', () => {
    const marker = `lst${tag()}`;
    const people = [
      { name: 'Kamola Rahimova', local: 'c', roles: ['warehouse'] },
      { name: 'Aziz Nazarov', local: 'e', roles: ['sales_manager'] },
      { name: 'Laylo Qodirova', local: 'a', roles: ['warehouse', 'hr'] },
      { name: 'Bekzod Ergashev', local: 'd', roles: [] },
      { name: 'Gulnora Saidova', local: 'b', roles: ['hr'], inactive: true },
    ];
    const created: UserBody[] = [];

    beforeAll(async () => {
      for (const person of people) {
        const response = await create({
          email: `${person.local}.${marker}@test.uz`,
          name: person.name,
          password: 'password-1',
          roles: person.roles,
        });
        expect(response.status).toBe(201);
        created.push(response.body);
        if (person.inactive) expect((await patch(response.body.id, { active: false })).status).toBe(200);
      }
    });

    const list = async (query: string) => {
      const response = await t().request('GET', `${USERS}?q=${marker}&${query}`, admin());
      expect(response.status, query).toBe(200);
      return response.body as { items: UserBody[]; total: number };
    };
    const names = (body: { items: UserBody[] }) => body.items.map((u) => u.name);

    it('answers { items, total }, paged by limit and offset', async () => {
      const first = await list('limit=2&offset=0');
      expect(first.total).toBe(5);
      expect(first.items).toHaveLength(2);
      const second = await list('limit=2&offset=2');
      const third = await list('limit=2&offset=4');
      expect(second.items).toHaveLength(2);
      expect(third.items).toHaveLength(1);
      expect(third.total).toBe(5);
      const all = [...first.items, ...second.items, ...third.items].map((u) => u.id);
      expect(new Set(all).size).toBe(5);
      expect(all.sort()).toEqual(created.map((u) => u.id).sort());

      const beyond = await list('offset=50');
      expect(beyond).toEqual({ items: [], total: 5 });
    });

    it('sorts by name by default, and by name, e-mail and creation time either way', async () => {
      const byName = [...people.map((p) => p.name)].sort();
      expect(names(await list(''))).toEqual(byName);
      expect(names(await list('sort=name'))).toEqual(byName);
      expect(names(await list('sort=-name'))).toEqual([...byName].reverse());

      const byEmail = (body: { items: UserBody[] }) => body.items.map((u) => u.email);
      const emails = created.map((u) => u.email).sort();
      expect(byEmail(await list('sort=email'))).toEqual(emails);
      expect(byEmail(await list('sort=-email'))).toEqual([...emails].reverse());

      // Created one after another, so creation order is the order above.
      expect(names(await list('sort=createdAt'))).toEqual(people.map((p) => p.name));
      expect(names(await list('sort=-createdAt'))).toEqual(people.map((p) => p.name).reverse());
    });

    it('finds users by part of the name or e-mail, whatever the case, taking % and _ literally', async () => {
      const byName = await t().request('GET', `${USERS}?q=${encodeURIComponent('QODIROVA')}`, admin());
      expect(byName.body.items.map((u: UserBody) => u.name)).toContain('Laylo Qodirova');
      expect(byName.body.items.every((u: UserBody) => /qodirova/i.test(u.name + u.email))).toBe(true);

      const byEmail = await t().request(
        'GET',
        `${USERS}?q=${encodeURIComponent(`E.${marker.toUpperCase()}`)}`,
        admin(),
      );
      expect(byEmail.body.items.map((u: UserBody) => u.name)).toEqual(['Aziz Nazarov']);

      const wildcard = await t().request('GET', `${USERS}?q=${encodeURIComponent('%')}`, admin());
      expect(wildcard.body.total).toBe(0);
      const underscore = await t().request('GET', `${USERS}?q=${encodeURIComponent(`${marker}_`)}`, admin());
      expect(underscore.body.total).toBe(0);
    });

    it('filters by role and by whether active', async () => {
      expect(names(await list('role=warehouse')).sort()).toEqual(['Kamola Rahimova', 'Laylo Qodirova']);
      expect(names(await list('role=hr')).sort()).toEqual(['Gulnora Saidova', 'Laylo Qodirova']);
      expect(await list('role=nonexistent')).toEqual({ items: [], total: 0 });

      const inactive = await list('active=false');
      expect(names(inactive)).toEqual(['Gulnora Saidova']);
      expect(inactive.items[0]!.active).toBe(false);
      expect((await list('active=true')).total).toBe(4);
      expect(names(await list('role=hr&active=true'))).toEqual(['Laylo Qodirova']);

      const admins = await t().request('GET', `${USERS}?role=admin`, admin());
      expect(admins.body.items.map((u: UserBody) => u.id)).toContain(t().admin.id);
    });

    it('refuses a limit over 500, a bad offset, an unknown sort field and a non-boolean filter', async () => {
      expect((await t().request('GET', `${USERS}?limit=500`, admin())).status).toBe(200);
      const cases: [string, string][] = [
        ['limit=501', 'limit'],
        ['limit=0', 'limit'],
        ['limit=ten', 'limit'],
        ['offset=-1', 'offset'],
        ['sort=password', 'sort'],
        ['sort=-passwordHash', 'sort'],
        ['active=maybe', 'active'],
      ];
      for (const [query, path] of cases) {
        const response = await t().request('GET', `${USERS}?${query}`, admin());
        expect(response.status, query).toBe(400);
        expect(response.body.error.code).toBe('VALIDATION_FAILED');
        expect(issuePaths(response), query).toEqual([path]);
      }
    });

    it('is refused to users without the right', async () => {
      const manager = await t().createUser(['sales_manager']);
      expect((await t().request('GET', USERS, { cookie: manager.cookie })).status).toBe(403);
      expect(
        (await t().request('GET', `${USERS}/${created[0]!.id}`, { cookie: manager.cookie })).status,
      ).toBe(403);
      expect((await t().request('GET', USERS)).status).toBe(401);
    });
  });

  describe('reading one user', () => {
    it('answers 404 for an unknown id and 400 for an id that is not a UUID', async () => {
      const unknown = await t().request('GET', `${USERS}/00000000-0000-4000-8000-000000000000`, admin());
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');

      const malformed = await t().request('GET', `${USERS}/42`, admin());
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
      expect(issuePaths(malformed)).toEqual(['id']);
    });
  });

  describe('changing users', () => {
    let user: TestUser;
    beforeAll(async () => {
      user = await t().createUser(['employee'], { name: 'Sardor Aliyev' });
    });

    it('changes name, roles (replacing them) and language', async () => {
      const response = await patch(user.id, {
        name: 'Sardor Aliev',
        roles: ['hr', 'warehouse'],
        locale: 'en',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: 'Sardor Aliev', roles: ['hr', 'warehouse'], locale: 'en' });
      const read = await t().request('GET', `${USERS}/${user.id}`, admin());
      expect(read.body).toMatchObject({ name: 'Sardor Aliev', roles: ['hr', 'warehouse'], locale: 'en' });

      const me = await t().request('GET', '/api/auth/me', { cookie: user.cookie });
      expect(me.body.user.roles).toEqual(['hr', 'warehouse']);
      // The user's messages now come in their new language.
      const forbidden = await t().request('GET', '/api/admin/roles', {
        cookie: user.cookie,
        headers: { 'accept-language': 'ru' },
      });
      expect(forbidden.body.error.message).toBe('You do not have the right to do this.');

      const cleared = await patch(user.id, { roles: [] });
      expect(cleared.body.roles).toEqual([]);
    });

    it('applies new roles to open sessions at once', async () => {
      const helper = await t().createUser(['employee']);
      expect((await t().request('GET', USERS, { cookie: helper.cookie })).status).toBe(403);
      expect((await patch(helper.id, { roles: ['employee', 'admin'] })).status).toBe(200);
      expect((await t().request('GET', USERS, { cookie: helper.cookie })).status).toBe(200);
      expect((await patch(helper.id, { roles: ['employee'] })).status).toBe(200);
      expect((await t().request('GET', USERS, { cookie: helper.cookie })).status).toBe(403);
    });

    it('resets the password: the user’s sessions end, the new password works and the old does not', async () => {
      const target = await t().createUser(['employee']);
      const response = await patch(target.id, { password: 'reset-by-admin-1' });
      expect(response.status).toBe(200);
      expect(JSON.stringify(response.body)).not.toContain('reset-by-admin-1');
      expect((await t().request('GET', '/api/auth/me', { cookie: target.cookie })).status).toBe(401);
      expect((await signIn(target.email, target.password)).status).toBe(401);
      expect((await signIn(target.email, 'reset-by-admin-1')).status).toBe(200);

      const short = await patch(target.id, { password: 'short' });
      expect(short.status).toBe(400);
      expect(issuePaths(short)).toEqual(['password']);
    });

    it('deactivating ends the user’s sessions and sign-ins; reactivating lets them sign in again', async () => {
      const target = await t().createUser(['sales_manager']);
      const second = await t().login(target.email, target.password);
      const off = await patch(target.id, { active: false });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      for (const cookie of [target.cookie, second]) {
        expect((await t().request('GET', '/api/auth/me', { cookie })).status).toBe(401);
      }
      const refused = await signIn(target.email, target.password);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('ACCOUNT_DISABLED');

      const on = await patch(target.id, { active: true });
      expect(on.body.active).toBe(true);
      // The old sessions stay ended; signing in again works.
      expect((await t().request('GET', '/api/auth/me', { cookie: target.cookie })).status).toBe(401);
      expect((await signIn(target.email, target.password)).status).toBe(200);
    });

    it('refuses an unknown role and leaves the user as they were', async () => {
      const before = await t().request('GET', `${USERS}/${user.id}`, admin());
      const response = await patch(user.id, { roles: ['nope_role'], name: 'Changed' });
      expect(response.status).toBe(400);
      expect(response.body.error.details.issues).toEqual([
        { path: 'roles.0', message: inUzbek('ROLE_UNKNOWN', { role: 'nope_role' }) },
      ]);
      const after = await t().request('GET', `${USERS}/${user.id}`, admin());
      expect(after.body).toEqual(before.body);
    });

    it('answers 404 for an unknown user, 400 for a malformed id or field, 403 without the right', async () => {
      const unknown = await patch('00000000-0000-4000-8000-000000000000', { name: 'Ghost' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('NOT_FOUND');

      const malformed = await patch('not-a-uuid', { name: 'Ghost' });
      expect(malformed.status).toBe(400);
      expect(issuePaths(malformed)).toEqual(['id']);

      const badFields = await patch(user.id, { active: 'no', name: '', locale: 'xx' });
      expect(badFields.status).toBe(400);
      expect(issuePaths(badFields).sort()).toEqual(['active', 'locale', 'name']);

      const other = await t().createUser(['sales_head']);
      const forbidden = await patch(user.id, { name: 'Hijacked' }, other.cookie);
      expect(forbidden.status).toBe(403);
      const read = await t().request('GET', `${USERS}/${user.id}`, admin());
      expect(read.body.name).not.toBe('Hijacked');
    });
  });

  describe('the last active administrator', () => {
    it('cannot be demoted or disabled (422 LAST_ADMIN), and nothing changes', async () => {
      expect(await activeAdmins(t())).toEqual([t().admin.id]);
      const before = await t().request('GET', `${USERS}/${t().admin.id}`, admin());
      const auditBefore = await t().request('GET', `/api/admin/audit?entityId=${t().admin.id}`, admin());

      for (const body of [
        { roles: ['employee'] },
        { roles: [] },
        { active: false },
        { active: false, roles: ['admin'] },
      ]) {
        const response = await patch(t().admin.id, { ...body, name: 'Renamed Admin' });
        expect(response.status, JSON.stringify(body)).toBe(422);
        expect(response.body.error.code).toBe('LAST_ADMIN');
        expect(response.body.error.message).toBe(inUzbek('LAST_ADMIN'));
      }

      const after = await t().request('GET', `${USERS}/${t().admin.id}`, admin());
      expect(after.body).toEqual(before.body);
      expect(after.body.name).toBe('Test Admin');
      const auditAfter = await t().request('GET', `/api/admin/audit?entityId=${t().admin.id}`, admin());
      expect(auditAfter.body.total).toBe(auditBefore.body.total);
      // The admin is still signed in and still an admin.
      expect((await t().request('GET', USERS, admin())).status).toBe(200);

      // Changes that keep them an active admin are fine.
      const kept = await patch(t().admin.id, { roles: ['admin', 'hr'] });
      expect(kept.status).toBe(200);
      expect((await patch(t().admin.id, { roles: ['admin'] })).status).toBe(200);
    });

    it('with two admins, one can be demoted and loses admin rights at once; then the other is the last', async () => {
      const second = await t().createUser(['admin']);
      expect(await activeAdmins(t())).toEqual([t().admin.id, second.id].sort());

      const demote = await patch(second.id, { roles: ['employee'] }, t().admin.cookie);
      expect(demote.status).toBe(200);
      expect(demote.body.roles).toEqual(['employee']);
      expect((await t().request('GET', USERS, { cookie: second.cookie })).status).toBe(403);

      const last = await patch(t().admin.id, { roles: ['employee'] });
      expect(last.status).toBe(422);
      expect(last.body.error.code).toBe('LAST_ADMIN');
      expect(await activeAdmins(t())).toEqual([t().admin.id]);
    });

    it('a disabled admin does not count as the remaining one', async () => {
      const dormant = await t().createUser(['admin']);
      expect((await patch(dormant.id, { active: false })).status).toBe(200);
      const response = await patch(t().admin.id, { active: false });
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('LAST_ADMIN');
      // Re-enabling the dormant admin is allowed and makes two again.
      expect((await patch(dormant.id, { active: true })).status).toBe(200);
      expect(await activeAdmins(t())).toEqual([t().admin.id, dormant.id].sort());
      // Clean up for the rest of this block: back to one administrator.
      expect((await patch(dormant.id, { roles: [] })).status).toBe(200);
    });

    it('an admin may demote themself while another admin remains', async () => {
      const other = await t().createUser(['admin']);
      const self = await patch(other.id, { roles: ['hr'] }, other.cookie);
      expect(self.status).toBe(200);
      expect((await t().request('GET', '/api/admin/roles', { cookie: other.cookie })).status).toBe(403);
      expect(await activeAdmins(t())).toEqual([t().admin.id]);
    });
  });
});

describeEachBackend('accounts: two admins demoting each other at once', (t) => {
  // On PostgreSQL both requests really run side by side; on PGlite they run one after the other.
  // Either way at most one may win, and an active administrator must remain.
  it('lets at most one of them succeed, in every round', async () => {
    const first: TestUser = { ...t().admin };
    const second = await t().createUser(['admin']);
    let a = { id: first.id, email: first.email, password: first.password, cookie: first.cookie };
    let b = { id: second.id, email: second.email, password: second.password, cookie: second.cookie };

    const changes = [
      { roles: ['employee'] },
      { active: false },
      { roles: [] },
      { active: false, roles: ['hr'] },
    ];
    for (const [round, change] of changes.entries()) {
      expect(await activeAdmins(t()), `round ${round} starts with two admins`).toEqual([a.id, b.id].sort());
      const [aOnB, bOnA] = await Promise.all([
        t().request('PATCH', `${USERS}/${b.id}`, { cookie: a.cookie, body: change }),
        t().request('PATCH', `${USERS}/${a.id}`, { cookie: b.cookie, body: change }),
      ]);
      const statuses = [aOnB.status, bOnA.status];
      expect(
        statuses.filter((s) => s === 200),
        `round ${round}: ${statuses}`,
      ).toHaveLength(1);
      const loser = aOnB.status === 200 ? bOnA : aOnB;
      // The loser is refused by the rule, or, when the winner committed before the loser's
      // request was even authorised, for no longer being an administrator.
      expect([422, 403, 401]).toContain(loser.status);
      if (loser.status === 422) expect(loser.body.error.code).toBe('LAST_ADMIN');

      const winner = aOnB.status === 200 ? a : b;
      const demoted = winner === a ? b : a;
      expect(await activeAdmins(t())).toEqual([winner.id]);

      // The winner restores the other for the next round.
      const restore = await t().request('PATCH', `${USERS}/${demoted.id}`, {
        cookie: winner.cookie,
        body: { roles: ['admin'], active: true },
      });
      expect(restore.status).toBe(200);
      const cookie = await t().login(demoted.email, demoted.password);
      if (demoted === a) a = { ...a, cookie };
      else b = { ...b, cookie };
    }
  });
});
