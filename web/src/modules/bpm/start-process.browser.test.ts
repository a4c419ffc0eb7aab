// Starting a process where the work is, on the workflows a first start deploys: an employee opens
// their own employee page, starts "Leave request" with its dates, and their manager finds "Approve
// leave" in the inbox with the employee's card beside it. Screenshots go to
// docs/screenshots/workflow-leave-*.png.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import en from './i18n/en.json' with { type: 'json' };
import uz from './i18n/uz.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;
let harness: Harness;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'xodim-parol-2026';

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 300_000);

afterAll(async () => {
  await harness?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: join(process.cwd(), 'docs', 'screenshots', `workflow-leave-${name}.png`),
    fullPage: true,
  });

async function overflowsSideways(page: Page): Promise<boolean> {
  const wider = await page.evaluate(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth + 1',
  );
  return wider === true;
}

async function json<T>(answer: Awaited<ReturnType<APIRequestContext['post']>>, status: number): Promise<T> {
  expect(answer.status(), await answer.text()).toBe(status);
  return (await answer.json()) as T;
}

/** The admin's part: two accounts, a department, the manager and the employee who reports to them. */
async function setting(api: APIRequestContext) {
  const base = harness.baseUrl;
  const tag = randomUUID().slice(0, 6);
  const user = async (email: string, name: string) =>
    json<{ id: string }>(
      await api.post(`${base}/api/admin/users`, {
        data: { email, name, password: PASSWORD, roles: ['employee'] },
      }),
      201,
    );
  const employeeEmail = `aziz.${tag}@demo.uz`;
  const managerEmail = `dilshod.${tag}@demo.uz`;
  const employeeUser = await user(employeeEmail, 'Aziz Ergashev');
  const managerUser = await user(managerEmail, 'Dilshod Karimov');
  const department = await json<{ id: string }>(
    await api.post(`${base}/api/hr/departments`, { data: { name: `Savdo ${tag}` } }),
    201,
  );
  const person = (body: Record<string, unknown>) =>
    api.post(`${base}/api/hr/employees`, {
      data: { departmentId: department.id, hireDate: '2024-03-01', ...body },
    });
  const manager = await json<{ id: string }>(
    await person({
      firstName: 'Dilshod',
      lastName: `Karimov ${tag}`,
      position: 'Savdo boshligʻi',
      userId: managerUser.id,
    }),
    201,
  );
  const employee = await json<{ id: string; fullName: string }>(
    await person({
      firstName: 'Aziz',
      lastName: `Ergashev ${tag}`,
      position: 'Savdo menejeri',
      userId: employeeUser.id,
      managerId: manager.id,
    }),
    201,
  );
  return { employeeEmail, managerEmail, employee };
}

/** A date as form-js's date field takes it typed: in the browser's own date format. */
async function typedDate(page: Page, year: number, month: number, day: number): Promise<string> {
  const text = await page.evaluate(
    `new Intl.DateTimeFormat().format(new Date(${year}, ${month - 1}, ${day}))`,
  );
  return String(text);
}

async function fillDate(page: Page, label: string, text: string): Promise<void> {
  // A required field's label ends with a marker: "From *".
  const input = page.getByTestId('start-dialog').getByLabel(new RegExp(`^${label}\\b`));
  await input.fill(text);
  await input.press('Enter');
}

