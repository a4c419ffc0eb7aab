// Sales analytics in the browser, as the head of sales reads it: the empty page says what to do,
// then the funnel, won and lost, the lost reasons and the managers' table; a backwards period
// is said beside the dates; nothing overflows a phone's width.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
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

async function post(page: Page, path: string, data: Record<string, unknown>) {
  const response = await page.request.post(`${harness.baseUrl}${path}`, { data });
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as { id: string };
}

/** Three deals: one won, one lost from "qualified" (the reason given), one still new. */
async function sell(page: Page): Promise<void> {
  const product = await post(page, '/api/erp/products', {
    sku: `ANL-${RUN}`,
    name: 'Sement M400',
    unit: 'pcs',
  });
  const deals = [];
  for (const name of ['Olmaliq Kimyo Savdo', 'Qoʻqon Mebel Fabrikasi', 'Xiva Turizm Servis']) {
    const client = await post(page, '/api/crm/clients', {
      kind: 'company',
      name: `${name} ${RUN}`,
      // The won deal's client is a wholesaler; the others have no segment.
      ...(deals.length === 0 && { segment: 'Ulgurji' }),
    });
    deals.push(
      await post(page, '/api/crm/deals', {
        clientId: client.id,
        title: `Sement ${name}`,
        lines: [{ productId: product.id, quantity: '10', price: '125000' }],
      }),
    );
  }
  await post(page, `/api/crm/deals/${deals[0]!.id}/stage`, { stage: 'won' });
  await post(page, `/api/crm/deals/${deals[1]!.id}/stage`, { stage: 'qualified' });
  await post(page, `/api/crm/deals/${deals[1]!.id}/stage`, { stage: 'lost', lostReason: 'Narx qimmat' });
}

describe('sales analytics', () => {
  it('shows the funnel, the win rate, the lost reasons and the managers for a period', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, { language: 'uz' });
    await page.getByTestId('nav-/crm/analytics').click();
    // Nothing sold yet: the page says what to do.
    await page.getByTestId('empty-state').waitFor(WAIT);
    expect(await page.getByTestId('empty-state').textContent()).toContain(crmUz['crm.analytics.emptyTitle']);
    await harness.screenshot(page, 'crm-analytics-empty-uz');

    await sell(page);
    await page.getByTestId('analytics-preset-year').click();
    await page.getByTestId('analytics-report').waitFor(WAIT);
    await page.getByTestId('analytics-preset-month').click();
    expect(await page.getByTestId('analytics-preset-month').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.getByTestId('funnel-new').textContent(), WAIT).toContain('3');
    // The lost deal got as far as "qualified"; the won one went through.
    expect(await page.getByTestId('funnel-qualified').textContent()).toContain('2');
    expect(await page.getByTestId('funnel-won').textContent()).toContain('1');
    expect(await page.getByTestId('funnel-qualified-conversion').textContent()).toMatch(/67\s?%/);
    expect(await page.getByTestId('analytics-win-rate').textContent()).toMatch(/50\s?%/);
    expect((await page.getByTestId('analytics-won').textContent())?.replace(/\s/g, ' ')).toContain(
      '1 250 000 soʻm',
    );
    expect(await page.getByTestId('analytics-reasons').textContent()).toContain('Narx qimmat');
    await expect.poll(() => page.getByTestId('analytics-manager').count(), WAIT).toBe(1);
    // By segment: the wholesaler's won deal first, then the clients without a segment.
    const segments = page.getByTestId('analytics-segment');
    expect(await segments.count()).toBe(2);
    expect(await segments.first().textContent()).toContain('Ulgurji');
    expect(await segments.nth(1).textContent()).toContain(crmUz['crm.analytics.noSegment']);
    await harness.screenshot(page, 'crm-analytics-uz');

    // A period that ends before it starts is said beside the dates.
    const to = page.getByTestId('analytics-to');
    await to.fill('01.01.2020');
    await expect
      .poll(() => page.getByTestId('analytics-period-error').textContent(), WAIT)
      .toBe(crmUz['crm.analytics.backwards']);
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    // Nothing was opened or closed last month; the open deal is still the manager's.
    await page.getByTestId('analytics-preset-lastMonth').click();
    await expect
      .poll(() => page.getByTestId('analytics-reasons').textContent(), WAIT)
      .toContain(crmUz['crm.analytics.reasonsEmpty']);
    expect(await page.getByTestId('funnel-new').textContent()).toContain('0');
    expect(await page.getByTestId('analytics-manager').textContent()).toContain('1');
    await page.close();
  });

  it('reads in Russian on a phone without overflowing', async () => {
    const page = await harness.newPage({ width: 390, height: 844 });
    await harness.signIn(page, { language: 'ru' });
    await page.goto(`${harness.baseUrl}/crm/analytics`);
    await page.getByTestId('analytics-report').waitFor(WAIT);
    expect(await page.locator('h1').textContent()).toBe(crmRu['crm.analytics.title']);
    expect(await page.getByTestId('analytics-funnel').textContent()).toContain(
      crmRu['crm.analytics.funnelTitle'],
    );
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await harness.screenshot(page, 'crm-analytics-phone-ru');
    await page.close();
  });
});
