import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import core from '../../i18n/en.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;

let harness: Harness;

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${harness.baseUrl}/`);
  await page.getByTestId('sign-in-form').waitFor();
  await page.selectOption('[data-testid=language-select]', 'en');
  await page.getByLabel(core['fields.email'], { exact: true }).fill(harness.adminEmail);
  await page.getByLabel(core['fields.password'], { exact: true }).fill(harness.adminPassword);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('sign-out').waitFor();
  if ((await page.inputValue('[data-testid=language-select]')) !== 'en') {
    await page.selectOption('[data-testid=language-select]', 'en');
  }
  await page.locator('html[lang=en]').waitFor({ state: 'attached' });
}

/** Whether anything sticks out sideways: the page should never scroll horizontally. */
async function overflowsSideways(page: Page): Promise<boolean> {
  const wider = await page.evaluate(
    'document.documentElement.scrollWidth > document.documentElement.clientWidth + 1',
  );
  return wider === true;
}

describe('the org chart', () => {
  it('adds a department, a sub-department and an employee, and shows them with head and headcount', async () => {
    const page = await harness.newPage();
    await signIn(page);
    await page.getByTestId('nav-/hr/org-chart').click();
    await page.getByTestId('empty-state').waitFor();
    expect(await page.getByTestId('empty-state').textContent()).toContain(en['hr.org.emptyTitle']);
    await harness.screenshot(page, 'hr-org-chart-empty');

    // A department at the top; the code is left to be made from the name.
    await page.getByTestId('department-create').click();
    const drawer = page.getByTestId('department-drawer');
    await drawer.getByLabel(en['hr.fields.name'], { exact: true }).fill('Rahbariyat');
    await drawer.getByTestId('department-save').click();
    await drawer.waitFor({ state: 'detached' });
    const top = page.getByTestId('org-node-rahbariyat');
    await top.waitFor();

    // A department inside it, with a code of our own; an invalid code is refused at its field first.
    await top.getByRole('button', { name: en['hr.org.addSub'] }).click();
    await drawer.getByLabel(en['hr.fields.name'], { exact: true }).fill('Savdo boʻlimi');
    await drawer.getByLabel(en['hr.fields.code'], { exact: true }).fill('1 savdo');
    await drawer.getByTestId('department-save').click();
    await drawer.getByTestId('error-code').waitFor();
    await harness.screenshot(page, 'hr-department-code-error');
    await drawer.getByLabel(en['hr.fields.code'], { exact: true }).fill('savdo');
    await drawer.getByTestId('department-save').click();
    await drawer.waitFor({ state: 'detached' });
    const sales = page.getByTestId('org-node-savdo');
    await sales.waitFor();
    expect(await sales.textContent()).toContain('Savdo boʻlimi');

    // An employee in the sales department.
    await page.getByTestId('nav-/hr/employees').click();
    await page.getByTestId('employees-grid').waitFor();
    await page.getByTestId('employee-create').click();
    const form = page.getByTestId('employee-drawer');
    await form.getByLabel(en['hr.fields.lastName'], { exact: true }).fill('Yusupova');
    await form.getByLabel(en['hr.fields.firstName'], { exact: true }).fill('Malika');
    await form
      .getByLabel(en['hr.fields.department'], { exact: true })
      .selectOption({ label: '\u2003Savdo boʻlimi' });
    await form.getByLabel(en['hr.fields.position'], { exact: true }).fill('Savdo menejeri');
    await form.getByLabel(en['hr.fields.hireDate'], { exact: true }).fill('2025-02-03');
    await form.getByLabel(en['hr.fields.pinfl'], { exact: true }).fill('12345');
    await form.getByTestId('employee-save').click();
    await form.getByTestId('error-pinfl').waitFor();
    await harness.screenshot(page, 'hr-employee-pinfl-error');
    await form.getByLabel(en['hr.fields.pinfl'], { exact: true }).fill('');
    await form.getByTestId('employee-save').click();
    await form.waitFor({ state: 'detached' });
    const row = page.locator('[data-testid=employees-grid] .ag-row', { hasText: 'Yusupova' });
    await row.waitFor();
    await harness.screenshot(page, 'hr-employees-grid');

    // She becomes the head of the sales department.
    await page.getByTestId('nav-/hr/org-chart').click();
    await sales.waitFor();
    await sales.getByRole('button', { name: en['hr.org.edit'] }).click();
    await drawer
      .getByLabel(en['hr.fields.head'], { exact: true })
      .selectOption({ label: 'Yusupova Malika · Savdo menejeri' });
    await drawer.getByTestId('department-save').click();
    await drawer.waitFor({ state: 'detached' });
    await sales.getByText('Yusupova Malika').waitFor();
    expect(await sales.getByTestId('org-headcount').textContent()).toBe(
      en['hr.org.headcount'].replace('{count}', '1'),
    );
    expect(await top.textContent()).toContain(en['hr.org.totalHeadcount'].replace('{count}', '1'));
    expect(await overflowsSideways(page)).toBe(false);
    await harness.screenshot(page, 'hr-org-chart');

    // Collapsing the top hides the department inside it.
    await page.getByTestId('org-toggle-rahbariyat').click();
    await sales.waitFor({ state: 'detached' });
    await page.getByTestId('org-toggle-rahbariyat').click();
    await sales.waitFor();

    // The card of the employee.
    await page.getByTestId('nav-/hr/employees').click();
    await row.click();
    await page.getByTestId('employee-history').waitFor();
    await page.getByTestId('vacation-balance').waitFor();
    expect(await page.getByTestId('employee-history').textContent()).toContain(en['hr.history.hired']);
    await harness.screenshot(page, 'hr-employee-card');
    await page.close();
  });

  it('fits a phone screen', async () => {
    const page = await harness.newPage({ width: 390, height: 844 });
    await signIn(page);
    await page.goto(`${harness.baseUrl}/hr/org-chart`);
    await page.getByTestId('org-node-savdo').waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await harness.screenshot(page, 'hr-org-chart-phone');
    await page.goto(`${harness.baseUrl}/hr/absences`);
    await page.getByTestId('absence-calendar').waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await harness.screenshot(page, 'hr-absences-phone');
    await page.goto(`${harness.baseUrl}/hr/employees`);
    await page.locator('[data-testid=employees-grid] .ag-row', { hasText: 'Yusupova' }).click();
    await page.getByTestId('employee-absences').waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await harness.screenshot(page, 'hr-employee-card-phone');
    await page.close();
  });
});
