// A warehouse's keepers alone post in it: documents new, drafts, posting, reversing and
// reserving, on the group path and the planned one; transfers into it stay open to others.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { makeProduct, makeWarehouse, post, uniq } from './test-fixtures.js';

describeEachBackend('erp: warehouse keepers', (t) => {
  const send = (method: string, url: string, cookie: string, body?: unknown) =>
    t().request(method, url, { cookie, body, headers: { 'idempotency-key': randomUUID() } });

  it('lets only the keepers (and admins) post in a kept warehouse', async () => {
    const keeper = await t().createUser(['warehouse'], { name: 'Bekzod Tursunov', locale: 'en' });
    const other = await t().createUser(['warehouse'], { name: 'Sardor Aliyev', locale: 'en' });
    const product = await makeProduct(t());
    const open = await makeWarehouse(t());
    const created = await t().request('POST', '/api/erp/warehouses', {
      cookie: t().admin.cookie,
      body: { code: uniq('K'), name: 'Chilonzor ombori', keeperIds: [keeper.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body.keepers).toEqual([{ id: keeper.id, name: 'Bekzod Tursunov' }]);
    const kept = created.body as { id: string; code: string };
    const receipt = (warehouseId: string) => ({
      type: 'receipt',
      warehouseId,
      lines: [{ productId: product.id, quantity: '10' }],
    });

    // The keeper posts; again and again, so the next postings are planned on what the server learnt.
    for (let i = 0; i < 3; i++) expect((await post(t(), receipt(kept.id), keeper.cookie)).status).toBe(201);
    const refused = await post(t(), receipt(kept.id), other.cookie);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'WAREHOUSE_NOT_KEPT',
      details: { field: 'warehouseId' },
      message: `Only the keepers of warehouse ${kept.code} post documents in it.`,
    });
    const writeOff = {
      type: 'write_off',
      warehouseId: kept.id,
      reason: 'lost',
      lines: [{ productId: product.id, quantity: '1' }],
    };
    expect((await post(t(), writeOff, other.cookie)).status).toBe(403);
    // Many at once, as the group path takes them: the keeper's pass, the other's are refused.
    const together = await Promise.all([
      post(t(), writeOff, keeper.cookie),
      post(t(), writeOff, other.cookie),
      post(t(), writeOff, keeper.cookie),
      post(t(), writeOff, other.cookie),
    ]);
    expect(together.map((r) => r.status)).toEqual([201, 403, 201, 403]);
    expect((await post(t(), writeOff, t().admin.cookie)).status).toBe(201);

    // Drafts: not created, edited, posted, deleted or reversed by another.
    expect((await send('POST', '/api/erp/stock-documents', other.cookie, receipt(kept.id))).status).toBe(403);
    const draft = await send('POST', '/api/erp/stock-documents', keeper.cookie, receipt(kept.id));
    expect(draft.status).toBe(201);
    const id = draft.body.id as string;
    expect(
      (
        await send('PATCH', `/api/erp/stock-documents/${id}`, other.cookie, {
          ...receipt(kept.id),
          comment: 'x',
        })
      ).status,
    ).toBe(403);
    const otherPost = await send('POST', `/api/erp/stock-documents/${id}/post`, other.cookie);
    expect(otherPost.status, JSON.stringify(otherPost.body)).toBe(403);
    expect((await send('DELETE', `/api/erp/stock-documents/${id}`, other.cookie)).status).toBe(403);
    // A draft in an open warehouse is not moved into the kept one by another either.
    const openDraft = await send('POST', '/api/erp/stock-documents', other.cookie, receipt(open.id));
    expect(openDraft.status).toBe(201);
    const moved = await send(
      'PATCH',
      `/api/erp/stock-documents/${openDraft.body.id}`,
      other.cookie,
      receipt(kept.id),
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(403);
    const posted = await send('POST', `/api/erp/stock-documents/${id}/post`, keeper.cookie);
    expect(posted.status).toBe(200);
    expect((await send('POST', `/api/erp/stock-documents/${id}/reverse`, other.cookie)).status).toBe(403);
    expect((await send('POST', `/api/erp/stock-documents/${id}/reverse`, keeper.cookie)).status).toBe(201);

    // Goods may be sent into a kept warehouse from an open one by anyone who may post there.
    expect((await post(t(), receipt(open.id), other.cookie)).status).toBe(201);
    const transfer = await post(
      t(),
      {
        type: 'transfer',
        warehouseId: open.id,
        targetWarehouseId: kept.id,
        lines: [{ productId: product.id, quantity: '2' }],
      },
      other.cookie,
    );
    expect(transfer.status).toBe(201);

    // Nobody named: open to all again.
    const opened = await t().request('PATCH', `/api/erp/warehouses/${kept.id}`, {
      cookie: t().admin.cookie,
      body: { keeperIds: [] },
    });
    expect(opened.body.keepers).toEqual([]);
    expect((await post(t(), writeOff, other.cookie)).status).toBe(201);
  });

  it('names keepers among active users only, and finds them for the warehouse form', async () => {
    const clerk = await t().createUser(['warehouse'], { name: 'Malika Yusupova' });
    const unknown = randomUUID();
    const refused = await t().request('POST', '/api/erp/warehouses', {
      cookie: t().admin.cookie,
      body: { code: uniq('K'), name: 'Ombor', keeperIds: [clerk.id, unknown] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.issues).toEqual([{ path: 'keeperIds.1', message: expect.any(String) }]);
    const tooMany = await t().request('POST', '/api/erp/warehouses', {
      cookie: t().admin.cookie,
      body: { code: uniq('K'), name: 'Ombor', keeperIds: Array.from({ length: 21 }, () => randomUUID()) },
    });
    expect(tooMany.status).toBe(400);

    // A warehouse clerk finds people by name without any right to read users.
    const found = await t().request('GET', '/api/erp/warehouse-keepers?q=Malika', { cookie: clerk.cookie });
    expect(found.status).toBe(200);
    expect(found.body.items).toContainEqual({
      id: clerk.id,
      name: 'Malika Yusupova',
      email: expect.any(String),
    });
    const hr = await t().createUser(['hr']);
    expect((await t().request('GET', '/api/erp/warehouse-keepers?q=a', { cookie: hr.cookie })).status).toBe(
      403,
    );
  });
});
