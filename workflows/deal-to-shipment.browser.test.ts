// Issue 7's "done means", in the browser, on the workflows a first start deploys: a sales manager
// moves a deal to won, "Confirm shipment" appears in their inbox, they confirm, the shipment is
// posted, the stock drops by the deal's quantity and the client card's timeline shows it; with too
// little stock the warehouse group gets "Resolve shortage" instead and nothing is posted.
// Screenshots go to docs/screenshots/workflow-*.png.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../server/testing/browser-harness.js';

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;
let harness: Harness;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'sotuv-parol-2026';

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: join(process.cwd(), 'docs', 'screenshots', `workflow-${name}.png`),
    fullPage: true,
  });

async function json<T>(answer: Awaited<ReturnType<APIRequestContext['post']>>, status: number): Promise<T> {
  expect(answer.status(), await answer.text()).toBe(status);
  return (await answer.json()) as T;
}

/** The admin's part: people, a product with stock, a client and a deal owned by the manager. */
async function setting(api: APIRequestContext, stock: number, quantity: number) {
  const base = harness.baseUrl;
  const tag = randomUUID().slice(0, 6);
  const manager = await json<{ id: string }>(
    await api.post(`${base}/api/admin/users`, {
      data: {
        email: `malika.${tag}@demo.uz`,
        name: 'Malika Yusupova',
        password: PASSWORD,
        roles: ['sales_manager'],
      },
    }),
    201,
  );
  const keeper = await json<{ id: string }>(
    await api.post(`${base}/api/admin/users`, {
      data: {
        email: `bekzod.${tag}@demo.uz`,
        name: 'Bekzod Tursunov',
        password: PASSWORD,
        roles: ['warehouse'],
      },
    }),
    201,
  );
  const product = await json<{ id: string }>(
    await api.post(`${base}/api/erp/products`, {
      data: { sku: `SEM-${tag}`, name: `Sement M400 ${tag}`, unit: 'pcs' },
    }),
    201,
  );
  const warehouse = await json<{ id: string }>(
    await api.post(`${base}/api/erp/warehouses`, {
      data: { code: `CH-${tag}`, name: `Chilonzor ombori ${tag}` },
    }),
    201,
  );
  await json(
    await api.post(`${base}/api/erp/stock-documents?post=true`, {
      headers: { 'idempotency-key': randomUUID() },
      data: {
        type: 'receipt',
        warehouseId: warehouse.id,
        lines: [{ productId: product.id, quantity: String(stock) }],
      },
    }),
    201,
  );
  const client = await json<{ id: string }>(
    await api.post(`${base}/api/crm/clients`, {
      data: {
        kind: 'company',
        name: `Olmaliq Qurilish ${tag} MChJ`,
        ownerId: manager.id,
        confirmDuplicate: true,
      },
    }),
    201,
  );
  const title = `Sement ${quantity} dona ${tag}`;
  await json(
    await api.post(`${base}/api/crm/deals`, {
      data: {
        clientId: client.id,
        title,
        amount: String(quantity * 150000),
        ownerId: manager.id,
        lines: [{ productId: product.id, quantity: String(quantity), price: '150000' }],
      },
    }),
    201,
  );
  return {
    managerEmail: `malika.${tag}@demo.uz`,
    keeperEmail: `bekzod.${tag}@demo.uz`,
    keeperId: keeper.id,
    product,
    warehouse,
    warehouseName: `Chilonzor ombori ${tag}`,
    client,
    title,
  };
}

async function onHand(api: APIRequestContext, productId: string, warehouseId: string): Promise<string> {
  const answer = await api.get(
    `${harness.baseUrl}/api/erp/stock-balances?productId=${productId}&warehouseId=${warehouseId}`,
  );
  const body = await json<{ items: { quantity: string }[] }>(answer, 200);
  return body.items[0]?.quantity ?? '0.000';
}

/** The manager wins the deal on the board, with the card's menu. */
async function winOnBoard(page: Page, title: string): Promise<void> {
  await page.getByTestId('nav-/crm/deals').click();
  await page.getByTestId('deals-board').waitFor();
  const card = page.locator('[data-testid=deal-card]', { hasText: title });
  await card.getByTestId('deal-move').selectOption('won');
  await page.getByTestId('column-won').locator('[data-testid=deal-card]', { hasText: title }).waitFor(WAIT);
}

