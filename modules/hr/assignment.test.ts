// The lookups the BPM engine assigns work with: hr.getEmployee, hr.getManager (the manager, else
// the department head up the tree) and hr.resolveCandidateGroup (a role or a department code).
import { beforeAll, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeDepartment, makeEmployee, tag } from './test-helpers.js';

type Manager = { manager: { employeeId: string; email: string | null; source: string } | null };
type Group = { kind: string; users: { userId: string; email: string; employeeId: string | null }[] };

describeEachBackend('hr: assignment for processes', (t) => {
  const call = <T>(name: string, input: unknown) =>
    t().suite.registry.call<T>(name, input, { actor: SYSTEM_ACTOR });
  let top: { id: string; code: string };
  let middle: { id: string; code: string };
  let bottom: { id: string; code: string };
  let director: { id: string };
  let directorUser: { id: string; email: string };

  beforeAll(async () => {
    top = await makeDepartment(t(), { code: `rahbariyat_${tag()}` });
    middle = await makeDepartment(t(), { parentId: top.id, code: `savdo_${tag()}` });
    bottom = await makeDepartment(t(), { parentId: middle.id, code: `chakana_${tag()}` });
    directorUser = await t().createUser(['employee']);
    director = await makeEmployee(t(), {
      departmentId: top.id,
      userId: directorUser.id,
      position: 'Direktor',
    });
    await t().request('PATCH', `/api/hr/departments/${top.id}`, {
      cookie: t().admin.cookie,
      body: { headEmployeeId: director.id },
    });
  });

  it('getEmployee answers by id or by the linked user', async () => {
    const byUser = await call<{ id: string }>('hr.getEmployee', { userId: directorUser.id });
    expect(byUser.id).toBe(director.id);
    await expect(call('hr.getEmployee', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('getManager: the own manager first, else the department head, walking up past departments without one', async () => {
    const middleHead = await makeEmployee(t(), { departmentId: middle.id });
    const clerk = await makeEmployee(t(), { departmentId: bottom.id });
    // bottom has no head, middle has none yet: the director of the top department.
    let found = await call<Manager>('hr.getManager', { employeeId: clerk.id });
    expect(found.manager).toMatchObject({
      employeeId: director.id,
      source: 'department_head',
      email: directorUser.email,
    });
    await t().request('PATCH', `/api/hr/departments/${middle.id}`, {
      cookie: t().admin.cookie,
      body: { headEmployeeId: middleHead.id },
    });
    found = await call<Manager>('hr.getManager', { employeeId: clerk.id });
    expect(found.manager).toMatchObject({
      employeeId: middleHead.id,
      source: 'department_head',
      email: null,
    });
    // The head of a department is not their own manager: the one above is.
    found = await call<Manager>('hr.getManager', { employeeId: middleHead.id });
    expect(found.manager?.employeeId).toBe(director.id);
    // An explicit manager wins; a dismissed one does not count.
    const lead = await makeEmployee(t(), { departmentId: bottom.id });
    await t().request('PATCH', `/api/hr/employees/${clerk.id}`, {
      cookie: t().admin.cookie,
      body: { managerId: lead.id },
    });
    found = await call<Manager>('hr.getManager', { employeeId: clerk.id });
    expect(found.manager).toMatchObject({ employeeId: lead.id, source: 'manager' });
    await t().request('POST', `/api/hr/employees/${lead.id}/dismiss`, {
      cookie: t().admin.cookie,
      body: { date: '2025-01-01' },
    });
    found = await call<Manager>('hr.getManager', { employeeId: clerk.id });
    expect(found.manager?.employeeId).toBe(middleHead.id);
    // Nobody above the director.
    expect((await call<Manager>('hr.getManager', { employeeId: director.id })).manager).toBeNull();
    // Over HTTP too.
    const http = await t().request('GET', `/api/hr/employees/${clerk.id}/manager`, {
      cookie: t().admin.cookie,
    });
    expect(http.body.manager.employeeId).toBe(middleHead.id);
  });

  it('resolveCandidateGroup: a role code to its holders, a department code to its (and sub-departments’) linked employees', async () => {
    const keeper = await t().createUser(['warehouse']);
    const role = await call<Group>('hr.resolveCandidateGroup', { group: 'warehouse' });
    expect(role.kind).toBe('role');
    expect(role.users.map((u) => u.userId)).toContain(keeper.id);

    const seller = await t().createUser(['sales_manager']);
    const sellerEmployee = await makeEmployee(t(), { departmentId: bottom.id, userId: seller.id });
    await makeEmployee(t(), { departmentId: bottom.id }); // no user: not a candidate
    const gone = await t().createUser(['employee']);
    const goneEmployee = await makeEmployee(t(), { departmentId: middle.id, userId: gone.id });
    await t().request('POST', `/api/hr/employees/${goneEmployee.id}/dismiss`, {
      cookie: t().admin.cookie,
      body: { date: '2025-01-01' },
    });
    const group = await call<Group>('hr.resolveCandidateGroup', { group: middle.code.toUpperCase() });
    expect(group.kind).toBe('department');
    expect(group.users).toEqual([
      { userId: seller.id, email: seller.email, name: expect.any(String), employeeId: sellerEmployee.id },
    ]);
    const whole = await call<Group>('hr.resolveCandidateGroup', { group: top.code });
    expect(whole.users.map((u) => u.userId).sort()).toEqual([directorUser.id, seller.id].sort());

    expect(await call<Group>('hr.resolveCandidateGroup', { group: `nobody_${tag()}` })).toMatchObject({
      kind: 'none',
      users: [],
    });
  });
});
