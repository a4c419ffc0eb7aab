import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import en from '../../i18n/en.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;

let harness: Harness;

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

/** Signs in on the sign-in page in English, so that labels are known. */
async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto(`${harness.baseUrl}/`);
  await page.getByTestId('sign-in-form').waitFor();
  await page.selectOption('[data-testid=language-select]', 'en');
  await page.getByLabel(en['fields.email'], { exact: true }).fill(email);
  await page.getByLabel(en['fields.password'], { exact: true }).fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('sign-out').waitFor();
  // The account's own language applies at sign-in; these tests read English.
  if ((await page.inputValue('[data-testid=language-select]')) !== 'en') {
    await page.selectOption('[data-testid=language-select]', 'en');
  }
  await page.locator('html[lang=en]').waitFor({ state: 'attached' });
}

/** A page in a browser context of its own, so that two users can be signed in at once. */
async function separatePage(other: Page): Promise<Page> {
  const browser = other.context().browser();
  if (!browser) return harness.newPage();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

function userRow(page: Page, email: string) {
  return page.locator('[data-testid=users-grid] .ag-row', { hasText: email });
}

async function openUser(page: Page, email: string): Promise<void> {
  await userRow(page, email).click();
  await page.getByTestId('user-drawer').waitFor();
  await page.getByTestId('user-email').filter({ hasText: email }).waitFor();
}

async function saveUser(page: Page): Promise<void> {
  await page.getByTestId('user-save').click();
  await page.getByTestId('user-drawer').waitFor({ state: 'detached' });
}

describe('managing users', () => {
  it('creates a user, changes their roles, deactivates them; the user sees no admin pages', async () => {
    const admin = await harness.newPage();
    await signIn(admin, harness.adminEmail, harness.adminPassword);
    await admin.getByTestId('nav-section-admin').waitFor();
    await admin.getByTestId('nav-/admin/users').click();
    await admin.getByTestId('users-grid').waitFor();

    const email = `manager.${Date.now()}@example.uz`;
    const password = 'manager-pass-1';
    await admin.getByTestId('user-create').click();
    const drawer = admin.getByTestId('user-drawer');
    await drawer.getByLabel(en['fields.email'], { exact: true }).fill(email);
    await drawer.getByLabel(en['fields.name'], { exact: true }).fill('Sardor Toshmatov');
    await drawer.getByLabel(en['fields.password'], { exact: true }).fill(password);
    await drawer.getByTestId('role-sales_manager').check();
    await saveUser(admin);

    const row = userRow(admin, email);
    await row.waitFor();
    expect(await row.textContent()).toContain(en['roles.sales_manager']);
    await harness.screenshot(admin, 'users-created');

    // The new user signs in and sees no administration.
    const manager = await separatePage(admin);
    await signIn(manager, email, password);
    expect(await manager.getByTestId('nav-section-admin').count()).toBe(0);
    expect(await manager.getByTestId('nav-/admin/users').count()).toBe(0);
    await manager.goto(`${harness.baseUrl}/admin/users`);
    await manager.getByRole('heading', { name: en['forbidden.title'], level: 1 }).waitFor();
    await harness.screenshot(manager, 'sales-manager-home');

    // Change the roles: sales manager becomes employee.
    await openUser(admin, email);
    await admin.getByTestId('role-sales_manager').uncheck();
    await admin.getByTestId('role-employee').check();
    await saveUser(admin);
    const changed = userRow(admin, email).filter({ hasText: en['roles.employee'] });
    await changed.waitFor();
    expect(await changed.textContent()).not.toContain(en['roles.sales_manager']);

    // Deactivate: the grid says so, and the user can no longer sign in.
    await openUser(admin, email);
    await admin.getByTestId('user-active').uncheck();
    await saveUser(admin);
    await userRow(admin, email).filter({ hasText: en['users.inactive'] }).waitFor();
    await harness.screenshot(admin, 'users-deactivated');

    const again = await separatePage(admin);
    await again.goto(`${harness.baseUrl}/`);
    await again.getByTestId('sign-in-form').waitFor();
    await again.locator('input[name=email]').fill(email);
    await again.locator('input[name=password]').fill(password);
    await again.getByTestId('sign-in-submit').click();
    await again.getByTestId('form-error').waitFor();
    expect(await again.getByTestId('sign-out').count()).toBe(0);
  }, 120_000);

  it('shows an e-mail that is already taken next to the e-mail field', async () => {
    const admin = await harness.newPage();
    await signIn(admin, harness.adminEmail, harness.adminPassword);
    await admin.goto(`${harness.baseUrl}/admin/users/new`);
    const drawer = admin.getByTestId('user-drawer');
    await drawer.waitFor();
    await drawer.getByLabel(en['fields.email'], { exact: true }).fill(harness.adminEmail);
    await drawer.getByLabel(en['fields.name'], { exact: true }).fill('Someone Else');
    await drawer.getByLabel(en['fields.password'], { exact: true }).fill('another-pass-1');
    await drawer.getByTestId('role-employee').check();
    await admin.getByTestId('user-save').click();

    const error = drawer.getByTestId('error-email');
    await error.waitFor();
    expect(((await error.textContent()) ?? '').trim()).not.toBe('');
    // Next to the field: right below the e-mail input.
    const input = await drawer.getByLabel(en['fields.email'], { exact: true }).boundingBox();
    const message = await error.boundingBox();
    expect(
      input &&
        message &&
        message.y >= input.y + input.height - 1 &&
        message.y - (input.y + input.height) < 40,
    ).toBe(true);
    expect(await drawer.getByLabel(en['fields.email'], { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await harness.screenshot(admin, 'users-email-taken');
  }, 90_000);
});
