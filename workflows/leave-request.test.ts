// The shipped "Leave request": the employee asks, the manager (hr.getManager) decides, HR
// registers it and hr.recordAbsence changes the balance; three working days without an answer
// take it to the manager's own head; the employee hears the outcome.
import { expect, it } from 'vitest';
import { runDueJobs } from '../modules/bpm/jobs.js';
import { makeDepartment, makeEmployee } from '../modules/hr/test-helpers.js';
import { describeEachBackend, type TestUser } from '../server/testing/test-suite.js';
import { complete, inbox, installWorkflows, instanceOf, taskNamed, taskView } from './test-helpers.js';

const DAY = 24 * 3600 * 1000;

describeEachBackend('shipped workflow: leave request', (t) => {
  async function setting() {
    await installWorkflows(t());
    const [employeeUser, managerUser, directorUser, hrUser] = await Promise.all([
      t().createUser(['employee'], { name: 'Aziz Ergashev', locale: 'en' }),
      t().createUser(['sales_head'], { name: 'Dilshod Karimov', locale: 'en' }),
      t().createUser(['employee'], { name: 'Rustam Xoliqov', locale: 'en' }),
      t().createUser(['hr'], { name: 'Gulnora Saidova', locale: 'en' }),
    ]);
    const department = await makeDepartment(t(), { name: 'Savdo' });
    const director = await makeEmployee(t(), {
      departmentId: department.id,
      userId: directorUser.id,
      position: 'Direktor',
    });
    const manager = await makeEmployee(t(), {
      departmentId: department.id,
      userId: managerUser.id,
      managerId: director.id,
      position: 'Savdo boshligʻi',
    });
    const employee = await makeEmployee(t(), {
      departmentId: department.id,
      userId: employeeUser.id,
      managerId: manager.id,
      position: 'Menejer',
    });
    return { employeeUser, managerUser, directorUser, hrUser, employee };
  }

  async function ask(user: TestUser, employeeId: string) {
    const response = await t().request('POST', '/api/bpm/instances', {
      cookie: user.cookie,
      body: {
        processId: 'leave-request',
        variables: { employeeId, type: 'vacation', from: '2026-12-21', to: '2026-12-25', comment: 'Toʻy' },
      },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string };
  }

  async function absences(employeeId: string) {
    const response = await t().request('GET', `/api/hr/absences?employeeId=${employeeId}`, {
      cookie: t().admin.cookie,
    });
    expect(response.status).toBe(200);
    return response.body.items as { status: string; from: string; to: string }[];
  }

  it('is offered on the employee page, with its request form, to anyone who may start processes', async () => {
    const { employeeUser } = await setting();
    const offered = await t().request('GET', '/api/bpm/definitions?startFrom=hr.employee', {
      cookie: employeeUser.cookie,
    });
    expect(offered.status).toBe(200);
    expect(offered.body.items).toEqual([
      expect.objectContaining({
        processId: 'leave-request',
        startFrom: ['hr.employee'],
        startFormId: 'leave-request',
      }),
    ]);
    const onClients = await t().request('GET', '/api/bpm/definitions?startFrom=crm.client', {
      cookie: employeeUser.cookie,
    });
    expect(onClients.body.items).toEqual([]);
  });

  it('approved by the manager and registered by HR, the absence is recorded and the employee told', async () => {
    const { employeeUser, managerUser, hrUser, employee } = await setting();
    const started = await ask(employeeUser, employee.id);
    const approval = await taskNamed(t(), managerUser, 'Approve leave', started.id);
    // due in three working days at the latest
    expect(Date.parse(approval.dueAt ?? '')).toBeLessThanOrEqual(Date.now() + 5 * DAY + 60_000);
    expect((await taskView(t(), managerUser, approval.id)).variables).toMatchObject({
      employeeName: expect.stringContaining('Aziz'),
    });
    await complete(t(), managerUser, approval.id, { decision: 'approve', decisionNote: 'Yaxshi dam oling' });
    expect(await absences(employee.id)).toEqual([]);

    const register = await taskNamed(t(), hrUser, 'Register the leave', started.id);
    await complete(t(), hrUser, register.id, { registered: true });
    expect(await absences(employee.id)).toEqual([
      expect.objectContaining({ status: 'approved', from: '2026-12-21', to: '2026-12-25' }),
    ]);
    const told = await taskNamed(t(), employeeUser, 'Leave request outcome', started.id);
    expect((await taskView(t(), employeeUser, told.id)).variables).toMatchObject({
      outcome: 'approved',
      days: 5,
    });
  });

  it('rejected by the manager, nothing is recorded and the employee hears it', async () => {
    const { employeeUser, managerUser, hrUser, employee } = await setting();
    const started = await ask(employeeUser, employee.id);
    const approval = await taskNamed(t(), managerUser, 'Approve leave', started.id);
    await complete(t(), managerUser, approval.id, { decision: 'reject', decisionNote: 'Yil yakuni' });
    const told = await taskNamed(t(), employeeUser, 'Leave request outcome', started.id);
    expect((await taskView(t(), employeeUser, told.id)).variables).toMatchObject({ outcome: 'rejected' });
    expect(await inbox(t(), hrUser, started.id)).toEqual([]);
    expect(await absences(employee.id)).toEqual([]);
  });

  it('three working days without an answer take it to the manager’s head', async () => {
    const { employeeUser, managerUser, directorUser, employee } = await setting();
    const started = await ask(employeeUser, employee.id);
    await taskNamed(t(), managerUser, 'Approve leave', started.id);
    await runDueJobs(t().suite.registry, { now: new Date(Date.now() + 6 * DAY) });
    expect((await inbox(t(), managerUser, started.id)).map((x) => x.name)).not.toContain('Approve leave');
    const escalated = await taskNamed(t(), directorUser, 'Approve leave (escalated)', started.id);
    await complete(t(), directorUser, escalated.id, { decision: 'reject' });
    expect((await instanceOf(t(), started.id)).variables.outcome).toBe('rejected');
  });
});