describe('start a process where the work is', () => {
  it('an employee asks for leave on their own page; the manager finds it in the inbox with the employee beside it', async () => {
    const admin = await harness.newPage();
    await harness.signIn(admin);
    const s = await setting(admin.request);

    // The employee opens their own page: the processes that start there are offered.
    const page = await harness.newPage();
    await harness.signIn(page, { email: s.employeeEmail, password: PASSWORD });
    await page.goto(`${harness.baseUrl}/hr/employees/${s.employee.id}`);
    const start = page.getByTestId('start-process-button');
    await start.waitFor(WAIT);
    expect(await start.textContent()).toBe(en['bpm.start.one'].replace('{name}', 'Leave request'));
    expect(await overflowsSideways(page)).toBe(false);
    await shot(page, 'employee-page');

    // The start form asks for the dates; without them nothing starts.
    await start.click();
    const dialog = page.getByTestId('start-dialog');
    await dialog.locator('[data-testid=task-form][data-ready]').waitFor(WAIT);
    await page.getByTestId('start-dialog-submit').click();
    expect(await dialog.getByTestId('form-error').textContent()).toBe(en['bpm.task.checkFields']);
    await fillDate(page, 'From', await typedDate(page, 2026, 12, 21));
    await fillDate(page, 'To', await typedDate(page, 2026, 12, 25));
    await dialog.getByLabel('Comment', { exact: true }).fill('Toʻy');
    // The message was about the last try: filling the fields takes it away.
    expect(await dialog.getByTestId('form-error').count()).toBe(0);
    await shot(page, 'request');
    await page.getByTestId('start-dialog-submit').click();

    // The first step is the manager's, not the employee's: a confirmation names the process.
    const started = en['bpm.start.started'].replace('{name}', 'Leave request');
    await page.getByText(started).waitFor(WAIT);
    expect(await dialog.count()).toBe(0);
    await shot(page, 'started');

    // On a phone, in Uzbek: the button and the start form fit, in the reader's language.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.selectOption('[data-testid=language-select]', 'uz');
    await page.locator('html[lang=uz]').waitFor({ state: 'attached' });
    await page.getByTestId('start-process-button').click();
    await dialog.locator('[data-testid=task-form][data-ready]').waitFor(WAIT);
    expect(await dialog.textContent()).toContain('Boshlanishi');
    expect(await dialog.textContent()).toContain(uz['bpm.start.keep']);
    expect(await overflowsSideways(page)).toBe(false);
    await shot(page, 'request-phone-uz');
    await dialog.getByText(uz['bpm.start.keep'], { exact: true }).click();
    expect(await dialog.count()).toBe(0);

    // The manager finds "Approve leave" in the inbox, with the employee's card beside it.
    const manager = await harness.newPage();
    await harness.signIn(manager, { email: s.managerEmail, password: PASSWORD });
    await manager.getByTestId('nav-/bpm/tasks').click();
    await manager.getByTestId('tasks-grid').waitFor();
    const row = manager
      .locator('[data-testid=tasks-grid] .ag-row:visible', { hasText: 'Approve leave' })
      .first();
    await expect
      .poll(async () => {
        await manager.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
        return row.count();
      }, WAIT)
      .toBe(1);
    await row.click();
    await manager.locator('[data-testid=task-form][data-ready]').waitFor(WAIT);
    const card = manager.getByTestId('about-employee');
    await card.getByTestId('about-employee-link').waitFor(WAIT);
    expect(await card.textContent()).toContain(s.employee.fullName);
    expect(await card.textContent()).toContain('Savdo menejeri');
    expect(await card.getByTestId('about-employee-link').getAttribute('href')).toBe(
      `/hr/employees/${s.employee.id}`,
    );
    // The raw process data is there, folded away.
    const data = manager.getByTestId('task-data');
    expect(await data.getAttribute('open')).toBeNull();
    expect(await data.textContent()).toContain('approverEmail');
    expect(await overflowsSideways(manager)).toBe(false);
    await shot(manager, 'approve');

    // Unfolded, the data reads as a list; the page still fits.
    await data.locator('summary').click();
    expect(await data.getAttribute('open')).not.toBeNull();
    expect(await overflowsSideways(manager)).toBe(false);
    await shot(manager, 'approve-data');
  });

  it('offers a menu on the client card and a button on the deal; a first step of the starter opens at once', async () => {
    const page = await harness.newPage();
    await harness.signIn(page);
    const base = harness.baseUrl;
    const deployed = await page.request.post(`${base}/api/bpm/deployments`, {
      headers: { 'content-type': 'application/xml' },
      data: readFileSync(
        join(process.cwd(), 'web', 'src', 'modules', 'bpm', 'fixtures', 'client-processes.bpmn'),
      ),
    });
    expect(deployed.status(), await deployed.text()).toBe(201);
    const tag = randomUUID().slice(0, 6);
    const client = await json<{ id: string }>(
      await page.request.post(`${base}/api/crm/clients`, {
        data: { kind: 'company', name: `Samarqand Savdo ${tag} MChJ`, confirmDuplicate: true },
      }),
      201,
    );
    const title = `Gisht 1000 dona ${tag}`;
    await json(
      await page.request.post(`${base}/api/crm/deals`, {
        data: { clientId: client.id, title, amount: '2500000' },
      }),
      201,
    );

    // Two processes start on a client card: a menu names them.
    await page.goto(`${base}/crm/clients/${client.id}`);
    const start = page.getByTestId('start-process-button');
    await start.waitFor(WAIT);
    expect(await start.textContent()).toBe(en['bpm.start.menu']);
    await start.click();
    const items = page.getByTestId('start-process-item');
    expect(await items.allTextContents()).toEqual(['Call the client', "Check the client's debts"]);
    expect(await overflowsSideways(page)).toBe(false);
    await page.screenshot({ path: join(process.cwd(), 'docs', 'screenshots', 'bpm-start-menu.png') });

    // One without a step for its starter: a confirmation names it, and the page stays.
    await items.filter({ hasText: 'debts' }).click();
    await page.getByText(en['bpm.start.started'].replace('{name}', "Check the client's debts")).waitFor(WAIT);
    expect(await page.getByTestId('card-data').count()).toBe(1);

    // One whose first step is the starter's: it opens at once, with the client beside it.
    await start.click();
    await items.filter({ hasText: 'Call the client' }).click();
    await page.getByRole('heading', { name: 'Call and write down the answer' }).waitFor(WAIT);
    await page.getByTestId('about-client-link').waitFor(WAIT);
    expect(await page.getByTestId('about-client').textContent()).toContain(`Samarqand Savdo ${tag} MChJ`);

    // On the deal's panel only the process that declares crm.deal; the step shows the deal too.
    await page.goto(`${base}/crm/clients/${client.id}`);
    await page.getByTestId('card-deal-edit').click();
    const drawer = page.getByTestId('deal-drawer');
    const dealStart = drawer.getByTestId('start-process-button');
    await dealStart.waitFor(WAIT);
    expect(await dealStart.textContent()).toBe(en['bpm.start.one'].replace('{name}', 'Call the client'));
    await page.screenshot({ path: join(process.cwd(), 'docs', 'screenshots', 'bpm-start-deal.png') });
    await dealStart.click();
    await page.getByRole('heading', { name: 'Call and write down the answer' }).waitFor(WAIT);
    await page.getByTestId('about-deal-link').waitFor(WAIT);
    expect(await page.getByTestId('about-deal').textContent()).toContain(title);
    expect(await page.getByTestId('about-client').count()).toBe(1);
    expect(await overflowsSideways(page)).toBe(false);
    await page.screenshot({
      path: join(process.cwd(), 'docs', 'screenshots', 'bpm-start-deal-task.png'),
      fullPage: true,
    });
  });
});
