// Helpers the HR tests share: make departments and employees through the API as the admin.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestSuite } from '../../server/testing/test-suite.js';

export const tag = () => randomBytes(4).toString('hex');

export async function makeDepartment(
  t: TestSuite,
  body: { name?: string; code?: string; parentId?: string; headEmployeeId?: string } = {},
): Promise<{ id: string; code: string; name: string }> {
  const response = await t.request('POST', '/api/hr/departments', {
    cookie: t.admin.cookie,
    body: { name: `Boʻlim ${tag()}`, ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export async function makeEmployee(
  t: TestSuite,
  body: Record<string, unknown> & { departmentId: string },
): Promise<{ id: string; [key: string]: unknown }> {
  const response = await t.request('POST', '/api/hr/employees', {
    cookie: t.admin.cookie,
    body: {
      firstName: 'Aziz',
      lastName: `Karimov-${tag()}`,
      position: 'Menejer',
      hireDate: '2024-03-01',
      ...body,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export function issuePaths(body: { error: { details: { issues: { path: string }[] } } }): string[] {
  return body.error.details.issues.map((i) => i.path);
}
