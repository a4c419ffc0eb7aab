// Marketing campaigns in the browser, as the head of sales runs them: the empty list says what a
// campaign is for; the form refuses an end before the start and a code another campaign has,
// beside the field; a client the campaign brought wins a deal, and the list and the card show
// the lead, the conversion, the won sum and the ROI; "Clients it brought" opens the clients list
// filtered; a campaign that brought nothing can be deleted, one that brought a client cannot; a
// manager sees the figures but cannot plan one; a phone in Uzbek shows it all without overflowing.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import crmEn from './i18n/en.json' with { type: 'json' };
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
const RUN = Date.now().toString(36).toLowerCase();
const PASSWORD = 'savdo-parol-2026';
const HEAD = { email: `rahbar-${RUN}@example.uz`, name: 'Dilshod Karimov' };
const MANAGER = { email: `menejer-${RUN}@example.uz`, name: 'Malika Yusupova' };
const CAMPAIGN = `Navroʻz 2026 SMS ${RUN}`;
const CODE = `navruz-${RUN}`;
const TAKEN = `qishki-${RUN}`;
const OTHER = `Qishki chegirma ${RUN}`;
const CLIENT = `Chilonzor Ulgurji Savdo ${RUN}`;
const LATE_CLIENT = `Sergeli Qurilish ${RUN}`;

/** How far the page is wider than the window (0 when nothing overflows sideways). */
async function overflowOf(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
}

async function post(page: Page, path: string, data: Record<string, unknown>) {
  const response = await page.request.post(`${harness.baseUrl}${path}`, { data });
  expect(response.status(), await response.text()).toBeLessThan(300);
  return (await response.json()) as { id: string; campaignId?: string | null };
}

/** Text with its non-breaking and narrow spaces made plain, to compare figures. */
const plain = (text: string | null) => (text ?? '').replace(/[\s\u00a0\u202f]+/g, ' ');

const row = (page: Page, text: string) =>
  page.locator('[data-testid=campaigns-grid] .ag-row', { hasText: text }).first();

