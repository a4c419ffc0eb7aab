import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import en from '../../i18n/en.json' with { type: 'json' };
import ru from '../../i18n/ru.json' with { type: 'json' };
import uz from '../../i18n/uz.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;

let harness: Harness;

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

async function openSignIn(page: Page): Promise<void> {
  await page.goto(`${harness.baseUrl}/`);
  await page.getByTestId('sign-in-form').waitFor();
}

async function textOf(page: Page, testId: string): Promise<string> {
  const locator = page.getByTestId(testId).first();
  await locator.waitFor();
  return ((await locator.textContent()) ?? '').trim();
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/** Waits until an element matching `selector` has exactly the text `expected`. */
async function waitForText(page: Page, selector: string, expected: string): Promise<void> {
  await page
    .locator(selector, { hasText: exactly(expected) })
    .first()
    .waitFor({ timeout: 10_000 });
}

describe('signing in', () => {
  it('fetches the texts of the language it shows, and another language only when it is chosen', async () => {
    const page = await harness.newPage();
    const fetched: string[] = [];
    page.on('request', (request) => {
      const match = /\/assets\/(uz|ru|en)-[^/]*\.js$/.exec(new URL(request.url()).pathname);
      if (match) fetched.push(match[1]!);
    });
    await openSignIn(page);
    const shown = await page.locator('[data-testid=language-select]').inputValue();
    expect(fetched).toEqual([shown]);
    const other = shown === 'ru' ? 'uz' : 'ru';
    await page.selectOption('[data-testid=language-select]', other);
    await waitForText(page, 'h1', (other === 'ru' ? ru : uz)['auth.signIn.title']);
    expect(fetched).toEqual([shown, other]);
  });

  it('opens the shell with the user name, keeps the language per user, and signs out', async () => {
    const page = await harness.newPage();
    await openSignIn(page);
    await page.selectOption('[data-testid=language-select]', 'en');
    await page.getByLabel(en['fields.email'], { exact: true }).fill(harness.adminEmail);
    await page.getByLabel(en['fields.password'], { exact: true }).fill(harness.adminPassword);
    await page.getByTestId('sign-in-submit').click();

    await page.getByTestId('sign-out').waitFor();
    const me = (await (await page.request.get(`${harness.baseUrl}/api/auth/me`)).json()) as {
      user: { name: string };
    };
    expect(await textOf(page, 'user-name')).toBe(me.user.name);
    await harness.screenshot(page, 'shell-signed-in');

    await page.selectOption('[data-testid=language-select]', 'ru');
    await waitForText(page, '[data-testid="nav-/"]', ru['nav.home']);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    await page.locator('[data-testid=language-select]:not([disabled])').waitFor();
    await harness.screenshot(page, 'shell-russian');

    // Forget the browser's choice: the language must come back from the user's account.
    await page.evaluate('localStorage.clear()');
    await page.reload();
    await page.getByTestId('sign-out').waitFor();
    await waitForText(page, '[data-testid="nav-/"]', ru['nav.home']);
    expect(await page.inputValue('[data-testid=language-select]')).toBe('ru');

    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    await waitForText(page, '.sign-in-card h1', ru['auth.signIn.title']);
    const after = await page.request.get(`${harness.baseUrl}/api/auth/me`);
    expect(after.status()).toBe(401);
    await page.close();
  }, 90_000);

  it('shows a wrong password as a translated error next to the form, in the chosen language', async () => {
    const page = await harness.newPage();
    for (const [locale, catalogue] of [
      ['ru', ru],
      ['uz', uz],
    ] as const) {
      await openSignIn(page);
      await page.selectOption('[data-testid=language-select]', locale);
      await page.getByLabel(catalogue['fields.email'], { exact: true }).fill(harness.adminEmail);
      await page.getByLabel(catalogue['fields.password'], { exact: true }).fill('not-the-password');
      await page.getByTestId('sign-in-submit').click();
      await waitForText(page, '[data-testid=form-error]', catalogue['errors.INVALID_CREDENTIALS']);
      const form = await page.getByTestId('sign-in-form').boundingBox();
      const error = await page.getByTestId('form-error').boundingBox();
      expect(form && error && error.y >= form.y && error.y <= form.y + form.height).toBe(true);
      await harness.screenshot(page, `sign-in-wrong-password-${locale}`);
    }
    await page.close();
  }, 90_000);
});
