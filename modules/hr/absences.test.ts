// Absences through /api/hr: dates in order, no overlaps, the vacation balance, who may
// request, approve, reject and cancel, and the events and audit entries they leave.
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import { describeEachBackend, type TestUser } from '../../server/testing/test-suite.js';
import { issuePaths, makeDepartment, makeEmployee } from './test-helpers.js';

describeEachBackend('hr: absences', (t) => {
  const admin = () => ({ cookie: t().admin.cookie });
  let departmentId: string;
  const absence = (body: Record<string, unknown>, cookie = t().admin.cookie) =>
    t().request('POST', '/api/hr/absences', { cookie, body });

  beforeAll(async () => {
    departmentId = (await makeDepartment(t())).id;
  });

  it('refuses from after to with 400 at "to", and an unknown type', async () => {
    const e = await makeEmployee(t(), { departmentId });
    const response = await absence({
      employeeId: e.id,
      type: 'vacation',
      from: '2026-05-10',
      to: '2026-05-01',
    });
    expect(response.status).toBe(400);
    expect(issuePaths(response.body)).toEqual(['to']);
    expect(response.body.error.details.issues[0].message).toMatch(/Tugash sanasi/);
    const type = await absence({ employeeId: e.id, type: 'holiday', from: '2026-05-01', to: '2026-05-01' });
    expect(issuePaths(type.body)).toEqual(['type']);
  });

  it('refuses an overlapping absence with 409 ABSENCE_OVERLAP naming the other, but not a cancelled one', async () => {
    const e = await makeEmployee(t(), { departmentId });
    const first = await absence({ employeeId: e.id, type: 'trip', from: '2026-04-06', to: '2026-04-10' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'requested', days: 5, type: 'trip' });
    const overlap = await absence({ employeeId: e.id, type: 'sick', from: '2026-04-10', to: '2026-04-12' });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.code).toBe('ABSENCE_OVERLAP');
    expect(overlap.body.error.details).toMatchObject({
      absenceId: first.body.id,
      from: '2026-04-06',
      to: '2026-04-10',
    });
    expect(overlap.body.error.message).toContain('xizmat safari');
    const next = await absence({ employeeId: e.id, type: 'sick', from: '2026-04-11', to: '2026-04-12' });
    expect(next.status).toBe(201);
    const cancel = await t().request('POST', `/api/hr/absences/${first.body.id}/cancel`, admin());
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancelled');
    expect(
      (await absence({ employeeId: e.id, type: 'vacation', from: '2026-04-08', to: '2026-04-09' })).status,
    ).toBe(201);
  });

  it('keeps vacations within the allowance (21 days by default, settable per year) with 422 VACATION_BALANCE_EXCEEDED', async () => {
    const e = await makeEmployee(t(), { departmentId });
    const balanceUrl = `/api/hr/employees/${e.id}/vacation-balance?year=2026`;
    expect((await t().request('GET', balanceUrl, admin())).body).toMatchObject({
      allowance: 21,
      remaining: 21,
    });
    expect(
      (await absence({ employeeId: e.id, type: 'vacation', from: '2026-07-01', to: '2026-07-14' })).status,
    ).toBe(201);
    const tooMuch = await absence({
      employeeId: e.id,
      type: 'vacation',
      from: '2026-08-01',
      to: '2026-08-08',
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('VACATION_BALANCE_EXCEEDED');
    expect(tooMuch.body.error.details).toMatchObject({ year: 2026, remaining: 7, requested: 8 });
    // Sick leave does not count against the allowance.
    expect(
      (await absence({ employeeId: e.id, type: 'sick', from: '2026-08-01', to: '2026-08-20' })).status,
    ).toBe(201);
    const set = await t().request('PUT', `/api/hr/employees/${e.id}/vacation-allowance`, {
      ...admin(),
      body: { year: 2026, days: 30 },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ allowance: 30, requested: 14, remaining: 16 });
    expect(
      (await absence({ employeeId: e.id, type: 'vacation', from: '2026-09-01', to: '2026-09-08' })).status,
    ).toBe(201);
    // A vacation across new year counts each day in its own year.
    const across = await absence({
      employeeId: e.id,
      type: 'vacation',
      from: '2026-12-28',
      to: '2027-01-10',
    });
    expect(across.status).toBe(201);
    expect((await t().request('GET', balanceUrl, admin())).body).toMatchObject({
      requested: 26,
      remaining: 4,
    });
    const next = await t().request('GET', `/api/hr/employees/${e.id}/vacation-balance?year=2027`, admin());
    expect(next.body).toMatchObject({ allowance: 21, requested: 10, remaining: 11 });
  });

  describe('who may do what', () => {
    let boss: TestUser;
    let worker: TestUser;
    let outsider: TestUser;
    let workerEmployee: { id: string };

    beforeAll(async () => {
      boss = await t().createUser(['employee']);
      worker = await t().createUser(['employee']);
      outsider = await t().createUser(['employee']);
      const bossEmployee = await makeEmployee(t(), { departmentId, userId: boss.id });
      workerEmployee = await makeEmployee(t(), {
        departmentId,
        userId: worker.id,
        managerId: bossEmployee.id,
      });
      await makeEmployee(t(), { departmentId, userId: outsider.id });
    });

    it('lets an employee request their own absence (employeeId optional) but nobody else’s', async () => {
      const own = await absence({ type: 'vacation', from: '2026-10-01', to: '2026-10-02' }, worker.cookie);
      expect(own.status).toBe(201);
      expect(own.body.employeeId).toBe(workerEmployee.id);
      const others = await absence(
        { employeeId: workerEmployee.id, type: 'sick', from: '2026-10-05', to: '2026-10-05' },
        outsider.cookie,
      );
      expect(others.status).toBe(403);
      const unlinked = await t().createUser(['employee']);
      const none = await absence({ type: 'sick', from: '2026-10-05', to: '2026-10-05' }, unlinked.cookie);
      expect(none.status).toBe(422);
      expect(none.body.error.code).toBe('EMPLOYEE_NOT_LINKED');
    });

    it('lets the manager (not a colleague) approve or reject, once', async () => {
      // Next year, so that it has not begun whenever the test runs.
      const year = new Date().getUTCFullYear() + 1;
      const requested = await absence(
        { type: 'trip', from: `${year}-11-02`, to: `${year}-11-03` },
        worker.cookie,
      );
      const url = `/api/hr/absences/${requested.body.id}`;
      expect((await t().request('POST', `${url}/approve`, { cookie: outsider.cookie })).status).toBe(403);
      expect((await t().request('POST', `${url}/approve`, { cookie: worker.cookie })).status).toBe(403);
      const approved = await t().request('POST', `${url}/approve`, { cookie: boss.cookie });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({ status: 'approved', decidedBy: boss.id });
      const again = await t().request('POST', `${url}/reject`, { cookie: boss.cookie });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('ABSENCE_TRANSITION_INVALID');
      // Not yet begun: the employee may still cancel it.
      const cancelled = await t().request('POST', `${url}/cancel`, { cookie: worker.cookie });
      expect(cancelled.status).toBe(200);
      const events = await t()
        .db.selectFrom('core_events')
        .select('type')
        .where('aggregate_id', '=', workerEmployee.id)
        .where('type', 'like', 'hr.absence.%')
        .orderBy('id')
        .execute();
      expect(events.map((e: { type: string }) => e.type)).toEqual([
        'hr.absence.requested',
        'hr.absence.requested',
        'hr.absence.approved',
      ]);
      const audit = await t().request(
        'GET',
        `/api/admin/audit?entity=hr.absence&entityId=${requested.body.id}`,
        admin(),
      );
      expect(audit.body.items.map((i: { action: string }) => i.action).sort()).toEqual([
        'hr.approveAbsence',
        'hr.cancelAbsence',
        'hr.requestAbsence',
      ]);
    });

    it('lets hr.recordAbsence (a process, as the system) record an approved absence in one step', async () => {
      const recorded = await t().suite.registry.call<{ status: string; id: string }>(
        'hr.recordAbsence',
        { employeeId: workerEmployee.id, type: 'sick', from: '2026-12-01', to: '2026-12-03' },
        { actor: SYSTEM_ACTOR },
      );
      expect(recorded.status).toBe('approved');
      const refused = await t().request('POST', '/api/hr/absences/record', {
        cookie: worker.cookie,
        body: { employeeId: workerEmployee.id, type: 'sick', from: '2026-12-10', to: '2026-12-10' },
      });
      expect(refused.status).toBe(403);
    });
  });

  it('lists a department’s absences that touch a month', async () => {
    const d = await makeDepartment(t());
    const e = await makeEmployee(t(), { departmentId: d.id });
    await absence({ employeeId: e.id, type: 'trip', from: '2026-02-25', to: '2026-03-02' });
    await absence({ employeeId: e.id, type: 'sick', from: '2026-03-20', to: '2026-03-21' });
    await absence({ employeeId: e.id, type: 'sick', from: '2026-04-01', to: '2026-04-01' });
    const march = await t().request(
      'GET',
      `/api/hr/absences?departmentId=${d.id}&from=2026-03-01&to=2026-03-31&sort=from`,
      admin(),
    );
    expect(march.status).toBe(200);
    expect(march.body.items.map((a: { from: string }) => a.from)).toEqual(['2026-02-25', '2026-03-20']);
    // A department nobody has (deleted meanwhile, say) lists nothing, on both lists.
    const none = '00000000-0000-4000-8000-000000000000';
    const nobody = await t().request('GET', `/api/hr/absences?departmentId=${none}`, admin());
    expect(nobody.status).toBe(200);
    expect(nobody.body).toMatchObject({ items: [], total: 0 });
    const noEmployees = await t().request(
      'GET',
      `/api/hr/employees?departmentId=${none}&includeSubdepartments=true`,
      admin(),
    );
    expect(noEmployees.status).toBe(200);
    expect(noEmployees.body.total).toBe(0);
  });
});
