// The balances list and the ledger as files for a spreadsheet: the list's filters, quantities as numbers.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { makeProduct, makeWarehouse, post } from './test-fixtures.js';

describeEachBackend('erp: balances export', (t) => {
  it('writes the filtered balances as CSV and XLSX, quantities as numbers', async () => {
    const [cement, sand] = [
      await makeProduct(t()),
      await makeProduct(t(), { unit: 'kg', name: 'Qum, "yuvilgan"' }),
    ];
    const [main, other] = [await makeWarehouse(t()), await makeWarehouse(t())];
    for (const [warehouse, lines] of [
      [
        main,
        [
          { productId: cement.id, quantity: '12' },
          { productId: sand.id, quantity: '1500.250' },
        ],
      ],
      [other, [{ productId: cement.id, quantity: '3' }]],
    ] as const) {
      expect((await post(t(), { type: 'receipt', warehouseId: warehouse.id, lines })).status).toBe(201);
    }
    const csv = await t().request(
      'GET',
      `/api/erp/stock-balances/export?warehouseId=${main.id}&sort=-quantity`,
      {
        cookie: t().admin.cookie,
      },
    );
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    expect(String(csv.headers['content-disposition'])).toMatch(
      /attachment; filename="stock-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = String(csv.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toEqual([
      'sku,product,unit,warehouse,warehouseName,onHand,reserved,available,value,averageCost',
      `${sand.sku},"Qum, ""yuvilgan""",kg,${main.code},Ombor,1500.25,0,1500.25,0,0`,
      `${cement.sku},Sement M400,pcs,${main.code},Ombor,12,0,12,0,0`,
    ]);

    const xlsx = await t().suite.app.inject({
      method: 'GET',
      url: `/api/erp/stock-balances/export?format=xlsx&productId=${cement.id}`,
      headers: { cookie: t().admin.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    const { default: ExcelJS } = await import('exceljs');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(3);
    const onHand = [2, 3].map((n) => sheet.getRow(n).getCell(6).value).sort();
    expect(onHand).toEqual([12, 3].sort());
  });

  it('refuses an unknown format or filter with the field, and is closed to those without stock rights', async () => {
    const format = await t().request('GET', '/api/erp/stock-balances/export?format=pdf', {
      cookie: t().admin.cookie,
    });
    expect(format.status).toBe(400);
    expect(format.body.error.details.issues[0].path).toBe('format');
    const filter = await t().request('GET', '/api/erp/stock-balances/export?warehouseId=7', {
      cookie: t().admin.cookie,
    });
    expect(filter.status).toBe(400);
    const hr = await t().createUser(['hr']);
    expect((await t().request('GET', '/api/erp/stock-balances/export', { cookie: hr.cookie })).status).toBe(
      403,
    );
  });

  it("writes a product's movements as the ledger shows them: signed quantities, the balance after, Tashkent time", async () => {
    const product = await makeProduct(t(), { name: 'Armatura Ø12', unit: 'm' });
    const warehouse = await makeWarehouse(t());
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: '20' }],
    });
    const writeOff = await post(t(), {
      type: 'write_off',
      warehouseId: warehouse.id,
      reason: 'damaged',
      lines: [{ productId: product.id, quantity: '2.5' }],
    });
    expect([receipt.status, writeOff.status]).toEqual([201, 201]);
    const csv = await t().request(
      'GET',
      `/api/erp/stock-ledger/export?productId=${product.id}&sort=postedAt`,
      {
        cookie: t().admin.cookie,
      },
    );
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-disposition'])).toMatch(/filename="ledger-\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = String(csv.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(header).toBe('postedAt,document,type,line,sku,product,unit,warehouse,quantity,balanceAfter,value');
    expect(rows.map((r) => r.split(',').slice(1))).toEqual([
      [
        receipt.body.number,
        'receipt',
        '1',
        product.sku,
        'Armatura Ø12',
        'm',
        warehouse.code,
        '20',
        '20',
        '0',
      ],
      [
        writeOff.body.number,
        'write_off',
        '1',
        product.sku,
        'Armatura Ø12',
        'm',
        warehouse.code,
        '-2.5',
        '17.5',
        '0',
      ],
    ]);
    // Posted a moment ago, in Tashkent (UTC+5, all year).
    const at = new Date(`${rows[0]!.split(',')[0]!.replace(' ', 'T')}+05:00`).getTime();
    expect(Math.abs(at - Date.now())).toBeLessThan(5 * 60_000);

    const refused = await t().request('GET', '/api/erp/stock-ledger/export?format=pdf', {
      cookie: t().admin.cookie,
    });
    expect(refused.status).toBe(400);
    // Someone with no role in the company's stock reads none of it.
    const clerkless = await t().createUser([]);
    expect(
      (await t().request('GET', '/api/erp/stock-ledger/export', { cookie: clerkless.cookie })).status,
    ).toBe(403);
  });
});
