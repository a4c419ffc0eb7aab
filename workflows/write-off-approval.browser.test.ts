// "Write-off approval" from where clerks write off: the posting screen sends a write-off worth
// more than the limit for approval instead of posting it; nothing moves until the clerk's head
// (from HR) approves it in the inbox, then the stock drops. A write-off the screen finds wrong
// starts nothing. Screenshots go to docs/screenshots/workflow-write-off-*.png.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../server/testing/browser-harness.js';

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;
let harness: Harness;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'ombor-parol-2026';

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: join(process.cwd(), 'docs', 'screenshots', `workflow-write-off-${name}.png`),
    fullPage: true,
  });

async function json<T>(answer: Awaited<ReturnType<APIRequestContext['post']>>, status: number): Promise<T> {
  expect(answer.status(), await answer.text()).toBe(status);
  return (await answer.json()) as T;
}

/** The admin's part: a clerk whose head is in HR, a product with 100 in stock. */
async function setting(api: APIRequestContext) {
  const base = harness.baseUrl;
  const tag = randomUUID().slice(0, 6);
  const user = (email: string, name: string) =>
    api
      .post(`${base}/api/admin/users`, { data: { email, name, password: PASSWORD, roles: ['warehouse'] } })
      .then((answer) => json<{ id: string }>(answer, 201));
  const clerkEmail = `bekzod.${tag}@demo.uz`;
  const headEmail = `sherzod.${tag}@demo.uz`;
  const clerk = await user(clerkEmail, 'Bekzod Tursunov');
  const head = await user(headEmail, 'Sherzod Nazarov');
  const department = await json<{ id: string }>(
    await api.post(`${base}/api/hr/departments`, { data: { name: `Ombor ${tag}` } }),
    201,
  );
  const employee = (body: Record<string, unknown>) =>
    api
      .post(`${base}/api/hr/employees`, {
        data: { departmentId: department.id, hireDate: '2024-03-01', ...body },
      })
      .then((answer) => json<{ id: string }>(answer, 201));
  const headEmployee = await employee({
    firstName: 'Sherzod',
    lastName: 'Nazarov',
    position: 'Ombor mudiri',
    userId: head.id,
  });
  await employee({
    firstName: 'Bekzod',
    lastName: 'Tursunov',
    position: 'Omborchi',
    userId: clerk.id,
    managerId: headEmployee.id,
  });
  const sku = `MUZ-${tag}`;
  const product = await json<{ id: string }>(
    await api.post(`${base}/api/erp/products`, {
      data: { sku, name: `Muzlatgich Artel ${tag}`, unit: 'pcs' },
    }),
    201,
  );
  const warehouse = await json<{ id: string }>(
    await api.post(`${base}/api/erp/warehouses`, {
      data: { code: `YU-${tag}`, name: `Yunusobod ombori ${tag}` },
    }),
    201,
  );
  await json(
    await api.post(`${base}/api/erp/stock-documents?post=true`, {
      headers: { 'idempotency-key': randomUUID() },
      data: {
        type: 'receipt',
        warehouseId: warehouse.id,
        lines: [{ productId: product.id, quantity: '100' }],
      },
    }),
    201,
  );
  return { clerkEmail, headEmail, sku, product, warehouse };
}

async function onHand(api: APIRequestContext, productId: string, warehouseId: string): Promise<string> {
  const answer = await api.get(
    `${harness.baseUrl}/api/erp/stock-balances?productId=${productId}&warehouseId=${warehouseId}`,
  );
  const body = await json<{ items: { quantity: string }[] }>(answer, 200);
  return body.items[0]?.quantity ?? '0.000';
}

async function instanceCount(api: APIRequestContext): Promise<number> {
  const answer = await api.get(`${harness.baseUrl}/api/bpm/instances?processId=write-off-approval`);
  return (await json<{ total: number }>(answer, 200)).total;
}

/** A new write-off in the clerk's warehouse, reason "damaged", the line entered from the keyboard. */
async function writeOff(page: Page, s: Awaited<ReturnType<typeof setting>>, quantity: string | null) {
  await page.goto(`${harness.baseUrl}/erp/documents/new?type=write_off`);
  await page.getByTestId('posting-screen').waitFor();
  await page.selectOption('[data-testid=doc-warehouse]', s.warehouse.id);
  await page.selectOption('[data-testid=doc-reason]', 'damaged');
  await page.getByTestId('doc-comment').fill('Tashishda shikastlangan');
  if (quantity === null) return;
  await page.getByTestId('product-finder').click();
  await page.keyboard.type(s.sku);
  await page.keyboard.press('Enter');
  await page.getByTestId('entry-quantity').waitFor();
  await expect.poll(() => page.getByTestId('entry-quantity').isEnabled(), WAIT).toBe(true);
  await page.getByTestId('entry-quantity').fill(quantity);
  await page.getByTestId('entry-quantity').press('Enter');
  await page.getByTestId('line-0').waitFor();
}

/** Opens the inbox and the task of that name in it, once it has arrived. */
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

