// Stock documents through the API, as warehouse staff and other modules use them.
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { balance, makeClient, makeProduct, makeWarehouse, post } from './test-fixtures.js';

describeEachBackend('erp stock documents', (t) => {
  it('posts a receipt and a write-off, each line to the ledger with the balance after', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: [{ productId: p.id, quantity: 10, price: '52000.50' }],
    });
    expect(receipt.status).toBe(201);
    expect(receipt.body).toMatchObject({ status: 'posted', type: 'receipt' });
    expect(receipt.body.number).toMatch(/^RC-\d{6}$/);
    const writeOff = await post(t(), {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'damaged',
      lines: [{ productId: p.id, quantity: '3' }],
    });
    expect(writeOff.status).toBe(201);
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '7.000', available: '7.000' });
    const ledger = await t().request('GET', `/api/erp/stock-ledger?productId=${p.id}&sort=postedAt`, {
      cookie: t().admin.cookie,
    });
    expect(
      ledger.body.items.map((e: { quantity: string; balanceAfter: string }) => [e.quantity, e.balanceAfter]),
    ).toEqual([
      ['10.000', '10.000'],
      ['-3.000', '7.000'],
    ]);
  });

  it('answers a create-and-post exactly as the document reads back afterwards', async () => {
    const [p, kg, a, b] = [
      await makeProduct(t()),
      await makeProduct(t(), { unit: 'kg' }),
      await makeWarehouse(t()),
      await makeWarehouse(t()),
    ];
    for (const body of [
      {
        type: 'receipt',
        warehouseId: a.id,
        comment: 'Kirim',
        lines: [
          { productId: p.id, quantity: 10, price: '52000.5' },
          { productId: kg.id, quantity: '2.5', price: 7 },
        ],
      },
      {
        type: 'transfer',
        warehouseId: a.id,
        targetWarehouseId: b.id,
        date: '2026-11-20',
        lines: [{ productId: kg.id, quantity: '1.25' }],
      },
      { type: 'count', warehouseId: b.id, lines: [{ productId: kg.id, quantity: '1' }] },
    ]) {
      const posted = await post(t(), body);
      expect(posted.status).toBe(201);
      const read = await t().request('GET', `/api/erp/stock-documents/${posted.body.id}`, {
        cookie: t().admin.cookie,
      });
      // The read adds what CRM says of a shipment's client and deal (none here), and its authors.
      const admin = { id: t().admin.id, name: 'Test Admin' };
      expect({
        ...posted.body,
        clientName: null,
        dealTitle: null,
        createdBy: admin,
        postedBy: admin,
      }).toEqual(read.body);
    }
  });

  it('names who wrote a document and who posted it; a draft has no poster', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const writer = await t().createUser(['warehouse'], { name: 'Dilshod Karimov' });
    const poster = await t().createUser(['warehouse'], { name: 'Bekzod Tursunov' });
    const draft = await t().request('POST', '/api/erp/stock-documents', {
      cookie: writer.cookie,
      body: { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 3 }] },
    });
    expect(draft.status).toBe(201);
    const read = async (cookie: string) =>
      (await t().request('GET', `/api/erp/stock-documents/${draft.body.id}`, { cookie })).body;
    expect(await read(poster.cookie)).toMatchObject({
      createdBy: { id: writer.id, name: 'Dilshod Karimov' },
      postedBy: null,
    });
    const posted = await t().request('POST', `/api/erp/stock-documents/${draft.body.id}/post`, {
      cookie: poster.cookie,
      headers: { 'idempotency-key': randomUUID() },
      body: { revision: draft.body.revision },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    // Read by a clerk, who may not list users: the names come all the same.
    expect(await read(writer.cookie)).toMatchObject({
      status: 'posted',
      createdBy: { id: writer.id, name: 'Dilshod Karimov' },
      postedBy: { id: poster.id, name: 'Bekzod Tursunov' },
    });
  });

  it('refuses a write-off beyond stock naming every short line, and posts nothing', async () => {
    const [a, b, w] = [await makeProduct(t()), await makeProduct(t()), await makeWarehouse(t())];
    await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: [
        { productId: a.id, quantity: 5 },
        { productId: b.id, quantity: 2 },
      ],
    });
    const refused = await post(t(), {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'lost',
      lines: [
        { productId: a.id, quantity: 4 },
        { productId: b.id, quantity: 3 },
        { productId: a.id, quantity: 2 },
      ],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('STOCK_INSUFFICIENT');
    const lines = refused.body.error.details.lines;
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(
      expect.objectContaining({ productId: a.id, warehouseId: w.id, requested: '6.000', available: '5.000' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ productId: b.id, requested: '3.000', available: '2.000' }),
    );
    expect(await balance(t(), a.id, w.id)).toMatchObject({ quantity: '5.000' });
    const drafts = await t().request('GET', `/api/erp/stock-documents?warehouseId=${w.id}&type=write_off`, {
      cookie: t().admin.cookie,
    });
    expect(drafts.body.total).toBe(0);
  });

  it('ships only to a client CRM knows', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const unknown = await post(t(), {
      type: 'shipment',
      warehouseId: w.id,
      clientId: randomUUID(),
      lines: [{ productId: p.id, quantity: 1 }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.issues.map((i: { path: string }) => i.path)).toContain('clientId');
  });

  it('refuses bad documents with 400 and the field path, changing nothing', async () => {
    const [p, kg, w, w2] = [
      await makeProduct(t()),
      await makeProduct(t(), { unit: 'kg' }),
      await makeWarehouse(t()),
      await makeWarehouse(t()),
    ];
    const inactive = await makeProduct(t());
    await t().request('PATCH', `/api/erp/products/${inactive.id}`, {
      cookie: t().admin.cookie,
      body: { active: false },
    });
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'receipt', warehouseId: w.id, lines: [] }, 'lines'],
      [{ type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 0 }] }, 'lines.0.quantity'],
      [
        { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: -1 }] },
        'lines.0.quantity',
      ],
      [
        { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 'ten' }] },
        'lines.0.quantity',
      ],
      [
        { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 1.5 }] },
        'lines.0.quantity',
      ],
      [
        { type: 'receipt', warehouseId: w.id, lines: [{ productId: kg.id, quantity: '1.2345' }] },
        'lines.0.quantity',
      ],
      [
        { type: 'receipt', warehouseId: w.id, lines: [{ productId: randomUUID(), quantity: 1 }] },
        'lines.0.productId',
      ],
      [
        { type: 'receipt', warehouseId: w.id, lines: [{ productId: inactive.id, quantity: 1 }] },
        'lines.0.productId',
      ],
      [{ type: 'receipt', warehouseId: w.id, lines: [{ productId: 'x', quantity: 1 }] }, 'lines.0.productId'],
      // Slips that would overflow a column: refused beside the field, not a 500.
      [
        { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: '999999999999999' }] },
        'lines.0.quantity',
      ],
      [
        {
          type: 'receipt',
          warehouseId: w.id,
          lines: [{ productId: p.id, quantity: 1, price: '9999999999999999' }],
        },
        'lines.0.price',
      ],
      [
        {
          type: 'receipt',
          warehouseId: w.id,
          lines: [{ productId: p.id, quantity: '999999999999', price: '999999999999' }],
        },
        'lines.0.price',
      ],
      [{ type: 'write_off', warehouseId: w.id, lines: [{ productId: p.id, quantity: 1 }] }, 'reason'],
      [
        {
          type: 'transfer',
          warehouseId: w.id,
          targetWarehouseId: w.id,
          lines: [{ productId: p.id, quantity: 1 }],
        },
        'targetWarehouseId',
      ],
      [
        { type: 'transfer', warehouseId: w.id, lines: [{ productId: p.id, quantity: 1 }] },
        'targetWarehouseId',
      ],
      [
        { type: 'receipt', warehouseId: randomUUID(), lines: [{ productId: p.id, quantity: 1 }] },
        'warehouseId',
      ],
      [{ type: 'shipment', warehouseId: w.id, lines: [{ productId: p.id, quantity: 1 }] }, 'clientId'],
      [
        {
          type: 'count',
          warehouseId: w2.id,
          lines: [
            { productId: p.id, quantity: 1 },
            { productId: p.id, quantity: 2 },
          ],
        },
        'lines.1.productId',
      ],
    ];
    for (const [body, path] of cases) {
      const response = await post(t(), body);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const kgOk = await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: [{ productId: kg.id, quantity: '1.234' }],
    });
    expect(kgOk.status).toBe(201);
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '0.000' });
  });

  it('refuses with 422 a posting whose total would outgrow its column, and posts nothing', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    // A thousand of the largest lines still fit the balance (just under 10^15 pieces)...
    const full = await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: Array.from({ length: 1000 }, () => ({ productId: p.id, quantity: '999999999999' })),
    });
    expect(full.status, JSON.stringify(full.body).slice(0, 300)).toBe(201);
    // ...and one more piece does not: the database refuses the sum, the caller is told.
    const over = await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: [{ productId: p.id, quantity: '1000' }],
    });
    expect(over.status, JSON.stringify(over.body)).toBe(422);
    expect(over.body.error.code).toBe('NUMBER_OUT_OF_RANGE');
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '999999999999000.000' });
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body.differences).toEqual([]);
  });

  it('posts once per Idempotency-Key, refuses the key with another body, and requires it', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const key = randomUUID();
    const body = { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 4 }] };
    const first = await post(t(), body, t().admin.cookie, key);
    const again = await post(t(), body, t().admin.cookie, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '4.000' });
    const other = await post(
      t(),
      { ...body, lines: [{ productId: p.id, quantity: 5 }] },
      t().admin.cookie,
      key,
    );
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_MISMATCH');
    const missing = await t().request('POST', '/api/erp/stock-documents?post=true', {
      cookie: t().admin.cookie,
      body,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    // Concurrent retries of one request post once.
    const key2 = randomUUID();
    const racing = await Promise.all([1, 2, 3].map(() => post(t(), body, t().admin.cookie, key2)));
    expect(racing.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '8.000' });
  });

  it('keeps posted documents immutable; a reversal undoes one, once', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: w.id,
      lines: [{ productId: p.id, quantity: 10 }],
    });
    const id = receipt.body.id;
    const edit = await t().request('PATCH', `/api/erp/stock-documents/${id}`, {
      cookie: t().admin.cookie,
      body: { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 1 }] },
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('DOCUMENT_NOT_DRAFT');
    expect(
      (await t().request('DELETE', `/api/erp/stock-documents/${id}`, { cookie: t().admin.cookie })).status,
    ).toBe(409);
    const reverse = (docId: string) =>
      t().request('POST', `/api/erp/stock-documents/${docId}/reverse`, {
        cookie: t().admin.cookie,
        headers: { 'idempotency-key': randomUUID() },
      });
    // Part of the receipt is gone: the reversal would go negative and is refused.
    await post(t(), {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'damaged',
      lines: [{ productId: p.id, quantity: 4 }],
    });
    const refused = await reverse(id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('STOCK_INSUFFICIENT');
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 4 }] });
    const reversal = await reverse(id);
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ status: 'posted', reversalOfId: id, reversedByNumber: null });
    expect(reversal.body.reversalOfNumber).toMatch(/^RC-/);
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '0.000' });
    const original = await t().request('GET', `/api/erp/stock-documents/${id}`, { cookie: t().admin.cookie });
    expect(original.body).toMatchObject({
      status: 'reversed',
      reversedById: reversal.body.id,
      reversedByNumber: reversal.body.number,
      reversalOfNumber: null,
    });
    const twice = await reverse(id);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('DOCUMENT_ALREADY_REVERSED');
  });

  it('refuses to save over or post a draft another clerk changed since it was opened', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const cookie = t().admin.cookie;
    const created = await t().request('POST', '/api/erp/stock-documents', {
      cookie,
      body: { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 5 }] },
    });
    expect(created.body.revision).toBe(1);
    const id = created.body.id;
    const save = (revision: number | undefined, quantity: number) =>
      t().request('PATCH', `/api/erp/stock-documents/${id}`, {
        cookie,
        body: { revision, type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity }] },
      });
    const postIt = (revision: number) =>
      t().request('POST', `/api/erp/stock-documents/${id}/post`, {
        cookie,
        headers: { 'idempotency-key': randomUUID() },
        body: { revision },
      });
    // Two clerks opened revision 1; the first saves 50, the second's 7 is refused, not saved over it.
    const first = await save(1, 50);
    expect(first.status).toBe(200);
    expect(first.body.revision).toBe(2);
    const second = await save(1, 7);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'DOCUMENT_CHANGED',
      details: { field: 'revision', revision: 2 },
    });
    expect(second.body.error.message).toContain(created.body.number);
    // Nor does the second clerk post the 50 they never saw.
    const unseen = await postIt(1);
    expect(unseen.status).toBe(409);
    expect(unseen.body.error.code).toBe('DOCUMENT_CHANGED');
    const still = await t().request('GET', `/api/erp/stock-documents/${id}`, { cookie });
    expect(still.body).toMatchObject({ status: 'draft', revision: 2, lines: [{ quantity: '50.000' }] });
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '0.000' });
    // Read again, the draft posts at the revision seen, which posting moves on.
    const posted = await postIt(2);
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ status: 'posted', revision: 3 });
    expect(await balance(t(), p.id, w.id)).toMatchObject({ quantity: '50.000' });
    // A caller that names no revision takes the draft as it stands (processes, older clients).
    const other = await t().request('POST', '/api/erp/stock-documents', {
      cookie,
      body: { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 1 }] },
    });
    expect((await save(undefined, 2)).status).toBe(409); // the posted one: not a draft any more
    const bare = await t().request('POST', `/api/erp/stock-documents/${other.body.id}/post`, {
      cookie,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(bare.status).toBe(200);
    const bad = await t().request('PATCH', `/api/erp/stock-documents/${other.body.id}`, {
      cookie,
      body: {
        revision: 'two',
        type: 'receipt',
        warehouseId: w.id,
        lines: [{ productId: p.id, quantity: 1 }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('revision');
  });

  it('refuses to reserve, release or delete a draft another clerk changed since it was opened', async () => {
    const [p, w, client] = [await makeProduct(t()), await makeWarehouse(t()), await makeClient(t())];
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 10 }] });
    const cookie = t().admin.cookie;
    const body = (quantity: number) => ({
      type: 'shipment',
      warehouseId: w.id,
      clientId: client.id,
      lines: [{ productId: p.id, quantity }],
    });
    const created = await t().request('POST', '/api/erp/stock-documents', { cookie, body: body(2) });
    const id = created.body.id;
    const act = (what: 'reserve' | 'release', revision: unknown) =>
      t().request('POST', `/api/erp/stock-documents/${id}/${what}`, { cookie, body: { revision } });
    // Someone else raises the quantity to 8 after this clerk read revision 1.
    const changed = await t().request('PATCH', `/api/erp/stock-documents/${id}`, {
      cookie,
      body: { ...body(8), revision: 1 },
    });
    expect(changed.body.revision).toBe(2);
    const stale = await act('reserve', 1);
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'DOCUMENT_CHANGED', details: { revision: 2 } });
    expect(await balance(t(), p.id, w.id)).toMatchObject({ reserved: '0.000' });
    const reserved = await act('reserve', 2);
    expect(reserved.status).toBe(200);
    expect(reserved.body).toMatchObject({ reserved: true, revision: 3 });
    expect(await balance(t(), p.id, w.id)).toMatchObject({ reserved: '8.000', available: '2.000' });
    // Reserving again is the answer already given (a retried click), whatever revision it names.
    expect((await act('reserve', 2)).body).toMatchObject({ reserved: true, revision: 3 });
    // A release on a screen that never saw the reservation is refused; at the revision seen it runs.
    expect((await act('release', 2)).status).toBe(409);
    const released = await act('release', 3);
    expect(released.body).toMatchObject({ reserved: false, revision: 4 });
    expect(await balance(t(), p.id, w.id)).toMatchObject({ reserved: '0.000' });
    expect((await act('release', 1)).body).toMatchObject({ reserved: false, revision: 4 });
    // Deleting at an old revision keeps the draft and what was changed on it.
    const staleDelete = await t().request('DELETE', `/api/erp/stock-documents/${id}?revision=3`, { cookie });
    expect(staleDelete.status).toBe(409);
    expect(staleDelete.body.error.code).toBe('DOCUMENT_CHANGED');
    expect((await t().request('GET', `/api/erp/stock-documents/${id}`, { cookie })).status).toBe(200);
    const badDelete = await t().request('DELETE', `/api/erp/stock-documents/${id}?revision=four`, { cookie });
    expect(badDelete.status).toBe(400);
    expect(badDelete.body.error.details.issues[0].path).toBe('revision');
    expect((await act('reserve', 'two')).status).toBe(400);
    const deleted = await t().request('DELETE', `/api/erp/stock-documents/${id}?revision=4`, { cookie });
    expect(deleted.status).toBe(204);
    expect((await t().request('GET', `/api/erp/stock-documents/${id}`, { cookie })).status).toBe(404);
  });

  it('moves stock between warehouses and posts the differences of a count', async () => {
    const [p, a, b] = [
      await makeProduct(t(), { unit: 'kg' }),
      await makeWarehouse(t()),
      await makeWarehouse(t()),
    ];
    await post(t(), { type: 'receipt', warehouseId: a.id, lines: [{ productId: p.id, quantity: '10.5' }] });
    const transfer = await post(t(), {
      type: 'transfer',
      warehouseId: a.id,
      targetWarehouseId: b.id,
      lines: [{ productId: p.id, quantity: '2.25' }],
    });
    expect(transfer.status).toBe(201);
    expect(await balance(t(), p.id, a.id)).toMatchObject({ quantity: '8.250' });
    expect(await balance(t(), p.id, b.id)).toMatchObject({ quantity: '2.250' });
    const count = await post(t(), {
      type: 'count',
      warehouseId: a.id,
      lines: [{ productId: p.id, quantity: '7' }],
    });
    expect(count.status).toBe(201);
    expect(count.body.lines[0].difference).toBe('-1.250');
    expect(await balance(t(), p.id, a.id)).toMatchObject({ quantity: '7.000' });
  });

  it('reserves stock for a shipment draft: available shrinks, and posting consumes the reservation', async () => {
    const [p, w, client] = [await makeProduct(t()), await makeWarehouse(t()), await makeClient(t())];
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 10 }] });
    const draft = await t().request('POST', '/api/erp/stock-documents', {
      cookie: t().admin.cookie,
      body: {
        type: 'shipment',
        warehouseId: w.id,
        clientId: client.id,
        lines: [{ productId: p.id, quantity: 6 }],
      },
    });
    expect(draft.status).toBe(201);
    const reserve = await t().request('POST', `/api/erp/stock-documents/${draft.body.id}/reserve`, {
      cookie: t().admin.cookie,
    });
    expect(reserve.status).toBe(200);
    expect(await balance(t(), p.id, w.id)).toMatchObject({
      quantity: '10.000',
      reserved: '6.000',
      available: '4.000',
    });
    const tooMuch = await post(t(), {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'lost',
      lines: [{ productId: p.id, quantity: 5 }],
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.details.lines[0]).toMatchObject({ requested: '5.000', available: '4.000' });
    const second = await t().request('POST', '/api/erp/stock-documents', {
      cookie: t().admin.cookie,
      body: {
        type: 'shipment',
        warehouseId: w.id,
        clientId: client.id,
        lines: [{ productId: p.id, quantity: 5 }],
      },
    });
    const overReserve = await t().request('POST', `/api/erp/stock-documents/${second.body.id}/reserve`, {
      cookie: t().admin.cookie,
    });
    expect(overReserve.status).toBe(409);
    const posted = await t().request('POST', `/api/erp/stock-documents/${draft.body.id}/post`, {
      cookie: t().admin.cookie,
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(posted.status).toBe(200);
    expect(await balance(t(), p.id, w.id)).toMatchObject({
      quantity: '4.000',
      reserved: '0.000',
      available: '4.000',
    });
    const check = await t().request('GET', '/api/erp/stock-check', { cookie: t().admin.cookie });
    expect(check.body).toMatchObject({ ok: true, differences: [] });
  });

  it('lets sales staff read stock but not post it; warehouse staff post', async () => {
    const [p, w] = [await makeProduct(t()), await makeWarehouse(t())];
    const manager = await t().createUser(['sales_manager']);
    const clerk = await t().createUser(['warehouse']);
    const body = { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 1 }] };
    expect((await post(t(), body, manager.cookie)).status).toBe(403);
    expect((await t().request('GET', '/api/erp/stock-balances', { cookie: manager.cookie })).status).toBe(
      200,
    );
    expect((await post(t(), body, clerk.cookie)).status).toBe(201);
    expect((await t().request('GET', '/api/erp/stock-check', { cookie: clerk.cookie })).status).toBe(403);
  });

  it('emits erp.stock.belowReorderLevel when a posting crosses the level', async () => {
    const [p, w] = [await makeProduct(t(), { reorderLevel: 5 }), await makeWarehouse(t())];
    await post(t(), { type: 'receipt', warehouseId: w.id, lines: [{ productId: p.id, quantity: 8 }] });
    await post(t(), {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'expired',
      lines: [{ productId: p.id, quantity: 2 }],
    });
    await post(t(), {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'expired',
      lines: [{ productId: p.id, quantity: 2 }],
    });
    await post(t(), {
      type: 'write_off',
      warehouseId: w.id,
      reason: 'expired',
      lines: [{ productId: p.id, quantity: 1 }],
    });
    const events = await t()
      .db.selectFrom('core_events')
      .select(['type', 'payload'])
      .where('type', '=', 'erp.stock.belowReorderLevel')
      .where('aggregate_id', '=', p.id)
      .execute();
    // Only the posting that went from 6 to 4 crossed the level.
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ onHand: '4.000', reorderLevel: '5.000' });
    const below = await t().request('GET', '/api/erp/products?belowReorder=true&limit=500', {
      cookie: t().admin.cookie,
    });
    expect(below.body.items.map((x: { id: string }) => x.id)).toContain(p.id);
  });
});
