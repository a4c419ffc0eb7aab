// Employees through /api/hr: validation, PINFL, personal data only for hr and admins, linked
// users, the dated history and the state "as of" a date.
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachBackend, type TestUser } from '../../server/testing/test-suite.js';
import { isValidPinfl, pinflBirthDate } from './employee-schema.js';
import { issuePaths, makeDepartment, makeEmployee, tag } from './test-helpers.js';

const PERSONAL = {
  birthDate: '1990-05-14',
  passport: 'aa 1234567',
  pinfl: '31405900000012',
  address: 'Toshkent, Chilonzor 5',
  salary: '6500000',
};

describe('PINFL', () => {
  it('is 14 digits whose first is 1–6 and next six a real birth date', () => {
    expect(isValidPinfl('31405900000012')).toBe(true);
    expect(pinflBirthDate('31405900000012')).toBe('1990-05-14');
    expect(pinflBirthDate('50101050000000')).toBe('2005-01-01');
    for (const bad of [
      '3140590000001',
      '314059000000123',
      '71405900000012',
      '33102900000012',
      '3140590000001a',
    ]) {
      expect(isValidPinfl(bad), bad).toBe(false);
    }
  });
});

describeEachBackend('hr: employees', (t) => {
  const admin = () => ({ cookie: t().admin.cookie });
  let department: { id: string };
  let hr: TestUser;
  let seller: TestUser;

  beforeAll(async () => {
    department = await makeDepartment(t(), { name: `Savdo ${tag()}` });
    hr = await t().createUser(['hr']);
    seller = await t().createUser(['sales_manager']);
  });

  it('hires an employee: 201, a hired history record and an hr.employee.hired event', async () => {
    const employee = await makeEmployee(t(), {
      departmentId: department.id,
      firstName: ' Malika ',
      workEmail: 'Malika@Demo.uz',
      workPhone: '+998 90 123-45-67',
    });
    expect(employee).toMatchObject({
      firstName: 'Malika',
      departmentId: department.id,
      status: 'active',
      hireDate: '2024-03-01',
      workEmail: 'malika@demo.uz',
      dismissalDate: null,
    });
    const history = await t().request('GET', `/api/hr/employees/${employee.id}/history`, admin());
    expect(history.body.items).toMatchObject([
      { type: 'hired', date: '2024-03-01', departmentId: department.id },
    ]);
    const events = await t()
      .db.selectFrom('core_events')
      .select(['type', 'aggregate_id'])
      .where('aggregate_id', '=', employee.id)
      .execute();
    expect(events.map((e: { type: string }) => e.type)).toEqual(['hr.employee.hired']);
  });

  it('answers 400 with the path of every invalid field', async () => {
    const response = await t().request('POST', '/api/hr/employees', {
      ...admin(),
      body: {
        firstName: '',
        lastName: 'X',
        departmentId: 'nope',
        position: 'P',
        hireDate: '2024-13-01',
        pinfl: '12345',
        passport: 'A1',
        salary: '-5',
        workPhone: 'call me',
      },
    });
    expect(response.status).toBe(400);
    expect(issuePaths(response.body).sort()).toEqual(
      ['departmentId', 'firstName', 'hireDate', 'passport', 'pinfl', 'salary', 'workPhone'].sort(),
    );
    const pinfl = response.body.error.details.issues.find((i: { path: string }) => i.path === 'pinfl');
    expect(pinfl.message).toMatch(/JSHSHIR/);
  });

  it('refuses a department, manager or user that does not exist at its field', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const [field, body] of [
      ['departmentId', { departmentId: missing }],
      ['managerId', { departmentId: department.id, managerId: missing }],
      ['userId', { departmentId: department.id, userId: missing }],
    ] as const) {
      const response = await t().request('POST', '/api/hr/employees', {
        ...admin(),
        body: { firstName: 'A', lastName: 'B', position: 'P', hireDate: '2024-01-01', ...body },
      });
      expect(response.status, field).toBe(400);
      expect(issuePaths(response.body)).toEqual([field]);
    }
  });

  it('refuses a PINFL that encodes another birth date, and a PINFL taken by another employee', async () => {
    const mismatch = await t().request('POST', '/api/hr/employees', {
      ...admin(),
      body: {
        firstName: 'A',
        lastName: 'B',
        position: 'P',
        hireDate: '2024-01-01',
        departmentId: department.id,
        pinfl: '31405900000099',
        birthDate: '1991-05-14',
      },
    });
    expect(mismatch.status).toBe(400);
    expect(issuePaths(mismatch.body)).toEqual(['pinfl']);
    await makeEmployee(t(), { departmentId: department.id, pinfl: '40101850000011' });
    const taken = await t().request('POST', '/api/hr/employees', {
      ...admin(),
      body: {
        firstName: 'A',
        lastName: 'B',
        position: 'P',
        hireDate: '2024-01-01',
        departmentId: department.id,
        pinfl: '40101850000011',
      },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('EMPLOYEE_PINFL_TAKEN');
  });

  describe('personal data', () => {
    let employeeId: string;
    beforeAll(async () => {
      const created = await t().request('POST', '/api/hr/employees', {
        cookie: hr.cookie,
        body: {
          firstName: 'Nodira',
          lastName: `Alimova-${tag()}`,
          departmentId: department.id,
          position: 'Hisobchi',
          hireDate: '2023-02-01',
          ...PERSONAL,
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      employeeId = created.body.id;
      expect(created.body).toMatchObject({
        passport: 'AA1234567',
        pinfl: '31405900000012',
        salary: '6500000.00',
      });
    });

    it('is shown to hr and admins, and absent (not null) for other roles', async () => {
      for (const cookie of [hr.cookie, t().admin.cookie]) {
        const read = await t().request('GET', `/api/hr/employees/${employeeId}`, { cookie });
        expect(read.body).toMatchObject({
          birthDate: '1990-05-14',
          address: 'Toshkent, Chilonzor 5',
          salary: '6500000.00',
        });
      }
      const read = await t().request('GET', `/api/hr/employees/${employeeId}`, { cookie: seller.cookie });
      expect(read.status).toBe(200);
      expect(read.body.firstName).toBe('Nodira');
      for (const field of ['birthDate', 'passport', 'pinfl', 'address', 'salary']) {
        expect(Object.hasOwn(read.body, field), field).toBe(false);
      }
      const list = await t().request('GET', `/api/hr/employees?departmentId=${department.id}&q=Nodira`, {
        cookie: seller.cookie,
      });
      expect(list.body.total).toBe(1);
      expect(Object.hasOwn(list.body.items[0], 'salary')).toBe(false);
      expect(JSON.stringify(list.body)).not.toContain('31405900000012');
    });

    it('may be changed only with hr.personal.write: 403 otherwise, and nothing changes', async () => {
      const writer = await t().createUser(['employee']);
      // A custom role with hr.employees.write but not personal data.
      const role = `clerk_${tag()}`;
      await t().request('POST', '/api/admin/roles', { ...admin(), body: { code: role, name: 'Clerk' } });
      const granted = await t().request('PUT', `/api/admin/roles/${role}/permissions`, {
        ...admin(),
        body: { permissions: ['hr.employees.read', 'hr.employees.write'] },
      });
      expect(granted.status).toBe(200);
      const clerk = await t().createUser([role]);
      const refused = await t().request('PATCH', `/api/hr/employees/${employeeId}`, {
        cookie: clerk.cookie,
        body: { address: 'Samarqand' },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.details.permission).toBe('hr.personal.write');
      const salary = await t().request('POST', `/api/hr/employees/${employeeId}/salary`, {
        cookie: clerk.cookie,
        body: { date: '2025-01-01', salary: '1' },
      });
      expect(salary.status).toBe(403);
      const contacts = await t().request('PATCH', `/api/hr/employees/${employeeId}`, {
        cookie: clerk.cookie,
        body: { workPhone: '+998 71 200 00 00' },
      });
      expect(contacts.status).toBe(200);
      expect(Object.hasOwn(contacts.body, 'address')).toBe(false);
      const employee = await t().request('PATCH', `/api/hr/employees/${employeeId}`, {
        cookie: writer.cookie,
        body: { workPhone: '+998 71 200 00 01' },
      });
      expect(employee.status).toBe(403);
      const read = await t().request('GET', `/api/hr/employees/${employeeId}`, { cookie: hr.cookie });
      expect(read.body.address).toBe('Toshkent, Chilonzor 5');
    });

    it('refuses department or position in a PATCH: they change through a dated transfer', async () => {
      const response = await t().request('PATCH', `/api/hr/employees/${employeeId}`, {
        cookie: hr.cookie,
        body: { position: 'Bosh hisobchi' },
      });
      expect(response.status).toBe(400);
    });
  });

  describe('history and "as of"', () => {
    it('keeps transfers, salary changes and the dismissal as dated records and answers the state on any date', async () => {
      const other = await makeDepartment(t(), { name: `Ombor ${tag()}` });
      const e = await makeEmployee(t(), {
        departmentId: department.id,
        position: 'Sotuvchi',
        hireDate: '2024-01-10',
        salary: '4000000',
      });
      const url = `/api/hr/employees/${e.id}`;
      const transfer = await t().request('POST', `${url}/transfer`, {
        ...admin(),
        body: { date: '2025-03-01', departmentId: other.id, position: 'Omborchi' },
      });
      expect(transfer.status).toBe(200);
      expect(transfer.body).toMatchObject({ departmentId: other.id, position: 'Omborchi' });
      const raise = await t().request('POST', `${url}/salary`, {
        ...admin(),
        body: { date: '2025-06-01', salary: '5000000' },
      });
      expect(raise.status).toBe(200);
      expect(raise.body.salary).toBe('5000000.00');
      const early = await t().request('POST', `${url}/salary`, {
        ...admin(),
        body: { date: '2025-05-01', salary: '1' },
      });
      expect(early.status).toBe(422);
      expect(early.body.error.code).toBe('EMPLOYEE_EVENT_DATE');
      const dismiss = await t().request('POST', `${url}/dismiss`, {
        ...admin(),
        body: { date: '2026-01-31' },
      });
      expect(dismiss.status).toBe(200);
      expect(dismiss.body).toMatchObject({ status: 'dismissed', dismissalDate: '2026-01-31' });

      const asOf = async (date: string) => (await t().request('GET', `${url}?asOf=${date}`, admin())).body;
      expect(await asOf('2024-06-01')).toMatchObject({
        departmentId: department.id,
        position: 'Sotuvchi',
        salary: '4000000.00',
        status: 'active',
        asOf: '2024-06-01',
      });
      expect(await asOf('2025-03-01')).toMatchObject({
        departmentId: other.id,
        position: 'Omborchi',
        salary: '4000000.00',
        status: 'active',
      });
      expect(await asOf('2025-12-31')).toMatchObject({
        departmentId: other.id,
        salary: '5000000.00',
        status: 'active',
        dismissalDate: null,
      });
      expect(await asOf('2026-02-01')).toMatchObject({ status: 'dismissed', dismissalDate: '2026-01-31' });
      const before = await t().request('GET', `${url}?asOf=2023-12-31`, admin());
      expect(before.status).toBe(422);
      expect(before.body.error.code).toBe('EMPLOYEE_NOT_HIRED_AS_OF');

      const history = await t().request('GET', `${url}/history`, admin());
      expect(history.body.items.map((i: { type: string }) => i.type)).toEqual([
        'hired',
        'transfer',
        'salary_change',
        'dismissal',
      ]);
      // Others see no salary and no salary changes.
      const seen = await t().request('GET', `${url}/history`, { cookie: seller.cookie });
      expect(seen.body.items.map((i: { type: string }) => i.type)).toEqual([
        'hired',
        'transfer',
        'dismissal',
      ]);
      expect(JSON.stringify(seen.body)).not.toContain('salary');
      const asOfSeller = await t().request('GET', `${url}?asOf=2024-06-01`, { cookie: seller.cookie });
      expect(Object.hasOwn(asOfSeller.body, 'salary')).toBe(false);

      const after = await t().request('POST', `${url}/transfer`, {
        ...admin(),
        body: { date: '2026-03-01', position: 'X' },
      });
      expect(after.status).toBe(422);
      expect(after.body.error.code).toBe('EMPLOYEE_DISMISSED');

      const events = await t()
        .db.selectFrom('core_events')
        .select('type')
        .where('aggregate_id', '=', e.id)
        .orderBy('id')
        .execute();
      expect(events.map((x: { type: string }) => x.type)).toEqual([
        'hr.employee.hired',
        'hr.employee.transferred',
        'hr.employee.dismissed',
      ]);
      const audit = await t().request('GET', `/api/admin/audit?entity=hr.employee&entityId=${e.id}`, admin());
      expect(audit.body.items.map((i: { action: string }) => i.action).sort()).toEqual(
        ['hr.changeSalary', 'hr.createEmployee', 'hr.dismissEmployee', 'hr.transferEmployee'].sort(),
      );
    });
  });

  describe('linked users and managers', () => {
    it('links a user once (409 EMPLOYEE_USER_TAKEN for a second employee) and finds the employee by user', async () => {
      const user = await t().createUser(['employee']);
      const e = await makeEmployee(t(), { departmentId: department.id, userId: user.id });
      const second = await t().request('POST', '/api/hr/employees', {
        ...admin(),
        body: {
          firstName: 'A',
          lastName: 'B',
          position: 'P',
          hireDate: '2024-01-01',
          departmentId: department.id,
          userId: user.id,
        },
      });
      expect(second.status).toBe(409);
      expect(second.body.error.code).toBe('EMPLOYEE_USER_TAKEN');
      const mine = await t().request('GET', `/api/hr/employees?userId=${user.id}`, { cookie: user.cookie });
      expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([e.id]);
    });

    it('refuses a manager chain that loops back with 422 MANAGER_CYCLE', async () => {
      const a = await makeEmployee(t(), { departmentId: department.id });
      const b = await makeEmployee(t(), { departmentId: department.id, managerId: a.id });
      const c = await makeEmployee(t(), { departmentId: department.id, managerId: b.id });
      const loop = await t().request('PATCH', `/api/hr/employees/${a.id}`, {
        ...admin(),
        body: { managerId: c.id },
      });
      expect(loop.status).toBe(422);
      expect(loop.body.error.code).toBe('MANAGER_CYCLE');
      const self = await t().request('PATCH', `/api/hr/employees/${a.id}`, {
        ...admin(),
        body: { managerId: a.id },
      });
      expect(self.status).toBe(422);
    });
  });

  it('lists with paging, sorting, filters and free text', async () => {
    const d = await makeDepartment(t());
    const sub = await makeDepartment(t(), { parentId: d.id });
    for (const last of ['Zokirov', 'Aliyev', 'Mirzayev'])
      await makeEmployee(t(), { departmentId: d.id, lastName: last });
    await makeEmployee(t(), { departmentId: sub.id, lastName: 'Boboyev' });
    const page = await t().request(
      'GET',
      `/api/hr/employees?departmentId=${d.id}&sort=-lastName&limit=2`,
      admin(),
    );
    expect(page.body.total).toBe(3);
    expect(page.body.items.map((i: { lastName: string }) => i.lastName)).toEqual(['Zokirov', 'Mirzayev']);
    const all = await t().request(
      'GET',
      `/api/hr/employees?departmentId=${d.id}&includeSubdepartments=true&q=boboy`,
      admin(),
    );
    expect(all.body.items.map((i: { lastName: string }) => i.lastName)).toEqual(['Boboyev']);
    const badSort = await t().request('GET', '/api/hr/employees?sort=salary', admin());
    expect(badSort.status).toBe(400);
  });
});
