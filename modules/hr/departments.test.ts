// Departments through /api/hr: the tree, codes, cycles, heads, the org chart and who may change them.
import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { issuePaths, makeDepartment, makeEmployee, tag } from './test-helpers.js';

describeEachBackend('hr: departments', (t) => {
  const admin = () => ({ cookie: t().admin.cookie });

  it('creates a department with a code made from its name, and one under it', async () => {
    const name = `Savdo boʻlimi ${tag()}`;
    const root = await makeDepartment(t(), { name });
    expect(root.code).toMatch(/^savdo_bolimi_[0-9a-f]{8}$/);
    const child = await makeDepartment(t(), {
      name: 'Chakana savdo',
      parentId: root.id,
      code: `Retail-${tag()}`,
    });
    expect(child).toMatchObject({ parentId: root.id, parentName: name, headcount: 0 });
    expect(child.code).toBe(child.code.toLowerCase());
    const read = await t().request('GET', `/api/hr/departments/${child.id}`, admin());
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(child.id);
  });

  it('refuses a taken code (any case) with 409 DEPARTMENT_CODE_TAKEN and a bad code with 400', async () => {
    const code = `ombor_${tag()}`;
    await makeDepartment(t(), { code });
    const again = await t().request('POST', '/api/hr/departments', {
      ...admin(),
      body: { name: 'Ombor 2', code: code.toUpperCase() },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DEPARTMENT_CODE_TAKEN');
    const bad = await t().request('POST', '/api/hr/departments', {
      ...admin(),
      body: { name: 'X', code: '1 bad' },
    });
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body)).toEqual(['code']);
  });

  it('refuses an unknown parent at its field, and an empty name', async () => {
    const response = await t().request('POST', '/api/hr/departments', {
      ...admin(),
      body: { name: '', parentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(response.status).toBe(400);
    expect(issuePaths(response.body)).toEqual(['name']);
    const unknown = await t().request('POST', '/api/hr/departments', {
      ...admin(),
      body: { name: 'Yangi', parentId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.status).toBe(400);
    expect(issuePaths(unknown.body)).toEqual(['parentId']);
  });

  it('refuses to move a department under itself or its own sub-department with 422 DEPARTMENT_CYCLE', async () => {
    const a = await makeDepartment(t());
    const b = await makeDepartment(t(), { parentId: a.id });
    const c = await makeDepartment(t(), { parentId: b.id });
    for (const parentId of [a.id, c.id]) {
      const response = await t().request('PATCH', `/api/hr/departments/${a.id}`, {
        ...admin(),
        body: { parentId },
      });
      expect(response.status, parentId).toBe(422);
      expect(response.body.error.code).toBe('DEPARTMENT_CYCLE');
      expect(response.body.error.message).toMatch(/boʻlim/i);
    }
    // Moving the lowest to the top is fine.
    const moved = await t().request('PATCH', `/api/hr/departments/${c.id}`, {
      ...admin(),
      body: { parentId: null },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.parentId).toBeNull();
  });

  it('shows heads and headcounts (own and with sub-departments) in the org chart', async () => {
    const top = await makeDepartment(t(), { name: `Rahbariyat ${tag()}` });
    const sub = await makeDepartment(t(), { parentId: top.id });
    const boss = await makeEmployee(t(), { departmentId: top.id, position: 'Direktor' });
    await makeEmployee(t(), { departmentId: sub.id });
    await makeEmployee(t(), { departmentId: sub.id });
    const head = await t().request('PATCH', `/api/hr/departments/${top.id}`, {
      ...admin(),
      body: { headEmployeeId: boss.id },
    });
    expect(head.status).toBe(200);
    expect(head.body.headName).toBe(`${boss.lastName} ${boss.firstName}`);
    const chart = await t().request('GET', '/api/hr/org-chart', admin());
    expect(chart.status).toBe(200);
    const node = chart.body.items.find((n: { id: string }) => n.id === top.id);
    expect(node).toMatchObject({
      headcount: 1,
      totalHeadcount: 3,
      head: { id: boss.id, position: 'Direktor' },
    });
    expect(chart.body.items.find((n: { id: string }) => n.id === sub.id)).toMatchObject({
      parentId: top.id,
      headcount: 2,
      totalHeadcount: 2,
      head: null,
    });
  });

  it('deletes only an empty department', async () => {
    const full = await makeDepartment(t());
    await makeEmployee(t(), { departmentId: full.id });
    const refused = await t().request('DELETE', `/api/hr/departments/${full.id}`, admin());
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('DEPARTMENT_NOT_EMPTY');
    const empty = await makeDepartment(t());
    expect((await t().request('DELETE', `/api/hr/departments/${empty.id}`, admin())).status).toBe(200);
    expect((await t().request('GET', `/api/hr/departments/${empty.id}`, admin())).status).toBe(404);
  });

  describe('rights and audit', () => {
    it('lets every role read, only hr (and admins) change; each change is audited with before and after', async () => {
      const seller = await t().createUser(['sales_manager']);
      const hr = await t().createUser(['hr']);
      expect((await t().request('GET', '/api/hr/org-chart', { cookie: seller.cookie })).status).toBe(200);
      const refused = await t().request('POST', '/api/hr/departments', {
        cookie: seller.cookie,
        body: { name: 'Yashirin' },
      });
      expect(refused.status).toBe(403);
      const created = await t().request('POST', '/api/hr/departments', {
        cookie: hr.cookie,
        body: { name: 'Kadrlar' },
      });
      expect(created.status).toBe(201);
      await t().request('PATCH', `/api/hr/departments/${created.body.id}`, {
        cookie: hr.cookie,
        body: { name: 'Kadrlar boʻlimi' },
      });
      const audit = await t().request(
        'GET',
        `/api/admin/audit?entity=hr.department&entityId=${created.body.id}`,
        admin(),
      );
      expect(audit.status).toBe(200);
      const entries = audit.body.items.filter((e: { entityId: string }) => e.entityId === created.body.id);
      expect(entries.map((e: { action: string }) => e.action).sort()).toEqual([
        'hr.createDepartment',
        'hr.updateDepartment',
      ]);
      const update = entries.find((e: { action: string }) => e.action === 'hr.updateDepartment');
      expect(update.before.name).toBe('Kadrlar');
      expect(update.after.name).toBe('Kadrlar boʻlimi');
      expect(update.actorId).toBe(hr.id);
    });
  });
});
