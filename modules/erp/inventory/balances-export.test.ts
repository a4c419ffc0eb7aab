// The balances list as a file for a spreadsheet: the list's filters, quantities as numbers.
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
      'sku,product,unit,warehouse,warehouseName,onHand,reserved,available',
      `${sand.sku},"Qum, ""yuvilgan""",kg,${main.code},Ombor,1500.25,0,1500.25`,
      `${cement.sku},Sement M400,pcs,${main.code},Ombor,12,0,12`,
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
});
