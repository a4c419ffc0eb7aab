// A NUL character in any text of a request (PostgreSQL cannot store it) is refused with 400
// naming the field, on every route, before anything is written.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/test-suite.js';

describeEachBackend('NUL characters in input', (t) => {
  it('are refused in query strings and bodies with the field and a translated reason', async () => {
    const cookie = t().admin.cookie;
    for (const url of [
      '/api/crm/clients?q=%00ab',
      '/api/erp/products?q=ab%00',
      '/api/admin/users?q=%00%00',
    ]) {
      const response = await t().request('GET', url, { cookie });
      expect({ url, status: response.status }).toEqual({ url, status: 400 });
      expect(response.body.error.details.issues).toEqual([
        { path: 'q', message: expect.stringContaining('U+0000') },
      ]);
    }
    const product = await t().request('POST', '/api/erp/products', {
      cookie,
      headers: { 'accept-language': 'ru' },
      body: { sku: 'NUL-1', name: 'Sement\u0000M400', unit: 'pcs' },
    });
    expect(product.status).toBe(400);
    expect(product.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['name']);
    const nested = await t().request('POST', '/api/crm/clients', {
      cookie,
      body: { kind: 'company', name: 'Olmaliq Savdo', phones: ['+998 90 123 45 67', '\u0000'] },
    });
    expect(nested.status).toBe(400);
    expect(nested.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['phones.1']);
    // Nothing was written.
    const listed = await t().request('GET', '/api/erp/products?q=NUL-1', { cookie });
    expect(listed.body.total).toBe(0);
  });
});
