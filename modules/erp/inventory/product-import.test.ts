// A catalogue from a file: the clerk's spreadsheet checked row by row (nothing written), then
// written in one go, known SKUs updated, the opening stock drafted as one receipt to post.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../../server/testing/test-suite.js';
import { balance, makeProduct, makeWarehouse, post, uniq } from './test-fixtures.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describeEachBackend('erp: product import', (t) => {
  const send = ({ commit, ...body }: Record<string, unknown>, cookie = t().admin.cookie) =>
    t().request('POST', `/api/erp/products/import${commit ? '' : '/check'}`, {
      cookie,
      body: { fileName: 'katalog.csv', ...body },
    });
  const productCount = async () =>
    (await t().request('GET', '/api/erp/products?limit=1', { cookie: t().admin.cookie })).body
      .total as number;

  async function setUp() {
    const tag = uniq('K').replace(/[^A-Za-z0-9]/g, '');
    const known = await makeProduct(t(), {
      sku: `${tag}-OLD`,
      name: 'Eski nom',
      unit: 'pcs',
      barcode: `${tag}99`,
    });
    const other = await makeProduct(t(), { sku: `${tag}-BAR`, barcode: `47800${tag}` });
    const csv = [
      'Artikul;Nomi;Birlik;Shtrix-kod;Qayta buyurtma;Qoldiq;Izoh',
      `${tag}-1;Sement M400, 50 kg;dona;;20;100;`,
      `${tag}-2;Yuvilgan qum;kg;;1 000,5;1 250,5;`,
      `${tag}-3;Quti;quti;;;;birlik notoʻgʻri`,
      `${tag}-4;;dona;;;;nomi yoʻq`,
      `${tag}-1;Takror;dona;;;;artikul takror`,
      `${tag}-5;Boʻyoq;dona;47800${tag};;;shtrix-kod band`,
      `${tag.toLowerCase()}-old;Armatura Ø12;dona;;;5;`,
      `${tag}-6;Mix;dona;;2,5;;butun emas`,
    ].join('\n');
    return { tag, known, other, csv };
  }

  it('checks every row and writes nothing: the mapping from Uzbek headers, each problem by row and field', async () => {
    const { csv } = await setUp();
    const before = await productCount();
    const checked = await send({ contentBase64: b64(csv) });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    expect(checked.body.mapping).toEqual({
      Artikul: 'sku',
      Nomi: 'name',
      Birlik: 'unit',
      'Shtrix-kod': 'barcode',
      'Qayta buyurtma': 'reorderLevel',
      Qoldiq: 'openingStock',
      Izoh: null,
    });
    expect(checked.body).toMatchObject({ rows: 8, valid: 3, withOpeningStock: 3 });
    const problems = checked.body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`);
    expect(problems).toEqual(['4:unit', '5:name', '6:sku', '7:barcode', '9:reorderLevel']);
    expect(checked.body.errors[2].message).toBe('Faylning 2-qatorida ham shu qiymat bor.');
    expect(await productCount()).toBe(before);
  });

  it('refuses to write while rows are wrong; skipping them writes the rest and drafts the opening stock', async () => {
    const { tag, known, csv } = await setUp();
    const warehouse = await makeWarehouse(t());
    const before = await productCount();
    const refused = await send({ contentBase64: b64(csv), commit: true, warehouseId: warehouse.id });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('IMPORT_HAS_ERRORS');
    expect(await productCount()).toBe(before);
    // Opening stock needs the warehouse it is in.
    const noWarehouse = await send({ contentBase64: b64(csv), commit: true, skipInvalid: true });
    expect(noWarehouse.status).toBe(422);
    expect(noWarehouse.body.error.code).toBe('OPENING_STOCK_WAREHOUSE');
    expect(await productCount()).toBe(before);

    const done = await send({
      contentBase64: b64(csv),
      commit: true,
      skipInvalid: true,
      warehouseId: warehouse.id,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ created: 2, updated: 1, skipped: 5 });
    expect(await productCount()).toBe(before + 2);
    const sand = await t().request('GET', `/api/erp/products?q=${tag}-2`, { cookie: t().admin.cookie });
    expect(sand.body.items[0]).toMatchObject({ name: 'Yuvilgan qum', unit: 'kg', reorderLevel: '1000.500' });
    // The known SKU (another case) is updated; the barcode column was empty, so it is cleared.
    const old = await t().request('GET', `/api/erp/products/${known.id}`, { cookie: t().admin.cookie });
    expect(old.body).toMatchObject({ name: 'Armatura Ø12', barcode: null });

    const draft = await t().request('GET', `/api/erp/stock-documents/${done.body.openingStockDraft.id}`, {
      cookie: t().admin.cookie,
    });
    expect(draft.body).toMatchObject({ type: 'receipt', status: 'draft', warehouseId: warehouse.id });
    expect(draft.body.comment).toBe('katalog.csv faylidan boshlangʻich qoldiq');
    expect(
      draft.body.lines.map((l: { productSku: string; quantity: string }) => [l.productSku, l.quantity]),
    ).toEqual(
      expect.arrayContaining([
        [`${tag}-1`, '100.000'],
        [`${tag}-2`, '1250.500'],
        [`${tag}-OLD`, '5.000'],
      ]),
    );
    // Nothing is in stock until the draft is posted.
    expect((await balance(t(), known.id, warehouse.id)).quantity).toBe('0.000');
  });

  it('prices the opening stock at a unit cost column: the draft carries the prices and, once posted, the stock its value', async () => {
    const tag = uniq('C').replace(/[^A-Za-z0-9]/g, '');
    const warehouse = await makeWarehouse(t());
    const csv = [
      'Artikul;Nomi;Birlik;Qoldiq;Tannarx',
      `${tag}-1;Sement;dona;10;12 500,50`,
      `${tag}-2;Qum;kg;2,5;1000`,
      `${tag}-3;Mix;dona;4;`,
      `${tag}-4;Boʻyoq;dona;1;qimmat`,
      `${tag}-5;Kafel;dona;1;1,234`,
      `${tag}-6;Katalogda;dona;;9000`,
    ].join('\n');
    const checked = await send({ contentBase64: b64(csv) });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    expect(checked.body.mapping.Tannarx).toBe('cost');
    expect(checked.body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`)).toEqual([
      '5:cost',
      '6:cost',
    ]);
    expect(checked.body.errors[0].message).toBe('Narxni koʻpi bilan 2 ta kasr raqami bilan kiriting.');
    // 10 x 12 500.50 + 2.5 x 1 000; the row without a cost adds nothing, and the row with a cost
    // but no stock is counted so that the page can say its cost is not kept.
    expect(checked.body).toMatchObject({
      withOpeningStock: 3,
      openingStockValue: '127505.00',
      costsNotKept: 1,
    });

    const done = await send({
      contentBase64: b64(csv),
      commit: true,
      skipInvalid: true,
      warehouseId: warehouse.id,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const draftId = done.body.openingStockDraft.id as string;
    const draft = await t().request('GET', `/api/erp/stock-documents/${draftId}`, {
      cookie: t().admin.cookie,
    });
    expect(
      draft.body.lines.map((l: { productSku: string; price: string | null }) => [l.productSku, l.price]),
    ).toEqual(
      expect.arrayContaining([
        [`${tag}-1`, '12500.50'],
        [`${tag}-2`, '1000.00'],
        [`${tag}-3`, null],
      ]),
    );
    const posted = await t().request('POST', `/api/erp/stock-documents/${draftId}/post`, {
      cookie: t().admin.cookie,
      headers: { 'idempotency-key': `${tag}-post` },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(200);
    const stock = await t().request('GET', `/api/erp/stock-balances?warehouseId=${warehouse.id}`, {
      cookie: t().admin.cookie,
    });
    expect(
      Object.fromEntries(
        stock.body.items.map((b: { productSku: string; value: string }) => [b.productSku, b.value]),
      ),
    ).toEqual({ [`${tag}-1`]: '125005.00', [`${tag}-2`]: '2500.00', [`${tag}-3`]: '0.00' });
    expect(stock.body.totalValue).toBe('127505.00');
  });

  it('keeps the unit of a product with stock, asks for SKU and name columns, and is for those who edit products', async () => {
    const { tag, known } = await setUp();
    const warehouse = await makeWarehouse(t());
    const receipt = await post(t(), {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: known.id, quantity: '3' }],
    });
    expect(receipt.status).toBe(201);
    const relabel = await send({ contentBase64: b64(`SKU,Name,Unit\n${tag}-OLD,Armatura,kg\n`) });
    expect(relabel.body.errors).toEqual([{ row: 2, field: 'unit', message: expect.any(String) }]);

    const unmapped = await send({
      contentBase64: b64('Kod,Nomi\nA-1,Bir\n'),
      mapping: { Kod: null, Nomi: 'name' },
    });
    expect(unmapped.status).toBe(422);
    expect(unmapped.body.error.code).toBe('IMPORT_MAPPING_REQUIRED');

    const badMapping = await send({ contentBase64: b64('Kod,Nomi\nA-1,Bir\n'), mapping: { Kod: 'colour' } });
    expect(badMapping.status).toBe(400);
    const notAFile = await send({ fileName: 'katalog.pdf', contentBase64: b64('%PDF-1.4') });
    expect(notAFile.status).toBe(400);
    expect(notAFile.body.error.code).toBe('IMPORT_FILE_TYPE');

    const manager = await t().createUser(['sales_manager']);
    expect((await send({ contentBase64: b64('SKU,Name\nZ-1,Z\n') }, manager.cookie)).status).toBe(403);
  });
});
