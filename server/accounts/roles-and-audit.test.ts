// Roles and their permissions (/api/admin/roles), delegated administration, and the audit
// log (/api/admin/audit) that records every change with who, what, before and after.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { coreMessages, createTranslator } from '../core/messages.js';
import { describeEachBackend, type TestResponse, type TestUser } from '../testing/test-suite.js';

const BUILTIN = ['admin', 'sales_head', 'sales_manager', 'warehouse', 'hr', 'employee'];
const ADMIN_PERMISSIONS = [
  'admin.audit.read',
  'admin.roles.read',
  'admin.roles.write',
  'admin.users.read',
  'admin.users.write',
];

// The test admin's language is Uzbek, and a signed-in user's language beats Accept-Language.
const translate = createTranslator([coreMessages]);
const inUzbek = (code: string, params?: Record<string, string>) => translate('uz', code, params);

type ValidationBody = { error: { details: { issues: { path: string; message: string }[] } } };
const issuePaths = (response: TestResponse<ValidationBody>) =>
  response.body.error.details.issues.map((i) => i.path);

type Role = { code: string; builtin: boolean; permissions: string[]; userCount: number };
type AuditEntry = {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

const tag = () => randomBytes(3).toString('hex');

describeEachBackend('accounts: roles and permissions', (t) => {
  const admin = () => ({ cookie: t().admin.cookie });
  const roles = async () => {
    const response = await t().request('GET', '/api/admin/roles', admin());
    expect(response.status).toBe(200);
    return response.body as { items: Role[]; total: number };
  };
  const role = async (code: string) => (await roles()).items.find((r) => r.code === code);
  const setPermissions = (code: string, permissions: unknown, cookie = t().admin.cookie) =>
    t().request('PUT', `/api/admin/roles/${code}/permissions`, { cookie, body: { permissions } });

  it('lists the six built-in roles with how many users hold each', async () => {
    const list = await roles();
    expect(list.total).toBe(list.items.length);
    const builtins = list.items.filter((r) => r.builtin).map((r) => r.code);
    expect(builtins.sort()).toEqual([...BUILTIN].sort());
    for (const item of list.items) expect(Number.isInteger(item.userCount)).toBe(true);
    expect(list.items.find((r) => r.code === 'admin')!.userCount).toBe(1);

    const hrBefore = (await role('hr'))!.userCount;
    await t().createUser(['hr']);
    await t().createUser(['hr', 'employee']);
    expect((await role('hr'))!.userCount).toBe(hrBefore + 2);
  });

  it('lists the permissions the modules declare', async () => {
    const response = await t().request('GET', '/api/admin/permissions', admin());
    expect(response.status).toBe(200);
    const admins = response.body.items.filter((p: { module: string }) => p.module === 'admin');
    expect(admins.map((p: { code: string }) => p.code).sort()).toEqual(ADMIN_PERMISSIONS);
    expect(response.body.total).toBe(response.body.items.length);
  });

  it('granting admin.users.read to employee lets employees list users at once, but not create them', async () => {
    const employee = await t().createUser(['employee']);
    const original = (await role('employee'))!.permissions;
    expect((await t().request('GET', '/api/admin/users', { cookie: employee.cookie })).status).toBe(403);

    const granted = await setPermissions('employee', [...original, 'admin.users.read']);
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ code: 'employee', builtin: true });
    expect(granted.body.permissions).toContain('admin.users.read');

    const list = await t().request('GET', '/api/admin/users', { cookie: employee.cookie });
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThan(0);
    const me = await t().request('GET', '/api/auth/me', { cookie: employee.cookie });
    expect(me.body.user.permissions).toContain('admin.users.read');

    const create = await t().request('POST', '/api/admin/users', {
      cookie: employee.cookie,
      body: { email: `by-employee-${tag()}@test.uz`, name: 'Nope', password: 'password-1' },
    });
    expect(create.status).toBe(403);
    expect(create.body.error).toMatchObject({
      code: 'FORBIDDEN',
      details: { permission: 'admin.users.write' },
    });
    expect((await t().request('GET', '/api/admin/audit', { cookie: employee.cookie })).status).toBe(403);

    // Taking the grant back takes effect at once too.
    const revoked = await setPermissions('employee', original);
    expect(revoked.body.permissions).toEqual(original);
    expect((await t().request('GET', '/api/admin/users', { cookie: employee.cookie })).status).toBe(403);
  });

  it('refuses an unknown permission (400 naming it) and leaves the role as it was', async () => {
    const before = await role('warehouse');
    const response = await setPermissions('warehouse', ['admin.users.read', 'crm.clients.fly']);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.issues).toEqual([
      { path: 'permissions.1', message: inUzbek('PERMISSION_UNKNOWN', { permission: 'crm.clients.fly' }) },
    ]);
    expect(await role('warehouse')).toEqual(before);

    const notAList = await setPermissions('warehouse', 'admin.users.read');
    expect(notAList.status).toBe(400);
    expect(issuePaths(notAList)).toEqual(['permissions']);
  });

  it('keeps the admin role locked (422 ROLE_LOCKED) and answers 404 for an unknown role', async () => {
    const locked = await setPermissions('admin', ['admin.users.read']);
    expect(locked.status).toBe(422);
    expect(locked.body.error.code).toBe('ROLE_LOCKED');
    expect(locked.body.error.message).toBe(inUzbek('ROLE_LOCKED'));
    // The admin still holds every permission.
    expect((await t().request('GET', '/api/admin/audit', admin())).status).toBe(200);

    const unknown = await setPermissions('no_such_role', []);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it('two admins saving one role’s permissions at once both succeed, and one version wins whole', async () => {
    const code = `parallel_${tag()}`;
    expect((await t().request('POST', '/api/admin/roles', { ...admin(), body: { code } })).status).toBe(201);
    const second = await t().createUser(['admin']);
    const a = ['admin.users.read', 'admin.roles.read'];
    const b = ['admin.users.read', 'admin.audit.read'];
    const responses = await Promise.all([setPermissions(code, a), setPermissions(code, b, second.cookie)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const saved = (await role(code))!.permissions;
    expect([[...a].sort(), [...b].sort()]).toContainEqual(saved);
  });

  it('creates a custom role that can be given to users', async () => {
    const code = `sales_intern_${tag()}`;
    const created = await t().request('POST', '/api/admin/roles', {
      ...admin(),
      body: { code, permissions: ['admin.users.read', 'admin.users.read'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ code, builtin: false, permissions: ['admin.users.read'], userCount: 0 });
    expect(await role(code)).toEqual(created.body);

    const intern = await t().createUser([code]);
    expect((await t().request('GET', '/api/admin/users', { cookie: intern.cookie })).status).toBe(200);
    expect((await role(code))!.userCount).toBe(1);
  });

  it('refuses a role that exists (409 ROLE_EXISTS), built-in or custom, and a malformed code', async () => {
    const code = `dup_${tag()}`;
    expect((await t().request('POST', '/api/admin/roles', { ...admin(), body: { code } })).status).toBe(201);
    for (const existing of [code, 'employee', 'admin']) {
      const response = await t().request('POST', '/api/admin/roles', {
        ...admin(),
        body: { code: existing, permissions: ['admin.audit.read'] },
      });
      expect(response.status, existing).toBe(409);
      expect(response.body.error.code).toBe('ROLE_EXISTS');
      expect(response.body.error.message).toBe(inUzbek('ROLE_EXISTS', { role: existing }));
    }
    // The refused attempts granted nothing.
    expect((await role(code))!.permissions).toEqual([]);
    expect((await role('employee'))!.permissions).not.toContain('admin.audit.read');

    for (const bad of ['Sales Intern', 'x', '1role', 'роль']) {
      const response = await t().request('POST', '/api/admin/roles', { ...admin(), body: { code: bad } });
      expect(response.status, bad).toBe(400);
      expect(issuePaths(response)).toEqual(['code']);
    }
  });

  it('is for those with the roles rights only', async () => {
    const manager = await t().createUser(['sales_manager']);
    expect((await t().request('GET', '/api/admin/roles', { cookie: manager.cookie })).status).toBe(403);
    const create = await t().request('POST', '/api/admin/roles', {
      cookie: manager.cookie,
      body: { code: 'mine' },
    });
    expect(create.status).toBe(403);
    expect((await setPermissions('sales_manager', ADMIN_PERMISSIONS, manager.cookie)).status).toBe(403);
    expect((await role('sales_manager'))!.permissions).not.toContain('admin.users.write');
    expect(await role('mine')).toBeUndefined();
  });
});

describeEachBackend('accounts: delegated administration hands out no more than it holds', (t) => {
  // A user manager who is not an admin: may read and write users, nothing else.
  let manager: TestUser;
  let roleManager: TestUser;
  beforeAll(async () => {
    const admin = { cookie: t().admin.cookie };
    for (const [code, permissions] of [
      ['user_manager', ['admin.users.read', 'admin.users.write']],
      ['role_manager', ['admin.roles.read', 'admin.roles.write']],
      ['auditor', ['admin.audit.read']],
      // A role with no permissions: built-in roles gain permissions as modules are installed.
      ['visitor', []],
    ] as const) {
      const response = await t().request('POST', '/api/admin/roles', {
        ...admin,
        body: { code, permissions },
      });
      expect(response.status).toBe(201);
    }
    manager = await t().createUser(['user_manager']);
    roleManager = await t().createUser(['role_manager']);
  });

  const asManager = (method: string, url: string, body?: unknown) =>
    t().request(method, url, { cookie: manager.cookie, body });

  it('creates and changes users with roles within its own rights', async () => {
    const created = await asManager('POST', '/api/admin/users', {
      email: `delegate-${tag()}@test.uz`,
      name: 'Delegated',
      password: 'password-1',
      roles: ['visitor', 'user_manager'],
    });
    expect(created.status).toBe(201);
    const changed = await asManager('PATCH', `/api/admin/users/${created.body.id}`, {
      roles: ['visitor'],
      password: 'password-2',
    });
    expect(changed.status).toBe(200);
  });

  it('cannot make anyone an administrator, itself included', async () => {
    const email = `would-be-admin-${tag()}@test.uz`;
    const create = await asManager('POST', '/api/admin/users', {
      email,
      name: 'Would-be Admin',
      password: 'password-1',
      roles: ['admin'],
    });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe('FORBIDDEN');
    expect(
      (await t().request('POST', '/api/auth/login', { body: { email, password: 'password-1' } })).status,
    ).toBe(401);

    const self = await asManager('PATCH', `/api/admin/users/${manager.id}`, {
      roles: ['user_manager', 'admin'],
    });
    expect(self.status).toBe(403);
    const me = await t().request('GET', '/api/auth/me', { cookie: manager.cookie });
    expect(me.body.user.roles).toEqual(['user_manager']);
  });

  it('cannot give a role holding permissions it lacks', async () => {
    const response = await asManager('PATCH', `/api/admin/users/${manager.id}`, {
      roles: ['user_manager', 'auditor'],
    });
    expect(response.status).toBe(403);
    expect(response.body.error.details).toEqual({ permission: 'admin.audit.read' });
    expect((await t().request('GET', '/api/admin/audit', { cookie: manager.cookie })).status).toBe(403);
  });

  it('cannot take over an administrator’s account: no password reset, no disabling, no demotion', async () => {
    for (const change of [
      { password: 'taken-over-1' },
      { active: false },
      { roles: ['employee'] },
      { name: 'x' },
    ]) {
      const response = await asManager('PATCH', `/api/admin/users/${t().admin.id}`, change);
      expect(response.status, JSON.stringify(change)).toBe(403);
    }
    expect(
      (
        await t().request('POST', '/api/auth/login', {
          body: { email: t().admin.email, password: 'taken-over-1' },
        })
      ).status,
    ).toBe(401);
    expect((await t().request('GET', '/api/auth/me', { cookie: t().admin.cookie })).status).toBe(200);
  });

  it('cannot take over an account that holds more than it does', async () => {
    const auditor = await t().createUser(['auditor']);
    const response = await asManager('PATCH', `/api/admin/users/${auditor.id}`, { password: 'taken-over-2' });
    expect(response.status).toBe(403);
    expect((await t().request('GET', '/api/auth/me', { cookie: auditor.cookie })).status).toBe(200);
  });

  it('a role manager grants roles only permissions it holds, and may keep ones a role already has', async () => {
    const own = await t().request('PUT', '/api/admin/roles/employee/permissions', {
      cookie: roleManager.cookie,
      body: { permissions: ['admin.roles.read'] },
    });
    expect(own.status).toBe(200);

    const beyond = await t().request('PUT', '/api/admin/roles/employee/permissions', {
      cookie: roleManager.cookie,
      body: { permissions: ['admin.roles.read', 'admin.users.write'] },
    });
    expect(beyond.status).toBe(403);
    expect(beyond.body.error.details).toEqual({ permission: 'admin.users.write' });

    const newRole = await t().request('POST', '/api/admin/roles', {
      cookie: roleManager.cookie,
      body: { code: `sneaky_${tag()}`, permissions: ['admin.audit.read'] },
    });
    expect(newRole.status).toBe(403);

    // user_manager already holds admin.users.*: removing one and keeping the other is fine.
    const keep = await t().request('PUT', '/api/admin/roles/user_manager/permissions', {
      cookie: roleManager.cookie,
      body: { permissions: ['admin.users.read'] },
    });
    expect(keep.status).toBe(200);
    expect(keep.body.permissions).toEqual(['admin.users.read']);
    await t().request('PUT', '/api/admin/roles/user_manager/permissions', {
      cookie: t().admin.cookie,
      body: { permissions: ['admin.users.read', 'admin.users.write'] },
    });
  });
});

describeEachBackend('accounts: the audit log', (t) => {
  const admin = () => ({ cookie: t().admin.cookie });
  const audit = async (query: string) => {
    const response = await t().request('GET', `/api/admin/audit?${query}`, admin());
    expect(response.status, query).toBe(200);
    return response.body as { items: AuditEntry[]; total: number };
  };
  /** The one entry of an action on an entity, with the request that made it. */
  const entryOf = async (action: string, entityId: string, requestId: string) => {
    const { items } = await audit(`action=${action}&entityId=${encodeURIComponent(entityId)}`);
    const matching = items.filter((i) => i.requestId === requestId);
    expect(matching, `${action} ${entityId} ${requestId}`).toHaveLength(1);
    return matching[0]!;
  };
  const requestIdOf = (response: TestResponse) => String(response.headers['x-request-id']);

  let user: TestUser;
  const secrets: string[] = [];
  beforeAll(async () => {
    user = await t().createUser(['sales_manager'], { name: 'Audited Person' });
    secrets.push(t().admin.password, user.password);
  });

  it('records user administration with actor, action, entity, before, after and the request id', async () => {
    const email = `audited-${tag()}@test.uz`;
    const created = await t().request('POST', '/api/admin/users', {
      ...admin(),
      body: { email, name: 'Malika Tosheva', password: 'audited-password-1', roles: ['warehouse'] },
    });
    secrets.push('audited-password-1');
    expect(created.status).toBe(201);
    expect(requestIdOf(created)).toMatch(/^[0-9a-f-]{36}$/);
    const createEntry = await entryOf('admin.createUser', created.body.id, requestIdOf(created));
    expect(createEntry).toMatchObject({
      actorId: t().admin.id,
      actorName: 'Test Admin',
      action: 'admin.createUser',
      entity: 'user',
      entityId: created.body.id,
      before: null,
      after: { email, name: 'Malika Tosheva', locale: 'uz', active: true, roles: ['warehouse'] },
    });
    expect(Number.isNaN(Date.parse(createEntry.at))).toBe(false);

    // A request id the caller sends is kept, answered back and recorded.
    const updated = await t().request('PATCH', `/api/admin/users/${created.body.id}`, {
      ...admin(),
      headers: { 'x-request-id': `ticket-${tag()}.fix:1` },
      body: {
        name: 'Malika Karimova',
        roles: ['warehouse', 'hr'],
        active: false,
        password: 'audited-password-2',
      },
    });
    secrets.push('audited-password-2');
    expect(updated.status).toBe(200);
    expect(requestIdOf(updated)).toMatch(/^ticket-\w+\.fix:1$/);
    const updateEntry = await entryOf('admin.updateUser', created.body.id, requestIdOf(updated));
    expect(updateEntry.before).toEqual({
      email,
      name: 'Malika Tosheva',
      locale: 'uz',
      active: true,
      roles: ['warehouse'],
    });
    expect(updateEntry.after).toEqual({
      email,
      name: 'Malika Karimova',
      locale: 'uz',
      active: false,
      roles: ['hr', 'warehouse'],
      credentialsReset: true,
    });
  });

  it('records roles created and granted', async () => {
    const code = `audited_role_${tag()}`;
    const created = await t().request('POST', '/api/admin/roles', {
      ...admin(),
      body: { code, permissions: ['admin.users.read'] },
    });
    expect(created.status).toBe(201);
    const createEntry = await entryOf('admin.createRole', code, requestIdOf(created));
    expect(createEntry).toMatchObject({
      entity: 'role',
      actorId: t().admin.id,
      before: null,
      after: { code, builtin: false, permissions: ['admin.users.read'], userCount: 0 },
    });

    const granted = await t().request('PUT', `/api/admin/roles/${code}/permissions`, {
      ...admin(),
      body: { permissions: ['admin.users.read', 'admin.audit.read'] },
    });
    expect(granted.status).toBe(200);
    const grantEntry = await entryOf('admin.setRolePermissions', code, requestIdOf(granted));
    expect(grantEntry.before).toEqual({ permissions: ['admin.users.read'] });
    expect(grantEntry.after).toEqual({ permissions: ['admin.audit.read', 'admin.users.read'] });
  });

  it('records a user’s own sign-in, profile and password changes, and API tokens', async () => {
    const login = await t().request('POST', '/api/auth/login', {
      body: { email: user.email, password: user.password },
    });
    expect(login.status).toBe(200);
    const loginEntry = await entryOf('auth.login', user.id, requestIdOf(login));
    expect(loginEntry).toMatchObject({ actorId: user.id, actorName: 'Audited Person', entity: 'session' });

    const renamed = await t().request('PATCH', '/api/auth/me', {
      cookie: user.cookie,
      body: { name: 'Audited Again' },
    });
    const renameEntry = await entryOf('auth.updateMe', user.id, requestIdOf(renamed));
    expect(renameEntry).toMatchObject({
      actorId: user.id,
      entity: 'user',
      before: { name: 'Audited Person', locale: 'uz' },
      after: { name: 'Audited Again', locale: 'uz', credentialsChanged: false },
    });

    const changed = await t().request('PATCH', '/api/auth/me', {
      cookie: user.cookie,
      body: { currentPassword: user.password, password: 'audited-password-3' },
    });
    secrets.push('audited-password-3');
    expect(changed.status).toBe(200);
    const changeEntry = await entryOf('auth.updateMe', user.id, requestIdOf(changed));
    // The log tells that the password changed, without telling the password.
    expect(changeEntry.after).toEqual({ name: 'Audited Again', locale: 'uz', credentialsChanged: true });

    const token = await t().request('POST', '/api/auth/tokens', {
      cookie: user.cookie,
      body: { name: 'audited token' },
    });
    expect(token.status).toBe(201);
    secrets.push(token.body.token, token.body.token.slice(4));
    const tokenEntry = await entryOf('auth.createToken', token.body.id, requestIdOf(token));
    expect(tokenEntry).toMatchObject({
      entity: 'apiToken',
      actorId: user.id,
      before: null,
      after: { name: 'audited token' },
    });

    const revoked = await t().request('DELETE', `/api/auth/tokens/${token.body.id}`, { cookie: user.cookie });
    expect(revoked.status).toBe(204);
    const revokeEntry = await entryOf('auth.revokeToken', token.body.id, requestIdOf(revoked));
    expect(revokeEntry).toMatchObject({ entity: 'apiToken', before: { name: 'audited token' }, after: null });
  });

  it('never shows a password, a password hash or a token secret', async () => {
    // Runs after the writes above: every secret they used is in `secrets`.
    expect(secrets.length).toBeGreaterThan(5);
    const hashes = await t().db.selectFrom('core_users').select('password_hash').execute();
    const tokenHashes = await t().db.selectFrom('core_api_tokens').select('token_hash').execute();
    const response = await t().request('GET', '/api/admin/audit?limit=500', admin());
    expect(response.body.total).toBeLessThanOrEqual(500);
    const text = JSON.stringify(response.body);
    for (const secret of secrets) expect(text).not.toContain(secret);
    for (const { password_hash } of hashes as { password_hash: string }[]) {
      expect(text).not.toContain(password_hash);
      expect(text).not.toContain(password_hash.split('$').pop());
    }
    for (const { token_hash } of tokenHashes as { token_hash: string }[])
      expect(text).not.toContain(token_hash);
    expect(text).not.toContain('scrypt$');
  });

  it('filters by entity, entity id, actor and action', async () => {
    const byEntity = await audit('entity=role');
    expect(byEntity.total).toBeGreaterThan(0);
    expect(byEntity.items.every((i) => i.entity === 'role')).toBe(true);

    const byEntityId = await audit(`entityId=${user.id}`);
    expect(byEntityId.items.every((i) => i.entityId === user.id)).toBe(true);
    expect(new Set(byEntityId.items.map((i) => i.action))).toEqual(
      new Set(['admin.createUser', 'auth.login', 'auth.updateMe']),
    );

    const byActor = await audit(`actorId=${user.id}`);
    expect(byActor.total).toBeGreaterThan(0);
    expect(byActor.items.every((i) => i.actorId === user.id)).toBe(true);
    expect(byActor.items.map((i) => i.action)).toContain('auth.createToken');
    expect(byActor.items.map((i) => i.action)).not.toContain('admin.createUser');

    const byAction = await audit('action=admin.createUser');
    expect(byAction.total).toBeGreaterThan(0);
    expect(byAction.items.every((i) => i.action === 'admin.createUser')).toBe(true);

    const combined = await audit(`entity=user&action=auth.updateMe&actorId=${user.id}`);
    expect(combined.total).toBe(2);

    expect(await audit('entity=nothing_like_this')).toEqual({ items: [], total: 0 });
    const text = await audit(`q=${encodeURIComponent('audited_role_')}`);
    expect(text.total).toBeGreaterThan(0);
    expect(text.items.every((i) => i.entityId.startsWith('audited_role_'))).toBe(true);
  });

  it('filters by time: from inclusive, to exclusive, any UTC offset', async () => {
    const codes = [`timed_a_${tag()}`, `timed_b_${tag()}`, `timed_c_${tag()}`];
    const days = ['2021-03-01T10:00:00.000Z', '2021-03-02T10:00:00.000Z', '2021-03-03T10:00:00.000Z'];
    for (const [i, code] of codes.entries()) {
      expect((await t().request('POST', '/api/admin/roles', { ...admin(), body: { code } })).status).toBe(
        201,
      );
      // Move the entry to a known moment, so the bounds below do not depend on the clock.
      await t().db.updateTable('core_audit_log').set({ at: days[i] }).where('entity_id', '=', code).execute();
    }
    const between = async (from: string, to: string) =>
      (await audit(`entity=role&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).items
        .map((i) => i.entityId)
        .sort();

    expect(await between('2021-03-02T00:00:00Z', '2021-03-03T00:00:00Z')).toEqual([codes[1]]);
    expect(await between('2021-03-02T10:00:00.000Z', '2021-03-04T00:00:00Z')).toEqual([codes[1], codes[2]]);
    expect(await between('2021-01-01T00:00:00Z', '2021-03-02T10:00:00Z')).toEqual([codes[0]]);
    // 15:00 in Tashkent (UTC+5) is 10:00 UTC.
    expect(await between('2021-03-02T15:00:00+05:00', '2021-03-03T15:00:00+05:00')).toEqual([codes[1]]);
    expect(await between('2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z')).toEqual([]);

    const entry = (await audit(`entityId=${codes[0]}`)).items[0]!;
    expect(entry.at).toBe(days[0]);
  });

  it('pages newest first by default, and sorts by time, action or entity', async () => {
    const all = await audit('limit=500');
    expect(all.total).toBe(all.items.length);
    const times = all.items.map((i) => i.at);
    expect(times).toEqual([...times].sort().reverse());

    const pages = [];
    for (let offset = 0; offset < all.total; offset += 3) {
      const page = await audit(`limit=3&offset=${offset}`);
      expect(page.total).toBe(all.total);
      expect(page.items.length).toBeLessThanOrEqual(3);
      pages.push(...page.items.map((i) => i.id));
    }
    expect(pages).toEqual(all.items.map((i) => i.id));

    const oldestFirst = await audit('sort=at&limit=500');
    expect(oldestFirst.items.map((i) => i.id)).toEqual(all.items.map((i) => i.id).reverse());
    const byAction = (await audit('sort=action&limit=500')).items.map((i) => i.action);
    expect(byAction).toEqual([...byAction].sort());
    const byEntity = (await audit('sort=-entity&limit=500')).items.map((i) => i.entity);
    expect(byEntity).toEqual([...byEntity].sort().reverse());
  });

  it('refuses malformed filters with 400 naming them', async () => {
    const cases: [string, string][] = [
      ['actorId=someone', 'actorId'],
      ['from=yesterday', 'from'],
      ['to=2021-13-01T00:00:00Z', 'to'],
      ['limit=501', 'limit'],
      ['sort=actorName', 'sort'],
    ];
    for (const [query, path] of cases) {
      const response = await t().request('GET', `/api/admin/audit?${query}`, admin());
      expect(response.status, query).toBe(400);
      expect(issuePaths(response)).toEqual([path]);
    }
  });

  it('a failed write leaves no entry', async () => {
    const before = await audit('limit=1');
    const code = `rolled_back_${tag()}`;
    // The role row is inserted before the unknown permission is noticed: the whole write rolls back.
    const role = await t().request('POST', '/api/admin/roles', {
      ...admin(),
      body: { code, permissions: ['admin.users.read', 'no.such.permission'] },
    });
    expect(role.status).toBe(400);
    const roles = await t().request('GET', '/api/admin/roles', admin());
    expect(roles.body.items.map((r: Role) => r.code)).not.toContain(code);
    expect(await audit(`entityId=${code}`)).toEqual({ items: [], total: 0 });

    const taken = await t().request('POST', '/api/admin/users', {
      ...admin(),
      body: { email: user.email, name: 'Duplicate', password: 'password-1' },
    });
    expect(taken.status).toBe(409);
    const wrong = await t().request('PATCH', '/api/auth/me', {
      cookie: user.cookie,
      body: { currentPassword: 'not-it', password: 'password-9' },
    });
    expect(wrong.status).toBe(400);
    const revoke = await t().request('DELETE', '/api/auth/tokens/00000000-0000-4000-8000-000000000000', {
      cookie: user.cookie,
    });
    expect(revoke.status).toBe(404);

    const after = await audit('limit=1');
    expect(after.total).toBe(before.total);
    expect(after.items[0]!.id).toBe(before.items[0]!.id);
  });

  it('lists each kind of record the log holds once, with the module that wrote it', async () => {
    const email = `kinds-${tag()}@test.uz`;
    await t().request('POST', '/api/admin/users', {
      ...admin(),
      body: { email, name: 'Kinds', password: 'kinds-password-1', roles: [] },
    });
    const response = await t().request('GET', '/api/admin/audit/entities', admin());
    expect(response.status).toBe(200);
    const items = (response.body as { items: { entity: string; module: string }[] }).items;
    expect(items.map((i) => i.entity)).toContain('user');
    // Exactly the distinct kinds, in order: what a full scan would find.
    const distinct = await sql<{ entity: string }>`
      select distinct entity from core_audit_log order by entity`.execute(t().db);
    expect(items.map((i) => i.entity)).toEqual(distinct.rows.map((r) => r.entity));
    // Each with a module that did write one (several may: users come from core and admin).
    for (const { entity, module } of items) {
      const written = await sql<{ n: number }>`
        select count(*)::int as n from core_audit_log
        where entity = ${entity} and action like ${`${module}.%`}`.execute(t().db);
      expect(written.rows[0]!.n, `${entity} by ${module}`).toBeGreaterThan(0);
    }

    expect((await t().request('GET', '/api/admin/audit/entities', { cookie: user.cookie })).status).toBe(403);
  });

  it('is for those with admin.audit.read only', async () => {
    const forbidden = await t().request('GET', '/api/admin/audit', { cookie: user.cookie });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toMatchObject({
      code: 'FORBIDDEN',
      details: { permission: 'admin.audit.read' },
    });
    expect((await t().request('GET', '/api/admin/audit')).status).toBe(401);

    const code = `auditor_${tag()}`;
    await t().request('POST', '/api/admin/roles', {
      ...admin(),
      body: { code, permissions: ['admin.audit.read'] },
    });
    const auditor = await t().createUser([code]);
    expect((await t().request('GET', '/api/admin/audit', { cookie: auditor.cookie })).status).toBe(200);
    expect((await t().request('GET', '/api/admin/users', { cookie: auditor.cookie })).status).toBe(403);
  });
});
