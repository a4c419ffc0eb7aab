import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erpMessages } from '../../../../modules/erp/messages.js';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import en from '../../i18n/en.json' with { type: 'json' };
import uz from '../../i18n/uz.json' with { type: 'json' };
import erpEn from './i18n/en.json' with { type: 'json' };
import erpRu from './i18n/ru.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;

let harness: Harness;

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

const WAIT = { timeout: 15_000 };
const SCREENSHOTS = join(process.cwd(), '.test-artifacts', 'screenshots');
const SKU = `NAIL-${Date.now().toString(36).toUpperCase()}`;
const WAREHOUSE = 'MAIN';

async function signIn(page: Page, locale: 'en' | 'uz' | 'ru' = 'en'): Promise<void> {
  await page.goto(`${harness.baseUrl}/`);
  await page.getByTestId('sign-in-form').waitFor();
  await page.selectOption('[data-testid=language-select]', 'en');
  await page.getByLabel(en['fields.email'], { exact: true }).fill(harness.adminEmail);
  await page.getByLabel(en['fields.password'], { exact: true }).fill(harness.adminPassword);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('sign-out').waitFor();
  if ((await page.inputValue('[data-testid=language-select]')) !== locale) {
    await page.selectOption('[data-testid=language-select]', locale);
  }
  await page.locator(`html[lang=${locale}]`).waitFor({ state: 'attached' });
}

/** The balance of our product in the balances grid, as the grid shows it. */
async function balanceOnHand(page: Page): Promise<string> {
  await page.goto(`${harness.baseUrl}/erp/stock`);
  const row = page.locator('[data-testid=balances-grid] .ag-row:visible', { hasText: SKU }).first();
  await row.waitFor();
  return ((await row.locator('[col-id=quantity]').textContent()) ?? '').trim();
}

/** What the window shows (the harness's screenshots are of the whole page). */
async function viewShot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400); // smooth scrolling settles
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The test id of the focused element. */
function focused(page: Page): Promise<unknown> {
  return page.evaluate("document.activeElement && document.activeElement.getAttribute('data-testid')");
}

/** How far the page is wider than the window (0 when nothing overflows sideways). */
async function overflowOf(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
}

/** Enters one line from the keyboard: the code, Enter, the quantity, Enter. */
async function enterLine(page: Page, code: string, quantity: string): Promise<void> {
  const finder = page.getByTestId('product-finder');
  await finder.click();
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page), WAIT).toBe('entry-quantity');
  await page.keyboard.type(quantity);
  await page.keyboard.press('Enter');
  await expect.poll(() => focused(page), WAIT).toBe('product-finder');
}

async function newDocument(page: Page, type: 'receipt' | 'write_off' | 'count'): Promise<void> {
  await page.goto(`${harness.baseUrl}/erp/documents/new?type=${type}`);
  await page.getByTestId('posting-screen').waitFor();
  await expect.poll(() => page.inputValue('[data-testid=doc-warehouse]'), WAIT).not.toBe('');
}

