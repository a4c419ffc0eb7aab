import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import en from '../../i18n/en.json' with { type: 'json' };
import uzApp from '../../i18n/uz.json' with { type: 'json' };
import crmRu from './i18n/ru.json' with { type: 'json' };
import crmUz from './i18n/uz.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;

let harness: Harness;

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

const WAIT = { timeout: 15_000 };
const RUN = Date.now().toString(36).toUpperCase();
const CLIENT = `Olmaliq Savdo ${RUN}`;
const DEAL = `Sement yetkazish ${RUN}`;
const EMPTY_DEAL = `Boʻsh bitim ${RUN}`;

async function signIn(page: Page, locale: 'uz' | 'ru'): Promise<void> {
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

/** How far the page is wider than the window (0 when nothing overflows sideways). */
async function overflowOf(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
}

/**
 * Drags a deal's card with the mouse (HTML5 drag and drop) onto a drop target that appears once
 * the drag has started: the won and lost zones at the bottom of the window.
 */
async function dragCard(page: Page, title: string, target: string): Promise<void> {
  const box = await card(page, title).locator('.crm-card-title').boundingBox();
  if (!box) throw new Error(`no card ${title}`);
  await page.mouse.move(box.x + 10, box.y + 8);
  await page.mouse.down();
  await page.mouse.move(box.x + 30, box.y + 30, { steps: 5 });
  const zone = page.getByTestId(target);
  await zone.waitFor();
  const to = await zone.boundingBox();
  if (!to) throw new Error(`no drop zone ${target}`);
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
  await page.mouse.up();
}

function card(page: Page, title: string) {
  return page.locator('[data-testid=deal-card]', { hasText: title });
}

describe('from a new client to a won deal', () => {
  it('creates a client and a deal with a product, drags it to won and sees it on the timeline; a deal without lines is refused on its card', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');

    // A product to sell, made through the API with the page's own cookie.
    const product = await page.request.post(`${harness.baseUrl}/api/erp/products`, {
      data: { sku: `SEM-${RUN}`, name: 'Sement M400', unit: 'pcs' },
    });
    expect(product.status()).toBe(201);

    // The home page has the CRM cards, the nav its section.
    await page.getByTestId('nav-section-crm').waitFor();
    await harness.screenshot(page, 'crm-home-uz');

    // A client through the side panel: the phone is shown as it will be saved.
    await page.getByTestId('nav-/crm/clients').click();
    await page.getByTestId('clients-grid').waitFor();
    await page.getByTestId('empty-state').waitFor();
    await harness.screenshot(page, 'crm-clients-empty-uz');
    await page.getByTestId('client-create').first().click();
    const drawer = page.getByTestId('client-drawer');
    await drawer.locator('input[name=name]').fill(CLIENT);
    await drawer.locator('input[name=taxId]').fill('3012');
    await drawer.locator('input[name=phones]').fill('90 123 45 67');
    await expect.poll(() => drawer.textContent(), WAIT).toContain('+998901234567');
    await drawer.locator('input[name=emails]').fill(`info-${RUN.toLowerCase()}@olmaliq.uz`);
    await drawer.locator('select[name=region]').selectOption({ label: 'Toshkent shahri' });
    await page.getByTestId('client-save').click();
    // A short tax id is refused next to the field, before the server is asked.
    await expect.poll(() => drawer.getByTestId('error-taxId').textContent(), WAIT).toContain('9');
    await harness.screenshot(page, 'crm-client-form-uz');
    await drawer.locator('input[name=taxId]').fill('301234567');
    await page.getByTestId('client-save').click();
    await page.getByTestId('card-data').waitFor();
    expect(await page.locator('h1').textContent()).toBe(CLIENT);

    // A deal with one product line from the card.
    await page.getByTestId('card-add-deal').click();
    const dealDrawer = page.getByTestId('deal-drawer');
    await page.getByTestId('deal-title').fill(DEAL);
    await page.getByTestId('deal-product-picker').fill('Sement');
    await dealDrawer.locator('[role=option]', { hasText: 'Sement M400' }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('deal-line-0-quantity').fill('10');
    await page.getByTestId('deal-line-0-price').fill('125000');
    await expect.poll(() => page.getByTestId('deal-amount').inputValue(), WAIT).toBe('1250000.00');
    await harness.screenshot(page, 'crm-deal-form-uz');
    await page.getByTestId('deal-save').click();
    await dealDrawer.waitFor({ state: 'detached' });
    await page.locator('[data-testid=card-deal]', { hasText: DEAL }).waitFor();

    // A second deal without lines, through the API.
    const clientId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const empty = await page.request.post(`${harness.baseUrl}/api/crm/deals`, {
      data: { clientId, title: EMPTY_DEAL, amount: '500000' },
    });
    expect(empty.status()).toBe(201);

    // The board: drag the deal with a line to won.
    await page.getByTestId('nav-/crm/deals').click();
    await page.getByTestId('deals-board').waitFor();
    await card(page, DEAL).waitFor();
    await harness.screenshot(page, 'crm-board-before-uz');
    await dragCard(page, DEAL, 'drop-won');
    await page.getByTestId('column-won').locator('[data-testid=deal-card]', { hasText: DEAL }).waitFor(WAIT);
    expect(await page.getByTestId('count-won').textContent()).toBe('1');
    await expect
      .poll(
        async () =>
          ((await page.getByTestId('column-won').textContent()) ?? '').replace(/[\u00a0\u202f]/g, ' '),
        WAIT,
      )
      .toContain('1 250 000 soʻm');
    await harness.screenshot(page, 'crm-board-won-uz');

    // The deal without lines is refused, and the reason is shown on its card.
    // Between columns that are both on screen, the card goes straight onto the column.
    await card(page, EMPTY_DEAL).dragTo(page.getByTestId('column-qualified'));
    await page
      .getByTestId('column-qualified')
      .locator('[data-testid=deal-card]', { hasText: EMPTY_DEAL })
      .waitFor(WAIT);
    await dragCard(page, EMPTY_DEAL, 'drop-won');
    const refusal = card(page, EMPTY_DEAL).getByTestId('deal-refusal');
    await refusal.waitFor(WAIT);
    await harness.screenshot(page, 'crm-board-refused-uz');
    expect(await refusal.textContent()).toContain(crmUz['crm.board.reason.WON_NEEDS_LINES']);
    expect(
      await page
        .getByTestId('column-qualified')
        .locator('[data-testid=deal-card]', { hasText: EMPTY_DEAL })
        .count(),
    ).toBe(1);

    // The keyboard way: the card's menu moves it to lost, which asks for the reason first.
    await card(page, EMPTY_DEAL).getByTestId('deal-move').selectOption('lost');
    await page.getByTestId('lost-dialog').waitFor();
    await page.getByTestId('lost-dialog-confirm').click();
    await page.getByTestId('lost-dialog').getByTestId('error-lostReason').waitFor();
    await page.getByTestId('lost-reason').fill('Arzonroq yetkazib beruvchini tanladi');
    await harness.screenshot(page, 'crm-board-lost-dialog-uz');
    await page.getByTestId('lost-dialog-confirm').click();
    await page
      .getByTestId('column-lost')
      .locator('[data-testid=deal-card]', { hasText: EMPTY_DEAL })
      .waitFor(WAIT);

    // The client card: the stage change is on the timeline, newest first.
    await page.goto(`${harness.baseUrl}/crm/clients/${clientId}`);
    await page.getByTestId('card-timeline').waitFor();
    const first = page.locator('[data-testid=timeline-entry]').first();
    await expect.poll(() => first.getAttribute('data-kind'), WAIT).toBe('stageChange');
    const entries = page.locator('[data-testid=timeline-entry][data-kind=stageChange]');
    await expect
      .poll(() => entries.allTextContents(), WAIT)
      .toEqual(expect.arrayContaining([expect.stringContaining('Yangi → Yutilgan')]));
    await harness.screenshot(page, 'crm-client-card-uz');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    // An activity due in the past shows on top as overdue and in My day.
    await page.getByTestId('card-add-activity').click();
    await page.getByTestId('activity-subject').fill('Shartnomani yuborish');
    // Typed as Uzbek writes it, on a 24-hour clock; a time that is none is refused beside the field.
    const activity = page.getByTestId('activity-drawer');
    await activity.locator('input[name=dueAt]').fill('05.01.2026');
    await activity.getByLabel(uzApp['date.time'], { exact: true }).fill('25:00');
    await page.getByTestId('activity-save').click();
    await expect
      .poll(() => activity.getByTestId('error-dueAt').textContent(), WAIT)
      .toBe(crmUz['crm.activity.dueInvalid']);
    await activity.getByLabel(uzApp['date.time'], { exact: true }).fill('10');
    await page.getByTestId('activity-save').click();
    await page.getByTestId('activity-drawer').waitFor({ state: 'detached' });
    await expect
      .poll(() => page.getByTestId('card-next-activity').textContent(), WAIT)
      .toContain('Shartnomani yuborish');
    await harness.screenshot(page, 'crm-client-card-next-uz');
    await page.getByTestId('nav-/crm/my-day').click();
    await page.getByTestId('my-day-overdue').locator('[data-testid=activity-item]').first().waitFor();
    await harness.screenshot(page, 'crm-my-day-uz');
    await page.close();
  }, 180_000);

  it('fits a phone screen in Russian', async () => {
    const page = await harness.newPage({ width: 390, height: 844 });
    await signIn(page, 'ru');
    // A card in a column off the phone's screen: its hidden labels must not widen the page.
    const clients = await page.request.get(
      `${harness.baseUrl}/api/crm/clients?q=${encodeURIComponent(CLIENT)}`,
    );
    const clientId = ((await clients.json()) as { items: { id: string }[] }).items[0]!.id;
    const far = await page.request.post(`${harness.baseUrl}/api/crm/deals`, {
      data: { clientId, title: `Uzoq bitim ${RUN}`, amount: '700000' },
    });
    expect(far.status()).toBe(201);
    const farId = ((await far.json()) as { id: string }).id;
    for (const stage of ['qualified', 'proposal', 'negotiation']) {
      const moved = await page.request.post(`${harness.baseUrl}/api/crm/deals/${farId}/stage`, {
        data: { stage },
      });
      expect(moved.status()).toBe(200);
    }
    await page.goto(`${harness.baseUrl}/crm/deals`);
    await page.getByTestId('deals-board').waitFor();
    await card(page, DEAL).waitFor();
    expect(await page.getByTestId('column-won').textContent()).toContain(crmRu['crm.stage.won']);
    await harness.screenshot(page, 'crm-board-ru-390');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    await page.goto(`${harness.baseUrl}/crm/clients`);
    await page.locator('[data-testid=clients-grid] .ag-row', { hasText: CLIENT }).first().waitFor();
    await harness.screenshot(page, 'crm-clients-ru-390');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.locator('[data-testid=clients-grid] .ag-row', { hasText: CLIENT }).first().click();
    await page.getByTestId('card-timeline').waitFor();
    await harness.screenshot(page, 'crm-client-card-ru-390');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    await page.goto(`${harness.baseUrl}/crm/my-day`);
    await page.getByTestId('my-day-overdue').waitFor();
    await harness.screenshot(page, 'crm-my-day-ru-390');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    await page.goto(`${harness.baseUrl}/crm/import`);
    await page.getByTestId('import-upload').waitFor();
    await harness.screenshot(page, 'crm-import-ru-390');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.close();

    const wide = await harness.newPage();
    await signIn(wide, 'ru');
    await wide.goto(`${harness.baseUrl}/crm/deals`);
    await card(wide, DEAL).waitFor();
    await harness.screenshot(wide, 'crm-board-ru-1280');
    await wide.goto(`${harness.baseUrl}/crm/clients`);
    await wide.locator('[data-testid=clients-grid] .ag-row', { hasText: CLIENT }).first().waitFor();
    await harness.screenshot(wide, 'crm-clients-ru-1280');
    expect(await overflowOf(wide)).toBeLessThanOrEqual(0);
    await wide.close();
  }, 120_000);
});
