// A warehouse moving its catalogue in from Excel, as its clerk lives it: the file chosen from
// the products page, columns matched from Russian headers, the bad row named and skipped, the
// opening stock drafted as one receipt at the file's unit costs, and that draft opened to post.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import erpUz from './i18n/uz.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;
let harness: Harness;
const WAIT = { timeout: 15_000 };
const TAG = Date.now().toString(36).toUpperCase();

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

describe('product import', () => {
  it('imports a catalogue with opening stock, skipping the row it cannot take', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, { language: 'uz' });
    const warehouse = await page.request.post(`${harness.baseUrl}/api/erp/warehouses`, {
      data: { code: `IMP-${TAG}`, name: 'Chilonzor ombori' },
    });
    expect(warehouse.status()).toBe(201);

    await page.goto(`${harness.baseUrl}/erp/products`);
    await page.getByTestId('product-import').click();
    await page.getByTestId('import-upload').waitFor(WAIT);
    await harness.screenshot(page, 'erp-import-upload-uz');
    await page.setInputFiles('[data-testid=import-file]', {
      name: 'номенклатура.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        [
          'Артикул;Наименование;Ед. изм.;Штрихкод;Остаток;Себестоимость',
          `S-${TAG};Sement M400, 50 kg;шт;;40;52 000`,
          `Q-${TAG};Yuvilgan qum;кг;;1 250,5;300`,
          `B-${TAG};Boʻyoq;ящик;;3;10`,
          `K-${TAG};Kafel;шт;;;9 000`,
        ].join('\n'),
      ),
    });
    await page.getByTestId('import-preview').waitFor(WAIT);
    // The columns are matched from their Russian headers.
    expect(await page.inputValue('[data-testid=import-map-0]')).toBe('sku');
    expect(await page.inputValue('[data-testid=import-map-2]')).toBe('unit');
    expect(await page.inputValue('[data-testid=import-map-4]')).toBe('openingStock');
    expect(await page.inputValue('[data-testid=import-map-5]')).toBe('cost');
    await page.getByTestId('import-validate').click();
    await page.getByTestId('import-validation').waitFor(WAIT);
    const errors = (await page.getByTestId('import-errors').textContent()) ?? '';
    expect(errors).toContain('ящик');
    expect(errors).toContain(erpUz['erp.import.field.unit']);
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    await page.getByTestId('import-skip').check();
    await page.getByTestId('import-warehouse').selectOption({ label: `IMP-${TAG} · Chilonzor ombori` });
    // What the opening stock is worth: 40 x 52 000 + 1 250.5 x 300 (the skipped row left out).
    const hint = (await page.locator('.erp-import-stock .field-hint').textContent()) ?? '';
    expect(hint.replace(/\s/g, '')).toContain('2455150');
    // The tile's cost has no stock to price: the clerk is told it is not kept.
    expect(await page.getByTestId('import-costs-not-kept').textContent()).toBe(
      erpUz['erp.import.costsNotKept'].replace('{count}', '1'),
    );
    await harness.screenshot(page, 'erp-import-checked-uz');
    expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor(WAIT);
    expect(await page.getByTestId('import-result').textContent()).toBe(
      erpUz['erp.import.doneText']
        .replace('{created}', '3')
        .replace('{updated}', '0')
        .replace('{skipped}', '1'),
    );
    await harness.screenshot(page, 'erp-import-done-uz');

    // The opening stock waits in a receipt draft: open it, post it, and the stock is there.
    await page.getByTestId('import-draft').click();
    await page.getByTestId('posting-screen').waitFor(WAIT);
    expect(await page.getByTestId('line-0-quantity').inputValue()).toBe('40');
    expect(await page.getByTestId('line-1-quantity').inputValue()).toBe('1250.5');
    expect(await page.getByTestId('line-0-price').inputValue()).toBe('52000');
    await page.getByTestId('doc-post').click();
    await page.getByTestId('document-view').waitFor(WAIT);
    const stock = await page.request.get(`${harness.baseUrl}/api/erp/products?q=Q-${TAG}`);
    expect((await stock.json()).items[0]).toMatchObject({ unit: 'kg', onHand: '1250.500' });
    const sand = (await stock.json()).items[0].id as string;
    const valued = await page.request.get(`${harness.baseUrl}/api/erp/stock-balances?productId=${sand}`);
    expect((await valued.json()).items[0]).toMatchObject({ value: '375150.00', averageCost: '300.00' });
  }, 120_000);

  it('fits a phone: the columns scroll inside their table, the page does not', async () => {
    const page = await harness.newPage({ width: 390, height: 844 });
    await harness.signIn(page, { language: 'ru' });
    await page.goto(`${harness.baseUrl}/erp/import`);
    await page.setInputFiles('[data-testid=import-file]', {
      name: 'mahsulotlar.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(join(process.cwd(), 'docs', 'examples', 'mahsulotlar.csv')),
    });
    await page.getByTestId('import-preview').waitFor(WAIT);
    await page.getByTestId('import-validate').click();
    await page.getByTestId('import-validation').waitFor(WAIT);
    expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
    await harness.screenshot(page, 'erp-import-phone-ru');
  }, 60_000);
});
