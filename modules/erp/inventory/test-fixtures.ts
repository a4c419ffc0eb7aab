// Helpers for the inventory tests: products, warehouses and postings through the HTTP API.
import { randomUUID } from 'node:crypto';
import type { TestSuite } from '../../../server/testing/test-suite.js';

let counter = 0;
export const uniq = (prefix: string) => `${prefix}-${process.pid}-${++counter}-${randomUUID().slice(0, 6)}`;

export async function makeProduct(t: TestSuite, fields: Record<string, unknown> = {}) {
  const response = await t.request('POST', '/api/erp/products', {
    cookie: t.admin.cookie,
    body: { sku: uniq('SKU'), name: 'Sement M400', unit: 'pcs', ...fields },
  });
  if (response.status !== 201)
    throw new Error(`product: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; sku: string; unit: string };
}

export async function makeWarehouse(t: TestSuite) {
  const response = await t.request('POST', '/api/erp/warehouses', {
    cookie: t.admin.cookie,
    body: { code: uniq('W'), name: 'Ombor' },
  });
  if (response.status !== 201)
    throw new Error(`warehouse: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; code: string };
}

/** Creates and posts in one call (`?post=true`) with a fresh Idempotency-Key. */
export function post(
  t: TestSuite,
  body: Record<string, unknown>,
  cookie = t.admin.cookie,
  key = randomUUID(),
) {
  return t.request('POST', '/api/erp/stock-documents?post=true', {
    cookie,
    headers: { 'idempotency-key': key },
    body,
  });
}

export async function balance(t: TestSuite, productId: string, warehouseId: string) {
  const response = await t.request(
    'GET',
    `/api/erp/stock-balances?productId=${productId}&warehouseId=${warehouseId}`,
    {
      cookie: t.admin.cookie,
    },
  );
  return (response.body.items[0] ?? { quantity: '0.000', reserved: '0.000', available: '0.000' }) as {
    quantity: string;
    reserved: string;
    available: string;
  };
}

/** A CRM client to ship to (shipments name an existing client). */
export async function makeClient(t: TestSuite) {
  const response = await t.request('POST', '/api/crm/clients', {
    cookie: t.admin.cookie,
    body: { kind: 'company', name: `Mijoz ${uniq('C')}`, confirmDuplicate: true },
  });
  if (response.status !== 201) throw new Error(`client: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string };
}
