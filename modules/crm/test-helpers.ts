// Helpers the CRM tests share: clients, deals and activities through the HTTP API.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestSuite, TestUser } from '../../server/testing/test-suite.js';

export const tag = () => randomBytes(4).toString('hex');

let counter = 0;
/** A fresh 9-digit company tax id (STIR). */
export const stir = () =>
  String(300_000_000 + ((process.pid * 7919 + ++counter * 104_729) % 699_999_999)).slice(0, 9);
/** A fresh Uzbek mobile number without the country code. */
export const phone = () => `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

export async function makeClient(
  t: TestSuite,
  body: Record<string, unknown> = {},
  cookie: string = t.admin.cookie,
): Promise<{ id: string; name: string; [key: string]: unknown }> {
  const response = await t.request('POST', '/api/crm/clients', {
    cookie,
    body: { kind: 'company', name: `Toshkent Savdo ${tag()} MChJ`, ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export async function makeDeal(
  t: TestSuite,
  body: Record<string, unknown> & { clientId: string },
  cookie: string = t.admin.cookie,
): Promise<{ id: string; stage: string; [key: string]: unknown }> {
  const response = await t.request('POST', '/api/crm/deals', {
    cookie,
    body: { title: `Bitim ${tag()}`, amount: '1000000', ...body },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export async function makeProduct(t: TestSuite): Promise<{ id: string; name: string }> {
  const response = await t.request('POST', '/api/erp/products', {
    cookie: t.admin.cookie,
    body: { sku: `CRM-${tag()}`, name: 'Sement M400', unit: 'pcs' },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

export async function salesTeam(t: TestSuite): Promise<{ a: TestUser; b: TestUser; head: TestUser }> {
  const [a, b, head] = await Promise.all([
    t.createUser(['sales_manager'], { name: 'Malika Yusupova' }),
    t.createUser(['sales_manager'], { name: 'Jasur Rahimov' }),
    t.createUser(['sales_head'], { name: 'Dilshod Karimov' }),
  ]);
  return { a, b, head };
}

export function issuePaths(body: { error: { details: { issues: { path: string }[] } } }): string[] {
  return body.error.details.issues.map((i) => i.path);
}