describe('posting stock from the keyboard', () => {
  it('receives 10, writes off 3, and refuses a write-off of 50 naming the short line', async () => {
    const page = await harness.newPage();
    await signIn(page);

    // A warehouse and a product, through their side panels.
    await page.getByTestId('nav-/erp/warehouses').click();
    await page.getByTestId('warehouses-grid').waitFor();
    await page.getByTestId('empty-state').waitFor();
    await harness.screenshot(page, 'erp-warehouses-empty');
    await page.getByTestId('warehouse-create').first().click();
    const warehouseDrawer = page.getByTestId('warehouse-drawer');
    await warehouseDrawer.getByLabel(erpEn['erp.fields.code'], { exact: true }).fill(WAREHOUSE);
    await warehouseDrawer.getByLabel(erpEn['erp.fields.name'], { exact: true }).fill('Main warehouse');
    await warehouseDrawer
      .getByLabel(erpEn['erp.fields.address'], { exact: true })
      .fill('Toshkent, Chilonzor 7');
    await page.getByTestId('warehouse-save').click();
    await warehouseDrawer.waitFor({ state: 'detached' });
    await page
      .locator('[data-testid=warehouses-grid] .ag-row:visible', { hasText: WAREHOUSE })
      .first()
      .waitFor();

    await page.getByTestId('nav-/erp/products').click();
    await page.getByTestId('products-grid').waitFor();
    await page.getByTestId('product-create').first().click();
    const productDrawer = page.getByTestId('product-drawer');
    await productDrawer.getByLabel(erpEn['erp.fields.sku'], { exact: true }).fill(SKU);
    await productDrawer.getByLabel(erpEn['erp.fields.name'], { exact: true }).fill('Nails 10 mm');
    await productDrawer.getByLabel(erpEn['erp.fields.barcode'], { exact: true }).fill('4780000000017');
    await productDrawer.getByLabel(erpEn['erp.fields.reorderLevel'], { exact: true }).fill('8');
    await harness.screenshot(page, 'erp-product-form');
    await page.getByTestId('product-save').click();
    await productDrawer.waitFor({ state: 'detached' });
    await page.locator('[data-testid=products-grid] .ag-row:visible', { hasText: SKU }).first().waitFor();

    // A receipt of 10: SKU, Enter, 10, Enter, then a double click on Post posts once.
    await newDocument(page, 'receipt');
    await enterLine(page, SKU.toLowerCase(), '10');
    await expect.poll(() => page.getByTestId('line-0-quantity').inputValue(), WAIT).toBe('10');
    await expect
      .poll(() => page.getByTestId('line-0-available').textContent(), WAIT)
      .toBe('Available: 0 pcs');
    // What the goods cost, typed as people write it: the document's amount follows.
    await page.getByTestId('line-0-price').fill('1 250,50');
    await expect
      .poll(async () => (await page.getByTestId('totals-amount').textContent())?.replace(/\s/g, ' '), WAIT)
      .toBe(`${erpEn['erp.fields.amount']}: 12,505 ${en['currency.UZS']}`);
    await harness.screenshot(page, 'erp-receipt-entered');
    // Only a write-off is sent for approval.
    expect(await page.getByTestId('start-process').count()).toBe(0);
    await page.getByTestId('doc-post').dblclick();
    await page.getByTestId('document-view').waitFor();
    expect((await page.getByTestId('doc-total').textContent())?.replace(/\s/g, ' ')).toBe(
      `12,505 ${en['currency.UZS']}`,
    );
    expect(await page.getByTestId('doc-status').textContent()).toBe(erpEn['erp.status.posted']);
    // The price as typed, tiyin and all, not rounded to 1,251.
    expect((await page.getByTestId('document-view').textContent())?.replace(/\s/g, ' ')).toContain(
      `1,250.50 ${en['currency.UZS']}`,
    );
    // Who wrote it and who posted it: the clerk at this screen.
    const me = (await (await page.request.get(`${harness.baseUrl}/api/auth/me`)).json()) as {
      user: { name: string };
    };
    await expect.poll(() => page.getByTestId('doc-posted').textContent(), WAIT).toContain(me.user.name);
    expect(await page.getByTestId('doc-created').textContent()).toContain(me.user.name);
    await expect.poll(() => page.getByTestId('ledger-balance-after').first().textContent(), WAIT).toBe('10');
    // The stock value the receipt brought in: its quantity at its price.
    expect((await page.getByTestId('ledger-value').first().textContent())?.replace(/\s/g, ' ')).toBe(
      `12,505 ${en['currency.UZS']}`,
    );
    await harness.screenshot(page, 'erp-receipt-posted');
    const receipts = await page.request.get(`${harness.baseUrl}/api/erp/stock-documents?type=receipt`);
    expect(((await receipts.json()) as { total: number }).total).toBe(1);
    expect(await balanceOnHand(page)).toBe('10 pcs');
    await harness.screenshot(page, 'erp-balances-10');

    // A write-off of 3, reason damaged: the scanner path (barcode, Enter).
    await newDocument(page, 'write_off');
    await page.selectOption('[data-testid=doc-reason]', 'damaged');
    await enterLine(page, '4780000000017', '3');
    await expect
      .poll(() => page.getByTestId('line-0-available').textContent(), WAIT)
      .toBe('Available: 10 pcs');
    await page.getByTestId('doc-post').click();
    await page.getByTestId('document-view').waitFor();
    await expect.poll(() => page.getByTestId('ledger-balance-after').first().textContent(), WAIT).toBe('7');
    await harness.screenshot(page, 'erp-write-off-posted');
    expect(await balanceOnHand(page)).toBe('7 pcs');
    // 7 is below the reorder level 8: the row says so.
    await page
      .locator('[data-testid=balances-grid] .ag-row:visible', { hasText: SKU })
      .getByTestId('below-mark')
      .first()
      .waitFor();
    await harness.screenshot(page, 'erp-balances-7-below');
    // The product's side panel says where it is, with the way to its movements.
    await page.goto(`${harness.baseUrl}/erp/products`);
    await page.locator('[data-testid=products-grid] .ag-row:visible', { hasText: SKU }).first().click();
    await expect
      .poll(
        async () => ((await page.getByTestId('product-stock').textContent()) ?? '').replace(/\s+/g, ' '),
        WAIT,
      )
      .toContain(`${WAREHOUSE} Main warehouse7 pcs0 pcs7 pcs`);
    await harness.screenshot(page, 'erp-product-stock');
    await page.getByTestId('product-movements').click();
    await page.locator('[data-testid=ledger-grid] .ag-row:visible', { hasText: 'WO-' }).first().waitFor();

    // A write-off of 50: refused, the short line marked, nothing posted.
    await newDocument(page, 'write_off');
    await page.selectOption('[data-testid=doc-reason]', 'damaged');
    await enterLine(page, SKU, '50');
    await expect
      .poll(() => page.getByTestId('line-0-available').textContent(), WAIT)
      .toBe('More than available (7 pcs)');
    await page.getByTestId('doc-post').click();
    const short = page.getByTestId('line-0-short');
    await short.waitFor();
    expect(await short.textContent()).toBe('Not enough stock: requested 50 pcs, available 7 pcs');
    expect(await page.getByTestId('line-0').getAttribute('data-short')).toBe('true');
    await page.getByTestId('form-error').waitFor();
    await harness.screenshot(page, 'erp-write-off-short');
    expect(await balanceOnHand(page)).toBe('7 pcs');
    const writeOffs = await page.request.get(`${harness.baseUrl}/api/erp/stock-documents?type=write_off`);
    expect(((await writeOffs.json()) as { total: number }).total).toBe(1);

    // The ledger and the documents list show both postings.
    await page.goto(`${harness.baseUrl}/erp/ledger`);
    await page.locator('[data-testid=ledger-grid] .ag-row:visible', { hasText: 'WO-' }).first().waitFor();
    await harness.screenshot(page, 'erp-ledger');
    await page.goto(`${harness.baseUrl}/erp/documents`);
    await page.locator('[data-testid=documents-grid] .ag-row:visible', { hasText: 'RC-' }).first().waitFor();
    await harness.screenshot(page, 'erp-documents');
    // Stock 7 is below the reorder level 8.
    await page.goto(`${harness.baseUrl}/erp/reorder`);
    const reorderRow = page.locator('[data-testid=products-grid] .ag-row:visible', { hasText: SKU }).first();
    await reorderRow.waitFor();
    // What to order to reach the level again: 8 - 7.
    expect(((await reorderRow.locator('[col-id=missing]').textContent()) ?? '').trim()).toBe('1 pcs');
    await harness.screenshot(page, 'erp-reorder');
    // Ordering from there: a receipt draft for what is missing (8 - 7), opened to post on arrival.
    await page.getByTestId('reorder-draft').click();
    await page.getByTestId('reorder-dialog').waitFor();
    await expect.poll(() => page.inputValue('[data-testid=reorder-warehouse]'), WAIT).not.toBe('');
    await harness.screenshot(page, 'erp-reorder-draft');
    await page.getByTestId('reorder-dialog-confirm').click();
    await page.getByTestId('posting-screen').waitFor();
    await expect.poll(() => page.getByTestId('line-0-quantity').inputValue(), WAIT).toBe('1');
    expect(await page.getByTestId('line-0').textContent()).toContain(SKU);
    expect(await page.inputValue('[data-testid=doc-comment]')).toBe(
      'Reorder: products below their reorder level',
    );
    await page.getByTestId('doc-delete').click();
    await page.getByTestId('delete-dialog-confirm').click();
    await page.getByTestId('documents-grid').waitFor();
  }, 180_000);

  it('reverses a posted document after asking', async () => {
    const page = await harness.newPage();
    await signIn(page);
    await newDocument(page, 'receipt');
    await enterLine(page, SKU, '5');
    await page.getByTestId('doc-post').click();
    await page.getByTestId('document-view').waitFor();
    const number = (await page.getByTestId('doc-number').textContent()) ?? '';
    await page.getByTestId('doc-reverse').click();
    await page.getByTestId('reverse-dialog').waitFor();
    await harness.screenshot(page, 'erp-reverse-confirm');
    await page.getByTestId('reverse-dialog-confirm').click();
    await page.getByTestId('reversal-of').waitFor();
    expect(await page.getByTestId('doc-number').textContent()).not.toBe(number);
    // The reversal names what it undid, and is final: no Reverse button on it.
    expect(await page.getByTestId('reversal-of').textContent()).toBe(number);
    expect(await page.getByTestId('doc-reverse').count()).toBe(0);
    await harness.screenshot(page, 'erp-reversal');
    expect(await balanceOnHand(page)).toBe('7 pcs');
  }, 90_000);

  it('saves a draft, opens it again, changes a line and posts it; deletes another draft', async () => {
    const page = await harness.newPage();
    await signIn(page);
    await newDocument(page, 'receipt');
    await enterLine(page, SKU, '2');
    await page.getByTestId('doc-save').click();
    await page.waitForURL(/\/erp\/documents\/[0-9a-f-]{36}$/);
    await page.getByTestId('posting-screen').waitFor();
    await page.getByRole('heading', { level: 1, name: /RC-/ }).waitFor();
    expect(await page.getByTestId('line-0-quantity').inputValue()).toBe('2');
    // Opened again from the list: still a draft, editable.
    await page.reload();
    await page.getByTestId('line-0-quantity').waitFor();
    await page.getByTestId('line-0-quantity').fill('1.5');
    await page.getByTestId('line-0-error').waitFor();
    expect(await page.getByTestId('line-0-error').textContent()).toBe(erpEn['erp.validation.whole']);
    await harness.screenshot(page, 'erp-draft-whole-pieces');
    await page.getByTestId('line-0-quantity').fill('4');
    await page.getByTestId('doc-post').click();
    await page.getByTestId('document-view').waitFor();
    await expect.poll(() => page.getByTestId('ledger-balance-after').first().textContent(), WAIT).toBe('11');

    await newDocument(page, 'receipt');
    await enterLine(page, SKU, '1');
    await page.getByTestId('doc-save').click();
    await page.waitForURL(/\/erp\/documents\/[0-9a-f-]{36}$/);
    await page.getByTestId('doc-delete').click();
    await page.getByTestId('delete-dialog').waitFor();
    await page.getByTestId('delete-dialog-confirm').click();
    await page.waitForURL(/\/erp\/documents$/);
    const drafts = await page.request.get(`${harness.baseUrl}/api/erp/stock-documents?status=draft`);
    expect(((await drafts.json()) as { total: number }).total).toBe(0);
    expect(await balanceOnHand(page)).toBe('11 pcs');
  }, 90_000);

  it('refuses to post a draft another clerk changed after it was opened, and posts nothing', async () => {
    const page = await harness.newPage();
    await signIn(page);
    const before = await balanceOnHand(page);
    await newDocument(page, 'receipt');
    await enterLine(page, SKU, '3');
    await page.getByTestId('doc-save').click();
    await page.waitForURL(/\/erp\/documents\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { level: 1, name: /RC-/ }).waitFor();
    const id = page.url().split('/').pop() ?? '';
    // Meanwhile another clerk opens the same draft and makes it 300.
    const opened = (await (
      await page.request.get(`${harness.baseUrl}/api/erp/stock-documents/${id}`)
    ).json()) as {
      revision: number;
      type: string;
      warehouseId: string;
      lines: { productId: string }[];
    };
    const changed = await page.request.patch(`${harness.baseUrl}/api/erp/stock-documents/${id}`, {
      data: {
        revision: opened.revision,
        type: opened.type,
        warehouseId: opened.warehouseId,
        lines: [{ productId: opened.lines[0]?.productId, quantity: '300' }],
      },
    });
    expect(changed.status()).toBe(200);
    // The first clerk, still looking at 3, posts: refused, said why, nothing posted.
    await page.getByTestId('doc-post').click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toBe(erpEn['erp.errors.DOCUMENT_CHANGED']);
    await harness.screenshot(page, 'erp-draft-changed-meanwhile');
    const after = (await (
      await page.request.get(`${harness.baseUrl}/api/erp/stock-documents/${id}`)
    ).json()) as {
      status: string;
    };
    expect(after.status).toBe('draft');
    // Reloaded, the page shows the other clerk's 300; the draft goes, stock as it was.
    await page.reload();
    await expect.poll(() => page.getByTestId('line-0-quantity').inputValue(), WAIT).toBe('300');
    await page.getByTestId('doc-delete').click();
    await page.getByTestId('delete-dialog-confirm').click();
    await page.waitForURL(/\/erp\/documents$/);
    expect(await balanceOnHand(page)).toBe(before);
  }, 90_000);

  it('takes dates day first in the app language, refuses one that does not exist beside the field, and filters by them', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    // A product of its own, so the other tests' balances stay as they count them.
    const sku = `DATE-${Date.now().toString(36).toUpperCase()}`;
    await page.request.post(`${harness.baseUrl}/api/erp/products`, {
      data: { sku, name: 'Mix', unit: 'pcs' },
    });
    await newDocument(page, 'receipt');
    const date = page.getByTestId('doc-date');
    // Today, as Uzbek writes it, whatever the browser's own language (en-GB here).
    expect(await date.inputValue()).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(await date.getAttribute('placeholder')).toBe(uz['date.placeholder']);
    await enterLine(page, sku, '1');
    await date.fill('31.02.2026');
    await date.press('Tab');
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('doc-post').click();
    await expect.poll(() => page.getByTestId('error-date').textContent(), WAIT).toBe(uz['date.invalid']);
    await viewShot(page, 'erp-date-invalid-uz');
    // Nothing was sent: still the new document.
    expect(new URL(page.url()).pathname).toBe('/erp/documents/new');

    await date.fill('3.1.2025');
    await date.press('Tab');
    expect(await date.inputValue()).toBe('03.01.2025');
    await page.getByTestId('error-date').waitFor({ state: 'detached' });
    await page.getByTestId('doc-post').click();
    await page.getByTestId('document-view').waitFor();
    const posted = page.url().split('/').pop() ?? '';
    const saved = await page.request.get(`${harness.baseUrl}/api/erp/stock-documents/${posted}`);
    expect(((await saved.json()) as { date: string }).date).toBe('2025-01-03');

    // The list, filtered to that day by typing it.
    await page.goto(`${harness.baseUrl}/erp/documents`);
    const rows = page.locator('[data-testid=documents-grid] .ag-row:visible');
    await rows.first().waitFor();
    const dates = page.locator('.toolbar .date-input input[type=text]');
    await dates.nth(0).fill('03.01.2025');
    await dates.nth(1).fill('3/1/25');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().textContent()).toContain('03.01.2025');
    // A day picked on the browser's calendar is written in the field as Uzbek writes it.
    await page.locator('.toolbar .date-input-native').nth(1).fill('2025-01-04', { force: true });
    expect(await dates.nth(1).inputValue()).toBe('04.01.2025');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    await viewShot(page, 'erp-documents-by-date-uz');
  }, 90_000);

  it('shows the prices, amounts and total of a priced receipt, and prints it without the app around it', async () => {
    const page = await harness.newPage();
    await signIn(page);
    const sku = `PRICE-${Date.now().toString(36).toUpperCase()}`;
    const product = (await (
      await page.request.post(`${harness.baseUrl}/api/erp/products`, {
        data: { sku, name: 'Olifa', unit: 'l' },
      })
    ).json()) as { id: string };
    const warehouses = (await (await page.request.get(`${harness.baseUrl}/api/erp/warehouses`)).json()) as {
      items: { id: string }[];
    };
    const posted = await page.request.post(`${harness.baseUrl}/api/erp/stock-documents?post=true`, {
      headers: { 'Idempotency-Key': `price-${sku}` },
      data: {
        type: 'receipt',
        warehouseId: warehouses.items[0]!.id,
        lines: [{ productId: product.id, quantity: '2.5', price: '21000' }],
      },
    });
    expect(posted.status()).toBe(201);
    await page.goto(`${harness.baseUrl}/erp/documents/${((await posted.json()) as { id: string }).id}`);
    await page.getByTestId('document-view').waitFor();
    // 2.5 l at 21 000 a litre.
    expect((await page.getByTestId('doc-total').textContent())?.replace(/\s/g, ' ')).toMatch(
      /^52[ ,]500 UZS$/,
    );
    await page.getByTestId('doc-print').waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    expect(await page.getByTestId('doc-print').isVisible()).toBe(false);
    expect(await page.locator('.erp-signatures').isVisible()).toBe(true);
    await harness.screenshot(page, 'erp-receipt-print');
    await page.emulateMedia({ media: 'screen' });

    // The next delivery of the same goods: a copy as a new draft, lines and prices kept.
    await page.getByTestId('doc-copy').click();
    await page.getByTestId('posting-screen').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('line-0-quantity').inputValue(), WAIT).toBe('2.5');
    expect(await page.getByTestId('line-0').textContent()).toContain(sku);
    expect(await page.getByTestId('line-0-price').inputValue()).toMatch(/^21[  ]?000$/);
    expect(new URL(page.url()).pathname).not.toBe(
      `/erp/documents/${((await posted.json()) as { id: string }).id}`,
    );
    // Deleted again: the next test counts the drafts.
    await page.getByTestId('doc-delete').click();
    await page.getByTestId('delete-dialog-confirm').click();
    await page.getByTestId('documents-grid').waitFor();
  }, 60_000);

  it('names the line a copy cannot keep: a product retired since the document was posted', async () => {
    const page = await harness.newPage();
    await signIn(page, 'en');
    const sku = `GONE-${Date.now().toString(36).toUpperCase()}`;
    const call = async (method: 'POST' | 'PATCH', path: string, data: unknown) => {
      const response = await page.request.fetch(`${harness.baseUrl}${path}`, {
        method,
        data,
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(response.status(), await response.text()).toBeLessThan(300);
      return (await response.json()) as { id: string };
    };
    const product = await call('POST', '/api/erp/products', { sku, name: 'Eski boʻyoq', unit: 'pcs' });
    const warehouses = await page.request.get(`${harness.baseUrl}/api/erp/warehouses?q=${WAREHOUSE}`);
    const warehouseId = ((await warehouses.json()) as { items: { id: string }[] }).items[0]!.id;
    const lines = [{ productId: product.id, quantity: '1' }];
    const receipt = await call('POST', '/api/erp/stock-documents?post=true', {
      type: 'receipt',
      warehouseId,
      lines,
    });
    await call('POST', '/api/erp/stock-documents?post=true', {
      type: 'write_off',
      warehouseId,
      reason: 'lost',
      lines,
    });
    await call('PATCH', `/api/erp/products/${product.id}`, { active: false });

    await page.goto(`${harness.baseUrl}/erp/documents/${receipt.id}`);
    await page.getByTestId('doc-copy').click();
    await expect.poll(() => page.getByTestId('form-error').first().textContent(), WAIT).toContain(sku);
    expect(await page.getByTestId('form-error').first().textContent()).toContain(
      erpMessages.en.PRODUCT_INACTIVE!,
    );
    // Nothing was created: still the receipt.
    expect(new URL(page.url()).pathname).toBe(`/erp/documents/${receipt.id}`);
    await viewShot(page, 'erp-copy-refused-en');
  }, 60_000);

  it('counts the drafts waiting on the home page and opens them from there', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    const product = (await (
      await page.request.get(`${harness.baseUrl}/api/erp/products/lookup?code=${SKU}`)
    ).json()) as { product: { id: string } };
    const warehouses = (await (await page.request.get(`${harness.baseUrl}/api/erp/warehouses`)).json()) as {
      items: { id: string }[];
    };
    const draft = await page.request.post(`${harness.baseUrl}/api/erp/stock-documents`, {
      data: {
        type: 'receipt',
        warehouseId: warehouses.items[0]!.id,
        lines: [{ productId: product.product.id, quantity: '1' }],
      },
    });
    expect(draft.status()).toBe(201);
    await page.goto(`${harness.baseUrl}/`);
    const waiting = page.getByTestId('attention-erp-drafts');
    await waiting.waitFor();
    expect(((await waiting.textContent()) ?? '').startsWith('1')).toBe(true);
    await harness.screenshot(page, 'home-attention-uz');
    await waiting.click();
    await page.waitForURL(/\/erp\/documents\?status=draft$/);
    expect(await page.getByTestId('documents-status').inputValue()).toBe('draft');
    const rows = page.locator('[data-testid=documents-grid] .ag-row:visible');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    // Gone again, so that the other tests find no draft.
    const id = ((await draft.json()) as { id: string }).id;
    expect((await page.request.delete(`${harness.baseUrl}/api/erp/stock-documents/${id}`)).status()).toBe(
      204,
    );
  }, 60_000);

  it('downloads the balances the list shows, as CSV and Excel', async () => {
    const page = await harness.newPage();
    await signIn(page, 'ru');
    await page.goto(`${harness.baseUrl}/erp/stock`);
    await page.locator('.search-box input').fill(SKU);
    const csv = page.getByTestId('balances-export-csv');
    await expect.poll(() => csv.getAttribute('href'), WAIT).toContain(`q=${SKU}`);
    const file = await page.request.get(`${harness.baseUrl}${await csv.getAttribute('href')}`);
    expect(file.headers()['content-type']).toContain('text/csv');
    const rows = (await file.text()).trim().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(SKU);
    expect(await page.getByTestId('balances-export-xlsx').getAttribute('href')).toContain('format=xlsx');
    await viewShot(page, 'erp-balances-export-ru');
    // The ledger's movements too, for the product the list is narrowed to.
    await page.goto(`${harness.baseUrl}/erp/ledger`);
    await page.locator('[data-testid=ledger-grid] .ag-row:visible').first().waitFor(WAIT);
    const ledgerCsv = page.getByTestId('ledger-export-csv');
    const ledgerFile = await page.request.get(`${harness.baseUrl}${await ledgerCsv.getAttribute('href')}`);
    expect(ledgerFile.headers()['content-disposition']).toContain('ledger-');
    expect(await ledgerFile.text()).toContain(SKU);
  }, 60_000);

  it("sums a period's movements per product, refuses a period that ends before it starts beside the dates, and opens a row's movements", async () => {
    const page = await harness.newPage();
    await signIn(page, 'ru');
    const tag = Date.now().toString(36).toUpperCase();
    const api = async (path: string, data: unknown, key?: string) => {
      const response = await page.request.post(`${harness.baseUrl}${path}`, {
        data,
        headers: key ? { 'idempotency-key': key } : {},
      });
      expect(response.status()).toBe(201);
      return (await response.json()) as { id: string };
    };
    const product = await api('/api/erp/products', { sku: `MOV-${tag}`, name: 'Shifer', unit: 'pcs' });
    // The file's one warehouse: a second would stop the posting screen choosing it for the other tests.
    const warehouses = await page.request.get(`${harness.baseUrl}/api/erp/warehouses?q=${WAREHOUSE}`);
    const warehouse = ((await warehouses.json()) as { items: { id: string; code: string }[] }).items.find(
      (w) => w.code === WAREHOUSE,
    )!;
    const line = [{ productId: product.id, quantity: '10', price: '15000' }];
    await api(
      '/api/erp/stock-documents?post=true',
      { type: 'receipt', warehouseId: warehouse.id, lines: line },
      `r-${tag}`,
    );
    await api(
      '/api/erp/stock-documents?post=true',
      {
        type: 'write_off',
        warehouseId: warehouse.id,
        reason: 'damaged',
        lines: [{ productId: product.id, quantity: '4' }],
      },
      `w-${tag}`,
    );

    await page.goto(`${harness.baseUrl}/erp/movements?productId=${product.id}`);
    const rows = page.locator('[data-testid=movements-grid] .ag-row:visible');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    const text = (await rows.first().textContent()) ?? '';
    expect(text).toContain(WAREHOUSE);
    expect(text).toContain('+10');
    expect(text).toContain('−4');
    expect(text).toMatch(/6\s*шт$/);
    await viewShot(page, 'erp-movements-ru');
    // The same in value: received at 15 000, the four written off at that average cost.
    await page.getByTestId('movements-show-value').click();
    await expect
      .poll(async () => ((await rows.first().textContent()) ?? '').replace(/\s/g, ' '), WAIT)
      .toMatch(/\+150 000 сум.*−60 000 сум.*90 000 сум$/);
    expect(await page.getByTestId('movements-show-value').getAttribute('aria-pressed')).toBe('true');
    await viewShot(page, 'erp-movements-value-ru');
    await page.getByTestId('movements-show-quantity').click();

    // The period turned backwards: said beside the dates, and nothing asked of the server.
    const to = page.getByTestId('movements-to');
    const today = await to.inputValue();
    await to.fill('01.01.2020');
    await expect
      .poll(() => page.getByTestId('movements-period-error').textContent(), WAIT)
      .toBe(erpRu['erp.movements.backwards']);
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    await viewShot(page, 'erp-movements-backwards-ru');
    await to.fill(today);
    await expect.poll(() => rows.count(), WAIT).toBe(1);

    // A row opens its movements in the ledger, for its product, warehouse and period.
    await rows.first().click();
    await page.waitForURL(/\/erp\/ledger\?/);
    expect(new URL(page.url()).searchParams.get('warehouseId')).toBe(warehouse.id);
    await expect.poll(() => page.locator('[data-testid=ledger-grid] .ag-row:visible').count(), WAIT).toBe(2);
  }, 60_000);

  it('fills an inventory count with the stock on hand; posting writes only what was counted differently', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    const onHandNow = async () => {
      const balances = await page.request.get(`${harness.baseUrl}/api/erp/stock-balances?q=${SKU}`);
      return Number(((await balances.json()) as { items: { quantity: string }[] }).items[0]?.quantity ?? 0);
    };
    const before = await onHandNow();
    expect(before).toBeGreaterThan(1);
    await newDocument(page, 'count');
    await page.getByTestId('count-fill').click();
    // Other products of the warehouse come too, each at its stock; ours is among them.
    const ours = page.locator('li.erp-line', { hasText: SKU }).locator('input[data-testid$=-quantity]');
    await expect.poll(() => ours.inputValue(), WAIT).toBe(String(before));
    // One piece is missing on the shelf.
    await ours.fill(String(before - 1));
    // The line says how far the count is from the books.
    await expect
      .poll(
        async () => (await page.locator('li.erp-line', { hasText: SKU }).textContent())?.replace(/\s/g, ' '),
        WAIT,
      )
      .toMatch(/farq [−-]1 dona/);
    await viewShot(page, 'erp-count-filled-uz');
    // On paper: the sheet alone, our product with its book quantity and a blank column to fill.
    await page.getByTestId('count-print').waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('count-sheet').isVisible()).toBe(true);
    expect(await page.getByTestId('posting-screen').locator('.erp-posting-header').isVisible()).toBe(false);
    expect((await page.getByTestId('count-sheet').textContent())?.replace(/\s/g, ' ')).toContain(
      `${SKU}Nails 10 mm${before} dona`,
    );
    await harness.screenshot(page, 'erp-count-sheet-print');
    await page.emulateMedia({ media: 'screen' });
    expect(await page.getByTestId('count-sheet').isVisible()).toBe(false);
    // A blind count's sheet: the same lines, no book quantities for the counters to lean on.
    const books = page.getByTestId('count-sheet').getByTestId('count-sheet-books');
    expect(await books.count()).toBeGreaterThan(0);
    await page.getByTestId('count-blind').check();
    await expect.poll(() => books.count(), WAIT).toBe(0);
    expect(await page.getByTestId('count-sheet').textContent()).toContain(SKU);
    await page.emulateMedia({ media: 'print' });
    await harness.screenshot(page, 'erp-count-sheet-blind-print');
    await page.emulateMedia({ media: 'screen' });
    await page.getByTestId('doc-post').click();
    await page.getByTestId('document-view').waitFor(WAIT);
    // The ledger has our product's difference alone: the others were counted as they stood.
    await expect.poll(() => page.getByTestId('ledger-balance-after').count(), WAIT).toBe(1);
    expect(await page.getByTestId('ledger-balance-after').first().textContent()).toBe(String(before - 1));
    expect(await onHandNow()).toBe(before - 1);
    // The piece turns up: a second count puts the stock back for the tests that follow.
    const balances = await page.request.get(`${harness.baseUrl}/api/erp/stock-balances?q=${SKU}`);
    const row = ((await balances.json()) as { items: { productId: string; warehouseId: string }[] }).items[0];
    const recount = await page.request.post(`${harness.baseUrl}/api/erp/stock-documents?post=true`, {
      headers: { 'Idempotency-Key': `recount-${SKU}` },
      data: {
        type: 'count',
        warehouseId: row?.warehouseId,
        lines: [{ productId: row?.productId, quantity: String(before) }],
      },
    });
    expect(recount.status()).toBe(201);
    expect(await onHandNow()).toBe(before);
  }, 60_000);

  it("puts the server's 400 issue next to the line it concerns", async () => {
    const page = await harness.newPage();
    await signIn(page);
    const sku = `GONE-${Date.now().toString(36).toUpperCase()}`;
    const created = await page.request.post(`${harness.baseUrl}/api/erp/products`, {
      data: { sku, name: 'Discontinued paint', unit: 'l' },
    });
    const product = (await created.json()) as { id: string };
    await newDocument(page, 'receipt');
    await enterLine(page, sku, '2,5');
    expect(await page.getByTestId('line-0-quantity').inputValue()).toBe('2.5');
    // Deactivated by someone else while the document is being entered.
    await page.request.patch(`${harness.baseUrl}/api/erp/products/${product.id}`, {
      data: { active: false },
    });
    await page.getByTestId('doc-post').click();
    const issue = page.getByTestId('line-0-error');
    await issue.waitFor();
    expect(((await issue.textContent()) ?? '').trim()).not.toBe('');
    expect(await page.getByTestId('line-0-quantity').getAttribute('aria-invalid')).toBe('true');
    await harness.screenshot(page, 'erp-line-issue');
  }, 60_000);

  it('reserves stock for a shipment draft, releases it, and posts the shipment', async () => {
    const page = await harness.newPage();
    await signIn(page);
    // The client comes from CRM, found by a part of its name and taken with Enter.
    const created = await page.request.post(`${harness.baseUrl}/api/crm/clients`, {
      data: { kind: 'company', name: 'Toshkent Savdo MChJ', phones: ['+998 71 200 11 22'] },
    });
    expect(created.status()).toBe(201);
    const client = (await created.json()) as { id: string };

    await newDocument(page, 'write_off');
    await page.getByTestId('type-shipment').check({ force: true });
    await page.getByTestId('doc-client').fill('toshkent sav');
    await page.locator('[role=option]', { hasText: 'Toshkent Savdo MChJ' }).waitFor();
    await page.getByTestId('doc-client').press('Enter');
    expect(await page.getByTestId('doc-client').inputValue()).toBe('Toshkent Savdo MChJ');
    await enterLine(page, SKU, '2');
    await page.getByTestId('doc-save').click();
    await page.waitForURL(/\/erp\/documents\/[0-9a-f-]{36}$/);
    await page.getByTestId('doc-reserve').click();
    await page.getByTestId('reserved-notice').waitFor();
    expect(await page.getByTestId('line-0-quantity').isDisabled()).toBe(true);
    await harness.screenshot(page, 'erp-shipment-reserved');
    const reserved = await page.request.get(`${harness.baseUrl}/api/erp/stock-balances?q=${SKU}`);
    const [balance] = ((await reserved.json()) as { items: { reserved: string }[] }).items;
    expect(Number(balance?.reserved)).toBe(2);
    await page.getByTestId('doc-release').click();
    await page.getByTestId('reserved-notice').waitFor({ state: 'detached' });
    await page.getByTestId('doc-post').click();
    await page.getByTestId('document-view').waitFor();
    await expect.poll(() => page.getByTestId('ledger-balance-after').first().textContent(), WAIT).toBe('9');
    // The posted shipment names its client, linked to the client card.
    const named = page.getByTestId('doc-client-name').getByRole('link', { name: 'Toshkent Savdo MChJ' });
    await named.waitFor();
    expect(await named.getAttribute('href')).toBe(`/crm/clients/${client.id}`);
    await harness.screenshot(page, 'erp-shipment-posted');
  }, 90_000);

  for (const [locale, width, height] of [
    ['uz', 390, 844],
    ['ru', 390, 844],
    ['uz', 1280, 800],
    ['ru', 1280, 800],
  ] as const) {
    it(`shows the short line in ${locale} at ${width}x${height} without overflow`, async () => {
      const page = await harness.newPage({ width, height });
      await signIn(page, locale);
      await newDocument(page, 'write_off');
      await page.selectOption('[data-testid=doc-reason]', 'damaged');
      await enterLine(page, SKU, '50');
      await enterLine(page, SKU.toLowerCase().slice(0, 4), '1');
      await page.getByTestId('doc-post').click();
      await page.getByTestId('line-0-short').waitFor();
      const overflow = await overflowOf(page);
      expect(overflow).toBeLessThanOrEqual(0);
      await harness.screenshot(page, `erp-short-${locale}-${width}`);
      await viewShot(page, `erp-short-${locale}-${width}-window`);
      for (const path of ['/erp/stock', '/erp/products', '/erp/documents', '/erp/ledger']) {
        await page.goto(`${harness.baseUrl}${path}`);
        try {
          await page.locator('.ag-row:visible').first().waitFor();
        } catch (error) {
          await harness.screenshot(page, `erp-failed-${path.split('/')[2]}-${locale}-${width}`);
          throw error;
        }
        const pageOverflow = await overflowOf(page);
        expect({ path, pageOverflow }).toEqual({ path, pageOverflow: 0 });
        if (width < 640) {
          // A phone shows the list's chosen columns within its width, none off the edge.
          const headers = (await page.evaluate(`(() => {
            const grid = document.querySelector('.ag-root-wrapper')?.getBoundingClientRect();
            return [...document.querySelectorAll('.ag-header-cell')].map((cell) => ({
              id: cell.getAttribute('col-id'),
              inside: Boolean(grid) && cell.getBoundingClientRect().right <= (grid ? grid.right : 0) + 1,
            }));
          })()`)) as { id: string; inside: boolean }[];
          expect({ path, off: headers.filter((h) => !h.inside).map((h) => h.id) }).toEqual({ path, off: [] });
          if (path === '/erp/stock') {
            expect(headers.map((h) => h.id)).toEqual(['productName', 'warehouse', 'available']);
          }
        }
        await harness.screenshot(page, `erp-${path.split('/')[2]}-${locale}-${width}`);
      }
      // A posted document, read-only.
      const list = await page.request.get(
        `${harness.baseUrl}/api/erp/stock-documents?type=write_off&status=posted`,
      );
      const [writeOff] = ((await list.json()) as { items: { id: string }[] }).items;
      await page.goto(`${harness.baseUrl}/erp/documents/${writeOff?.id}`);
      await page.getByTestId('document-view').waitFor();
      expect(await overflowOf(page)).toBeLessThanOrEqual(0);
      await harness.screenshot(page, `erp-document-${locale}-${width}`);
    }, 120_000);
  }
});