/** Opens the inbox once the count says a task arrived, and the task of that name in it. */
async function openTask(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-/bpm/tasks').click();
  await page.getByTestId('tasks-grid').waitFor();
  const row = page.locator('[data-testid=tasks-grid] .ag-row:visible', { hasText: name }).first();
  await expect
    .poll(async () => {
      await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
      return row.count();
    }, WAIT)
    .toBe(1);
  await row.click();
  await page.locator('[data-testid=task-form][data-ready]').waitFor(WAIT);
}

/** Picks an option of a form-js select (a searchable list, not a native select). */
async function pick(page: Page, label: string, option: string): Promise<void> {
  await page.locator('.fjs-form-field-select', { hasText: label }).locator('.fjs-input-group').click();
  await page.locator('.fjs-dropdownlist-item', { hasText: option }).first().click();
}

describe('deal to shipment, as its people live it', () => {
  it('a won deal asks its owner to confirm; confirming posts the shipment, the stock drops, the timeline shows it', async () => {
    const admin = await harness.newPage();
    await harness.signIn(admin);
    const s = await setting(admin.request, 10, 4);

    const page = await harness.newPage();
    await harness.signIn(page, { email: s.managerEmail, password: PASSWORD });
    await winOnBoard(page, s.title);

    // The process started on the stage change reaches the owner's inbox without a reload.
    await expect
      .poll(async () => {
        await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
        return page.getByTestId('nav-badge-/bpm/tasks').count();
      }, WAIT)
      .toBe(1);
    await openTask(page, 'Confirm shipment');
    const form = page.getByTestId('task-form');
    expect(await form.textContent()).toContain(s.title);
    expect(await form.textContent()).toContain(s.warehouseName);
    // The empty select says "Choose…" in the reader's language, not form-js's own "Select".
    const empty = form.locator('.fjs-select-display.fjs-select-placeholder').first();
    type Styles = { getComputedStyle(el: unknown, pseudo: string): { content: string } };
    const after = await empty.evaluate(
      (el) => (globalThis as unknown as Styles).getComputedStyle(el, '::after').content,
    );
    expect(after).toBe('"Choose…"');
    await shot(page, 'confirm-shipment');

    await pick(page, 'Ship from', s.warehouseName);
    await page.getByLabel('Ship now', { exact: true }).check();
    await page.getByTestId('task-complete').click();

    // The next step of the same process is the owner's at once: the posted document's number.
    await page.getByRole('heading', { name: 'Shipment posted' }).waitFor(WAIT);
    const posted = (await page.getByTestId('task-form').textContent()) ?? '';
    const number = /[A-Z]+-\d+/.exec(posted)?.[0];
    expect(number, posted).toBeTruthy();
    await shot(page, 'shipment-posted');
    expect(await onHand(admin.request, s.product.id, s.warehouse.id)).toBe('6.000');
    await page.getByTestId('task-complete').click();

    // The client card's timeline: the shipment, posted in the step's own transaction.
    await page.goto(`${harness.baseUrl}/crm/clients/${s.client.id}`);
    await page.getByTestId('card-timeline').waitFor();
    await expect
      .poll(async () => {
        await page.reload();
        await page.getByTestId('card-timeline').waitFor();
        return (await page.getByTestId('card-timeline').textContent()) ?? '';
      }, WAIT)
      .toContain(number ?? '?');
    await shot(page, 'client-timeline');
    await page.close();
    await admin.close();
  });

  it('with too little stock the shortage goes to the warehouse group and nothing is posted', async () => {
    const admin = await harness.newPage();
    await harness.signIn(admin);
    const s = await setting(admin.request, 3, 8);

    const page = await harness.newPage();
    await harness.signIn(page, { email: s.managerEmail, password: PASSWORD });
    await winOnBoard(page, s.title);
    await openTask(page, 'Confirm shipment');
    await pick(page, 'Ship from', s.warehouseName);
    await page.getByLabel('Ship now', { exact: true }).check();
    await page.getByTestId('task-complete').click();
    // Not the manager's to resolve: back to their list, with nothing posted.
    await page.getByTestId('tasks-grid').waitFor(WAIT);
    expect(await onHand(admin.request, s.product.id, s.warehouse.id)).toBe('3.000');
    await page.close();

    const keeper = await harness.newPage();
    await harness.signIn(keeper, { email: s.keeperEmail, password: PASSWORD });
    await openTask(keeper, 'Resolve shortage');
    const text = (await keeper.getByTestId('task-form').textContent()) ?? '';
    expect(text).toContain('8.000');
    expect(text).toContain('3.000');
    await shot(keeper, 'resolve-shortage');
    expect(await onHand(admin.request, s.product.id, s.warehouse.id)).toBe('3.000');
    await keeper.close();
    await admin.close();
  });
});