describe('marketing campaigns', () => {
  let campaignUrl = '';
  let campaignId = '';
  let otherId = '';

  it('the head of sales plans a campaign, and sees the client it brought and the deal won', async () => {
    // The people and the product, made by the administrator.
    const admin = await harness.newPage();
    await harness.signIn(admin);
    for (const [who, role] of [
      [HEAD, 'sales_head'],
      [MANAGER, 'sales_manager'],
    ] as const) {
      await post(admin, '/api/admin/users', { ...who, password: PASSWORD, roles: [role], locale: 'en' });
    }
    const product = await post(admin, '/api/erp/products', {
      sku: `CMP-${RUN}`,
      name: 'Sement M400',
      unit: 'pcs',
    });
    await admin.close();

    const page = await harness.newPage();
    await harness.signIn(page, { email: HEAD.email, password: PASSWORD, language: 'en' });

    // Nothing planned yet: the list says what a campaign is for and what to do.
    await page.getByTestId('nav-/crm/campaigns').click();
    const empty = page.getByTestId('empty-state');
    await empty.waitFor(WAIT);
    expect(await empty.textContent()).toContain(crmEn['crm.campaigns.empty.title']);
    expect(await empty.textContent()).toContain(crmEn['crm.campaigns.empty.text']);
    expect(await page.getByTestId('campaigns-empty-create').isVisible()).toBe(true);
    await harness.screenshot(page, 'crm-campaigns-empty-en');

    // Another campaign, planned through the API, has a budget and has brought nothing yet.
    const other = await post(page, '/api/crm/campaigns', {
      code: TAKEN,
      name: OTHER,
      channel: 'email',
      budget: '1000000',
    });
    otherId = other.id;

    // The form: the code follows the name until typed; an end before the start and a taken code
    // are refused beside their fields.
    await page.getByTestId('campaign-create').click();
    const drawer = page.getByTestId('campaign-drawer');
    await drawer.waitFor();
    await page.getByTestId('campaign-name').fill(CAMPAIGN);
    expect(await page.getByTestId('campaign-code').inputValue()).toBe(`navroz-2026-sms-${RUN}`);
    await page.getByTestId('campaign-code').fill(TAKEN.toUpperCase());
    expect(await page.getByTestId('campaign-code').inputValue()).toBe(TAKEN);
    await page.getByTestId('campaign-channel').selectOption('sms');
    await page.getByTestId('campaign-starts').fill('20/03/2026');
    await page.getByTestId('campaign-ends').fill('10/03/2026');
    await page.getByTestId('campaign-budget').fill('5 000 000');
    await page.getByTestId('campaign-audience-status').selectOption('lead');
    await page.getByTestId('campaign-audience-region').selectOption('TK');
    await page.getByTestId('campaign-audience-segment').fill('Ulgurji');
    await page.getByTestId('campaign-description').fill('Navroʻz oldidan ulgurji mijozlarga SMS.');
    await page.getByTestId('campaign-save').click();
    await drawer.getByTestId('error-endsOn').waitFor(WAIT);
    expect(await drawer.locator('input[name=endsOn]').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('campaign-ends').fill('31/03/2026');
    await page.getByTestId('campaign-save').click();
    await drawer.getByTestId('error-code').waitFor(WAIT);
    expect(await drawer.getByTestId('error-endsOn').count()).toBe(0);
    await harness.screenshot(page, 'crm-campaign-form-code-taken-en');
    await page.getByTestId('campaign-code').fill(CODE);
    expect(await drawer.getByTestId('error-code').count()).toBe(0);
    await page.getByTestId('campaign-save').click();
    await drawer.waitFor({ state: 'detached', ...WAIT });

    const card = page.getByTestId('campaign-card');
    await card.waitFor(WAIT);
    campaignUrl = page.url();
    campaignId = new URL(campaignUrl).pathname.split('/').pop() ?? '';
    expect(await page.locator('h1').textContent()).toBe(CAMPAIGN);
    expect(await card.getByTestId('campaign-status').textContent()).toBe(crmEn['crm.campaignStatus.planned']);
    // Nothing brought yet: it may still be deleted.
    expect(await page.getByTestId('campaign-delete').count()).toBe(1);

    // Under way: the quick button moves it on.
    await page.getByTestId('campaign-move-active').click();
    await expect
      .poll(() => card.getByTestId('campaign-status').textContent(), WAIT)
      .toBe(crmEn['crm.campaignStatus.active']);
    expect(await page.getByTestId('campaign-move-finished').count()).toBe(1);

    // Someone else changes it while the form is open: saving is refused and said, the card shows
    // their change, and saving again keeps ours.
    await page.getByTestId('campaign-edit').click();
    const edit = page.getByTestId('campaign-drawer');
    await edit.waitFor();
    const current = await page.request.get(`${harness.baseUrl}/api/crm/campaigns/${campaignId}`);
    const { revision } = (await current.json()) as { revision: number };
    const patched = await page.request.patch(`${harness.baseUrl}/api/crm/campaigns/${campaignId}`, {
      data: { revision, description: 'Telegram kanalida ham.' },
    });
    expect(patched.status(), await patched.text()).toBe(200);
    await page.getByTestId('campaign-description').fill('SMS va Telegram orqali, Navroʻz oldidan.');
    await page.getByTestId('campaign-save').click();
    await expect
      .poll(() => edit.getByTestId('form-error').textContent(), WAIT)
      .toBe(crmEn['crm.errors.CAMPAIGN_CHANGED']);
    await expect
      .poll(() => page.getByTestId('campaign-facts').textContent(), WAIT)
      .toContain('Telegram kanalida ham.');
    await harness.screenshot(page, 'crm-campaign-changed-en');
    await page.getByTestId('campaign-save').click();
    await edit.waitFor({ state: 'detached', ...WAIT });
    await expect
      .poll(() => page.getByTestId('campaign-facts').textContent(), WAIT)
      .toContain('SMS va Telegram orqali, Navroʻz oldidan.');

    // A client it brought (through the API, with the page's own cookie) wins a deal, which counts
    // for the campaign as its client's.
    const client = await post(page, '/api/crm/clients', {
      kind: 'company',
      name: CLIENT,
      region: 'TK',
      segment: 'Ulgurji',
      campaignId,
    });
    expect(client.campaignId).toBe(campaignId);
    const deal = await post(page, '/api/crm/deals', {
      clientId: client.id,
      title: `Sement ${RUN}`,
      lines: [{ productId: product.id, quantity: '10', price: '1250000' }],
    });
    expect(deal.campaignId).toBe(campaignId);
    await post(page, `/api/crm/deals/${deal.id}/stage`, { stage: 'won' });

    // The list: one lead, won 12.5 million on a budget of 5, so +150 %; the other is only planned,
    // so it has no return yet.
    await page.getByTestId('nav-/crm/campaigns').click();
    const ours = row(page, CAMPAIGN);
    await ours.waitFor(WAIT);
    expect(await ours.locator('[col-id=leads]').textContent()).toBe('1');
    expect(await ours.locator('[col-id=conversion]').textContent()).toMatch(/100\s?%/);
    expect(plain(await ours.locator('[col-id=won]').textContent())).toContain('12,500,000');
    expect(await ours.getByTestId('campaign-roi').textContent()).toMatch(/^\+150\s?%$/);
    expect(await ours.locator('.crm-roi-gain').count()).toBe(1);
    expect(await ours.textContent()).toContain(CODE);
    const theirs = row(page, OTHER);
    expect(await theirs.getByTestId('campaign-roi').textContent()).toBe('—');
    expect(await theirs.locator('.crm-roi-loss').count()).toBe(0);
    await harness.screenshot(page, 'crm-campaigns-en');

    // The filters: a channel narrows the list, a status that fits none says so.
    await page.getByTestId('campaigns-channel').selectOption('sms');
    await expect.poll(() => page.locator('[data-testid=campaigns-grid] .ag-row').count(), WAIT).toBe(1);
    await page.getByTestId('campaigns-status').selectOption('finished');
    await empty.waitFor(WAIT);
    expect(await empty.textContent()).toContain(crmEn['crm.campaigns.empty.filtered.title']);
    await page.getByTestId('campaigns-status').selectOption('');
    await page.getByTestId('campaigns-channel').selectOption('');

    // The card: the tiles, the facts, the audience in words with how many clients it holds now.
    await ours.click();
    await card.waitFor(WAIT);
    const tile = (key: string) => page.getByTestId(`campaign-tile-${key}`).textContent().then(plain);
    expect(await tile('leads')).toContain('1');
    expect(await tile('converted')).toMatch(/100\s?%/);
    expect(await tile('won')).toContain('12,500,000');
    expect(await tile('cost-per-lead')).toContain('5,000,000');
    expect(await tile('roi')).toMatch(/\+150\s?%/);
    expect(await page.getByTestId('campaign-delete').count()).toBe(0);
    const facts = page.getByTestId('campaign-facts');
    expect(await facts.textContent()).toContain(CODE);
    expect(await facts.textContent()).toContain(crmEn['crm.campaignChannel.sms']);
    expect(await facts.textContent()).toContain(HEAD.name);
    expect(await page.getByTestId('campaign-audience-text').textContent()).toBe(
      `${crmEn['crm.fields.status']}: ${crmEn['crm.status.lead']} · ${crmEn['crm.fields.region']}: Toshkent shahri · ${crmEn['crm.fields.segment']}: Ulgurji`,
    );
    expect(await page.getByTestId('campaign-audience-count').textContent()).toBe(
      crmEn['crm.campaign.audienceCount'].replace('{count}', '1'),
    );
    await harness.screenshot(page, 'crm-campaign-card-en');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    // "Open these clients": the clients list with the audience's filters.
    await page.getByTestId('campaign-open-audience').click();
    await page.getByTestId('clients-grid').waitFor(WAIT);
    expect(await page.getByTestId('clients-status').inputValue()).toBe('lead');
    await page.locator('[data-testid=clients-grid] .ag-row', { hasText: CLIENT }).first().waitFor(WAIT);
    await page.goBack();
    await card.waitFor(WAIT);

    // "Clients it brought": the clients list filtered on the campaign, named on a chip.
    await post(page, '/api/crm/clients', { kind: 'company', name: LATE_CLIENT });
    await page.getByTestId('campaign-brought').click();
    const chip = page.getByTestId('clients-campaign-chip');
    await expect
      .poll(() => chip.locator('.crm-filter-chip-text').textContent(), WAIT)
      .toBe(crmEn['crm.clients.campaignFilter'].replace('{name}', CAMPAIGN));
    expect(new URL(page.url()).search).toBe(`?campaignId=${campaignId}`);
    const clientRows = page.locator('[data-testid=clients-grid] .ag-row');
    await clientRows.filter({ hasText: CLIENT }).first().waitFor(WAIT);
    expect(await clientRows.count()).toBe(1);
    await harness.screenshot(page, 'crm-clients-of-campaign-en');
    // Without the chip, the others are back.
    await chip.getByRole('button').click();
    await clientRows.filter({ hasText: LATE_CLIENT }).first().waitFor(WAIT);
    expect(new URL(page.url()).search).toBe('');

    // The client's card names the campaign, linking to it; its form offers it to change.
    await clientRows.filter({ hasText: CLIENT }).first().click();
    const link = page.getByTestId('card-campaign');
    await link.waitFor(WAIT);
    expect(await link.textContent()).toBe(CAMPAIGN);
    await page.getByTestId('card-edit').click();
    await page.getByTestId('client-drawer').waitFor();
    await expect.poll(() => page.getByTestId('client-campaign').inputValue(), WAIT).toBe(campaignId);
    await expect
      .poll(() => page.getByTestId('client-campaign').locator('option').allTextContents(), WAIT)
      .toContain(OTHER);
    await page.keyboard.press('Escape');
    await link.click();
    await card.waitFor(WAIT);
    expect(page.url()).toBe(campaignUrl);

    // The campaign that brought nothing can be deleted; once it brings a client, it cannot, and
    // the server says why.
    await page.goto(`${harness.baseUrl}/crm/campaigns/${otherId}`);
    await card.waitFor(WAIT);
    await page.getByTestId('campaign-delete').click();
    const dialog = page.getByTestId('campaign-delete-dialog');
    await dialog.waitFor();
    await post(page, '/api/crm/clients', {
      kind: 'person',
      name: `Aziz Rahimov ${RUN}`,
      campaignId: otherId,
    });
    await page.getByTestId('campaign-delete-dialog-confirm').click();
    await expect.poll(() => dialog.locator('.form-error').textContent(), WAIT).toContain(OTHER);
    await harness.screenshot(page, 'crm-campaign-in-use-en');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('campaign-delete').count(), WAIT).toBe(0);
    expect(await page.getByTestId('campaign-tile-leads').textContent()).toContain('1');

    // The language switched: the card speaks Uzbek.
    await page.goto(campaignUrl);
    await card.waitFor(WAIT);
    await page.selectOption('[data-testid=language-select]', 'uz');
    await page.locator('html[lang=uz]').waitFor({ state: 'attached' });
    await expect
      .poll(() => card.getByTestId('campaign-status').textContent(), WAIT)
      .toBe(crmUz['crm.campaignStatus.active']);
    expect(await page.getByTestId('campaign-facts').textContent()).toContain(
      crmUz['crm.campaignChannel.sms'],
    );
    expect(await page.getByTestId('campaign-tile-won').textContent()).toContain(
      crmUz['crm.campaign.tile.won'],
    );
    expect(await page.getByTestId('campaign-audience-text').textContent()).toContain(
      `${crmUz['crm.fields.status']}: ${crmUz['crm.status.lead']}`,
    );
    expect(plain(await page.getByTestId('campaign-tile-won').textContent())).toContain('12 500 000 soʻm');
    await harness.screenshot(page, 'crm-campaign-card-uz');
    await page.getByTestId('nav-/crm/campaigns').click();
    await row(page, CAMPAIGN).waitFor(WAIT);
    expect(await page.locator('h1').textContent()).toBe(crmUz['crm.campaigns.title']);
    expect(await row(page, OTHER).textContent()).toContain(crmUz['crm.campaignStatus.planned']);
    await harness.screenshot(page, 'crm-campaigns-uz');
    await page.close();
  }, 180_000);

  it('shows a manager the figures but no way to plan or change a campaign', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, { email: MANAGER.email, password: PASSWORD, language: 'en' });
    await page.getByTestId('nav-/crm/campaigns').click();
    await row(page, CAMPAIGN).waitFor(WAIT);
    expect(await page.getByTestId('campaign-create').count()).toBe(0);
    await row(page, CAMPAIGN).click();
    await page.getByTestId('campaign-card').waitFor(WAIT);
    expect(await page.getByTestId('campaign-edit').count()).toBe(0);
    expect(await page.getByTestId('campaign-move-finished').count()).toBe(0);
    // A manager counts only their own clients in the audience: none of the head's.
    expect(await page.getByTestId('campaign-audience-count').textContent()).toBe(
      crmEn['crm.campaign.audienceCount'].replace('{count}', '0'),
    );
    await harness.screenshot(page, 'crm-campaign-card-manager-en');
    await page.close();
  }, 120_000);

  it('shows the list, the card and the form in Uzbek on a phone without overflowing', async () => {
    const page = await harness.newPage({ width: 390, height: 844 });
    await harness.signIn(page, { email: HEAD.email, password: PASSWORD, language: 'uz' });
    await page.goto(`${harness.baseUrl}/crm/campaigns`);
    const ours = row(page, CAMPAIGN);
    await ours.waitFor(WAIT);
    expect(await page.locator('h1').textContent()).toBe(crmUz['crm.campaigns.title']);
    expect(await ours.getByTestId('campaign-roi').textContent()).toMatch(/150/);
    await harness.screenshot(page, 'crm-campaigns-phone-uz');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    await page.getByTestId('campaigns-search').fill('Hech narsa topilmaydi');
    await page.getByTestId('empty-state').waitFor(WAIT);
    expect(await page.getByTestId('empty-state').textContent()).toContain(
      crmUz['crm.campaigns.empty.filtered.title'],
    );
    await harness.screenshot(page, 'crm-campaigns-empty-phone-uz');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    await page.getByTestId('campaign-create').click();
    await page.getByTestId('campaign-drawer').waitFor();
    expect(await page.getByTestId('campaign-drawer').textContent()).toContain(crmUz['crm.campaign.audience']);
    await harness.screenshot(page, 'crm-campaign-form-phone-uz');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('campaign-drawer').waitFor({ state: 'detached' });

    await page.goto(campaignUrl);
    await page.getByTestId('campaign-card').waitFor(WAIT);
    expect(await page.getByTestId('campaign-tile-leads').textContent()).toContain(
      crmUz['crm.campaign.tile.leads'],
    );
    await harness.screenshot(page, 'crm-campaign-card-phone-uz');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.close();
  }, 120_000);
});