describe('warehouse keepers', () => {
  it('names a keeper on the warehouse form; another clerk is not offered the warehouse and is refused beside it', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    const tag = Date.now().toString(36);
    const people = {} as Record<'keeper' | 'other', { id: string; email: string }>;
    for (const [who, name] of [
      ['keeper', 'Kamola Rashidova'],
      ['other', 'Rustam Xolmatov'],
    ] as const) {
      const email = `${who}-${tag}@demo.uz`;
      const created = await page.request.post(`${harness.baseUrl}/api/admin/users`, {
        data: { email, name, password: 'ombor-parol-2026', roles: ['warehouse'], locale: 'uz' },
      });
      expect(created.status()).toBe(201);
      people[who] = { id: ((await created.json()) as { id: string }).id, email };
    }

    await page.goto(`${harness.baseUrl}/erp/warehouses`);
    await page
      .locator('[data-testid=warehouses-grid] .ag-row:visible', { hasText: WAREHOUSE })
      .first()
      .click();
    const drawer = page.getByTestId('warehouse-drawer');
    await drawer.getByTestId('warehouse-keeper-input').fill('Kamola');
    await drawer.getByRole('option', { name: /Kamola Rashidova/ }).click();
    expect(await drawer.getByTestId('warehouse-keepers').textContent()).toContain('Kamola Rashidova');
    await viewShot(page, 'erp-warehouse-keepers-uz');
    await page.getByTestId('warehouse-save').click();
    await drawer.waitFor({ state: 'detached' });
    await expect
      .poll(
        () =>
          page
            .locator('[data-testid=warehouses-grid] .ag-row:visible', { hasText: WAREHOUSE })
            .first()
            .textContent(),
        WAIT,
      )
      .toContain('Kamola Rashidova');

    // Another clerk: the kept warehouse is not offered, and a draft naming it is refused there.
    const clerk = await harness.newPage();
    await harness.signIn(clerk, { email: people.other.email, password: 'ombor-parol-2026', language: 'uz' });
    await clerk.goto(`${harness.baseUrl}/erp/documents/new`);
    await clerk.getByTestId('posting-screen').waitFor();
    const offered = await clerk.locator('[data-testid=doc-warehouse] option').allTextContents();
    expect(offered.some((o) => o.startsWith(WAREHOUSE))).toBe(false);
    const warehouses = await clerk.request.get(`${harness.baseUrl}/api/erp/warehouses?q=${WAREHOUSE}`);
    const main = ((await warehouses.json()) as { items: { id: string; code: string }[] }).items.find(
      (w) => w.code === WAREHOUSE,
    )!;
    const refused = await clerk.request.post(`${harness.baseUrl}/api/erp/stock-documents`, {
      data: { type: 'receipt', warehouseId: main.id, lines: [] },
    });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
      `${WAREHOUSE} omboridagi hujjatlarni faqat uning moddiy javobgar shaxslari oʻtkazadi.`,
    );

    // A draft the keeper's side left there: opened by the other clerk, posting is refused beside the warehouse alone.
    const products = await page.request.get(`${harness.baseUrl}/api/erp/products?q=${SKU}`);
    const productId = ((await products.json()) as { items: { id: string }[] }).items[0]!.id;
    const draft = await page.request.post(`${harness.baseUrl}/api/erp/stock-documents`, {
      data: { type: 'receipt', warehouseId: main.id, lines: [{ productId, quantity: '1' }] },
    });
    expect(draft.status()).toBe(201);
    const draftId = ((await draft.json()) as { id: string }).id;
    await clerk.goto(`${harness.baseUrl}/erp/documents/${draftId}`);
    await clerk.getByTestId('posting-screen').waitFor();
    await clerk.getByTestId('doc-post').click();
    await expect
      .poll(() => clerk.getByTestId('error-warehouseId').textContent(), WAIT)
      .toBe(`${WAREHOUSE} omboridagi hujjatlarni faqat uning moddiy javobgar shaxslari oʻtkazadi.`);
    expect(await clerk.getByTestId('form-error').count()).toBe(0);
    await viewShot(clerk, 'erp-warehouse-not-kept-uz');
    expect(
      (await page.request.delete(`${harness.baseUrl}/api/erp/stock-documents/${draftId}`)).status(),
    ).toBe(204);

    // Open to everyone again, for the tests after this one.
    const reopened = await page.request.patch(`${harness.baseUrl}/api/erp/warehouses/${main.id}`, {
      data: { keeperIds: [] },
    });
    expect(reopened.status()).toBe(200);
  }, 90_000);
});