describe('write-off approval from the posting screen', () => {
  it('a clerk sends a large write-off for approval; nothing moves until the head approves it', async () => {
    const admin = await harness.newPage();
    await harness.signIn(admin);
    const s = await setting(admin.request);
    const before = await instanceCount(admin.request);

    const clerk = await harness.newPage();
    await harness.signIn(clerk, { email: s.clerkEmail, password: PASSWORD, language: 'uz' });
    // 40 × 150 000 = 6 000 000 soʻm: above the limit.
    await writeOff(clerk, s, '40');
    await clerk.getByTestId('line-0-price').fill('150000');
    const send = clerk.getByTestId('posting-screen').getByTestId('start-process-button');
    expect(await send.textContent()).toBe('Tasdiqlashga yuborish');
    // The button sits in the actions row, beside Post, not under it.
    const [sendBox, postBox] = [await send.boundingBox(), await clerk.getByTestId('doc-post').boundingBox()];
    expect(Math.abs((sendBox?.y ?? 0) - (postBox?.y ?? 1))).toBeLessThan(2);
    expect(Number(await clerk.evaluate('document.documentElement.scrollWidth - window.innerWidth'))).toBe(0);
    await shot(clerk, 'clerk-uz');

    // A double click starts one process.
    await send.dblclick();
    await clerk.waitForURL(`${harness.baseUrl}/erp/documents`, WAIT);
    const toast = clerk.locator('.toast-success', { hasText: 'Hisobdan chiqarishni tasdiqlash' });
    await toast.waitFor(WAIT);
    await clerk.getByTestId('documents-grid').waitFor(WAIT);
    await clerk.locator('[data-testid=documents-grid] .ag-root').waitFor(WAIT);
    await shot(clerk, 'sent-uz');
    expect(await onHand(admin.request, s.product.id, s.warehouse.id)).toBe('100.000');
    expect(await instanceCount(admin.request)).toBe(before + 1);
    // Nothing was saved as a document either: the process posts it.
    const documents = await admin.request.get(
      `${harness.baseUrl}/api/erp/stock-documents?type=write_off&warehouseId=${s.warehouse.id}`,
    );
    expect((await json<{ total: number }>(documents, 200)).total).toBe(0);
    await clerk.close();

    const head = await harness.newPage();
    await harness.signIn(head, { email: s.headEmail, password: PASSWORD });
    await openTask(head, 'Approve write-off');
    const form = (await head.getByTestId('task-form').textContent()) ?? '';
    expect(form).toContain('Tashishda shikastlangan');
    // Each line by its product and what the warehouse holds, not by an id.
    expect(form).toContain(`${s.sku} · Muzlatgich Artel`);
    expect(form).toContain('100.000');
    expect(form).not.toContain(s.product.id);
    expect(await head.getByLabel('Value, soʻm').inputValue()).toBe('6 000 000');
    await shot(head, 'approve');
    await head.getByLabel('Approve', { exact: true }).check();
    await head.getByTestId('task-complete').click();
    await expect.poll(() => onHand(admin.request, s.product.id, s.warehouse.id), WAIT).toBe('60.000');
    await head.close();
    await admin.close();
  });

  it('a saved draft sent for approval goes: the process posts a small one at once and tells the clerk', async () => {
    const admin = await harness.newPage();
    await harness.signIn(admin);
    const s = await setting(admin.request);

    // A narrow window: the price stands beside the quantity, nothing runs off the side.
    const clerk = await harness.newPage({ width: 820, height: 900 });
    await harness.signIn(clerk, { email: s.clerkEmail, password: PASSWORD, language: 'uz' });
    await writeOff(clerk, s, '2');
    await clerk.getByTestId('line-0-price').fill('50000,50');
    await clerk.getByTestId('doc-save').click();
    await clerk.waitForURL(/\/erp\/documents\/[0-9a-f-]{36}$/, WAIT);
    const draftId = clerk.url().split('/').pop() ?? '';
    // The price was saved with the draft and comes back with it.
    await expect.poll(() => clerk.getByTestId('line-0-price').inputValue(), WAIT).toBe('50000.5');
    expect(Number(await clerk.evaluate('document.documentElement.scrollWidth - window.innerWidth'))).toBe(0);
    // The "saved" toast would cover the buttons in the picture.
    await clerk.locator('.toast button').click();
    await clerk.locator('.toast').waitFor({ state: 'detached' });
    await shot(clerk, 'draft-narrow-uz');

    await clerk.getByTestId('posting-screen').getByTestId('start-process-button').click();
    // 100 001 soʻm is within the limit: posted at once, and the outcome is the clerk's next step.
    await clerk.locator('[data-testid=task-form][data-ready]').waitFor(WAIT);
    expect(await onHand(admin.request, s.product.id, s.warehouse.id)).toBe('98.000');
    const draft = await admin.request.get(`${harness.baseUrl}/api/erp/stock-documents/${draftId}`);
    expect(draft.status()).toBe(404);
    await clerk.close();
    await admin.close();
  });

  it('a write-off the screen finds wrong is not sent: the fields say why', async () => {
    const admin = await harness.newPage();
    await harness.signIn(admin);
    const s = await setting(admin.request);
    const before = await instanceCount(admin.request);

    const clerk = await harness.newPage();
    await harness.signIn(clerk, { email: s.clerkEmail, password: PASSWORD, language: 'uz' });
    await writeOff(clerk, s, null);
    const send = clerk.getByTestId('posting-screen').getByTestId('start-process-button');
    await send.click();
    await expect
      .poll(() => clerk.getByTestId('no-lines').textContent(), WAIT)
      .toBe('Kamida bitta qator qoʻshing.');

    // A line without its price would be worth nothing and skip the approval.
    await writeOff(clerk, s, '40');
    await send.click();
    await expect
      .poll(() => clerk.getByTestId('line-0-price-error').textContent(), WAIT)
      .toBe('Narxni kiriting: tasdiqlash hisobdan chiqarishni shu narx boʻyicha baholaydi.');
    await shot(clerk, 'no-price-uz');
    expect(clerk.url()).toContain('/erp/documents/new');
    expect(await instanceCount(admin.request)).toBe(before);
    expect(await onHand(admin.request, s.product.id, s.warehouse.id)).toBe('100.000');
    await clerk.close();
    await admin.close();
  });
});
