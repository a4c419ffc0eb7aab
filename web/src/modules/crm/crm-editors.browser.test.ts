// The CRM editors in the browser: the import file sent as multipart, a deal changed on the
// client card, the sales head's stage editor, and the regions list; each with a refusal shown
// next to the field it concerns.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import en from '../../i18n/en.json' with { type: 'json' };
import uz from '../../i18n/uz.json' with { type: 'json' };
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
  // The server's messages follow the user's saved language: wait until the switch is saved.
  await expect
    .poll(
      async () =>
        (
          (await (await page.request.get(`${harness.baseUrl}/api/auth/me`)).json()) as {
            user: { locale: string };
          }
        ).user.locale,
      WAIT,
    )
    .toBe(locale);
}

describe('CRM editors', () => {
  it('uploads an import file as multipart and goes on to the mapping', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    await page.goto(`${harness.baseUrl}/crm/import`);
    await page.getByTestId('import-upload').waitFor();
    // Another kind of file is refused before anything is sent.
    await page.setInputFiles('[data-testid=import-file]', {
      name: 'taklif.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7'),
    });
    await page.getByText(uz['import.wrongType']).waitFor(WAIT);
    const sent = page.waitForRequest((r) => r.url().endsWith('/api/crm/clients/import/preview'));
    await page.setInputFiles('[data-testid=import-file]', {
      name: 'mijozlar.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`Nomi;STIR\nImport Savdo ${RUN};301234567\n`),
    });
    const request = await sent;
    expect(request.headers()['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    await page.getByTestId('import-preview').waitFor(WAIT);
    expect(await page.getByTestId('import-preview').textContent()).toContain(`Import Savdo ${RUN}`);
    await page.close();
  });

  it('changes a deal from the client card and from the board, and shows a missing title next to the field', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    const client = await page.request.post(`${harness.baseUrl}/api/crm/clients`, {
      data: { kind: 'company', name: `Bitim Mijozi ${RUN}` },
    });
    expect(client.status()).toBe(201);
    const clientId = (await client.json()).id as string;
    const deal = await page.request.post(`${harness.baseUrl}/api/crm/deals`, {
      data: { clientId, title: `Eski nom ${RUN}`, amount: '1000' },
    });
    expect(deal.status()).toBe(201);

    await page.goto(`${harness.baseUrl}/crm/clients/${clientId}`);
    await page.getByTestId('card-deal-edit').click();
    await page.getByTestId('deal-drawer').waitFor();
    expect(await page.getByTestId('deal-title').inputValue()).toBe(`Eski nom ${RUN}`);
    await page.getByTestId('deal-title').fill('');
    await page.getByTestId('deal-save').click();
    await page.getByTestId('error-title').waitFor(WAIT);
    await page.getByTestId('deal-title').fill(`Yangi nom ${RUN}`);
    await page.getByTestId('deal-amount').fill('2500000');
    await page.selectOption('[data-testid=deal-drawer] select[name=currency]', 'USD');
    await page.getByTestId('deal-save').click();
    await page.getByTestId('deal-drawer').waitFor({ state: 'detached', ...WAIT });
    await page.locator('[data-testid=card-deal]', { hasText: `Yangi nom ${RUN}` }).waitFor(WAIT);
    const saved = await page.request.get(`${harness.baseUrl}/api/crm/deals/${(await deal.json()).id}`);
    expect(await saved.json()).toMatchObject({
      title: `Yangi nom ${RUN}`,
      amount: '2500000.00',
      currency: 'USD',
    });
    await harness.screenshot(page, 'crm-deal-edit-uz');
    // The same form from the deal's card on the board.
    await page.goto(`${harness.baseUrl}/crm/deals`);
    const onBoard = page.locator('[data-testid=deal-card]', { hasText: `Yangi nom ${RUN}` });
    await onBoard.getByTestId('deal-card-edit').click();
    await page.getByTestId('deal-drawer').waitFor();
    await page.getByTestId('deal-title').fill(`Doskadan ${RUN}`);
    await page.getByTestId('deal-save').click();
    await page.locator('[data-testid=deal-card]', { hasText: `Doskadan ${RUN}` }).waitFor(WAIT);
    await page.close();
  });

  it('lets the sales head rename, add and reorder stages, refusing a probability out of range', async () => {
    const page = await harness.newPage();
    await signIn(page, 'ru');
    await page.goto(`${harness.baseUrl}/crm/deals`);
    await page.getByTestId('deal-stages-edit').click();
    await page.getByTestId('stage-editor').waitFor();
    // The default stages show in the user's language.
    expect(await page.getByTestId('stage-name-0').inputValue()).toBe(crmRu['crm.stage.new']);
    await page.getByTestId('stage-name-1').fill('Интерес подтверждён');
    await page.getByTestId('stage-add').click();
    // The new stage goes before the closing ones: after negotiation, at index 4.
    await page.getByTestId('stage-name-4').fill('Демонстрация');
    await page.getByTestId('stage-probability-4').fill('150');
    await page.getByTestId('stages-save').click();
    await page
      .locator('[data-testid=stage-row-4] .field-error', { hasText: crmRu['crm.stages.probabilityRange'] })
      .waitFor(WAIT);
    await page.getByTestId('stage-probability-4').fill('60');
    await page.getByTestId('stage-up-4').click();
    await harness.screenshot(page, 'crm-stage-editor-ru');
    await page.getByTestId('stages-save').click();
    await page.getByTestId('stage-editor').waitFor({ state: 'detached', ...WAIT });
    // The board has the renamed and the new column, in the new order.
    await page.locator('[data-testid=column-qualified] h2', { hasText: 'Интерес подтверждён' }).waitFor(WAIT);
    const columns = await page.locator('.crm-column h2').allTextContents();
    const names = columns.map((c) => c.replace(/\d+$/, '').trim());
    expect(names.indexOf('Демонстрация')).toBe(names.indexOf(crmRu['crm.stage.negotiation']) - 1);
    const pipelines = await (await page.request.get(`${harness.baseUrl}/api/crm/pipelines`)).json();
    const added = pipelines.items[0].stages.find((s: { name: string }) => s.name === 'Демонстрация');
    expect(added).toMatchObject({ probability: 60, kind: 'open' });
    expect(added.code).toMatch(/^[a-z][a-z0-9_]*$/);
    // Untouched default stages keep their stored names, so they still follow the language.
    expect(pipelines.items[0].stages[0].name).toBe('Yangi');
    await page.close();
  });

  it('renames a region and adds one, refusing a bad code next to the field', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    await page.goto(`${harness.baseUrl}/crm/clients`);
    await page.getByTestId('regions-edit').click();
    await page.getByTestId('regions-editor').waitFor();
    await page.getByTestId('region-name-NW').waitFor(WAIT);
    await page.getByTestId('region-name-NW').fill('Navoiy viloyati');
    await page.getByTestId('region-new-code').fill('Q Q');
    await page.getByTestId('region-new-name').fill(`Yangi hudud ${RUN}`);
    await page.getByTestId('regions-save').click();
    await page.getByTestId('error-code').waitFor(WAIT);
    expect(await page.getByTestId('error-code').textContent()).toBe(crmUz['crm.regions.codeRule']);
    await page.getByTestId('region-new-code').fill('YH');
    await harness.screenshot(page, 'crm-regions-uz');
    await page.getByTestId('regions-save').click();
    await page.getByTestId('regions-editor').waitFor({ state: 'detached', ...WAIT });
    const regions = await (await page.request.get(`${harness.baseUrl}/api/crm/regions`)).json();
    expect(regions.items).toEqual(
      expect.arrayContaining([
        { code: 'NW', name: 'Navoiy viloyati' },
        { code: 'YH', name: `Yangi hudud ${RUN}` },
      ]),
    );
    // The clients' region filter offers the new region at once.
    await page
      .locator('select option', { hasText: `Yangi hudud ${RUN}` })
      .first()
      .waitFor({ state: 'attached', ...WAIT });
    await page.close();
  });
  it('says "more than 1 000" when the server stops counting, and still lists the rows', async () => {
    const page = await harness.newPage();
    await signIn(page, 'uz');
    const csv = ['Nomi', ...Array.from({ length: 1005 }, (_, i) => `Ommaviy ${RUN} ${i}`)].join('\n');
    const preview = await page.request.post(`${harness.baseUrl}/api/crm/clients/import/preview`, {
      data: { fileName: 'ommaviy.csv', contentBase64: Buffer.from(csv).toString('base64') },
    });
    expect(preview.status()).toBe(200);
    const { importId } = await preview.json();
    const commit = await page.request.post(`${harness.baseUrl}/api/crm/clients/import/${importId}/commit`, {
      data: { mapping: { Nomi: 'name' }, skipInvalid: false },
    });
    expect(await commit.json()).toMatchObject({ created: 1005 });
    await page.goto(`${harness.baseUrl}/crm/clients`);
    await page.locator('[data-testid=clients-grid] .ag-row').first().waitFor(WAIT);
    const atLeast = crmUz['crm.clients.countAtLeast'].split('{count}');
    const label = page.getByTestId('clients-count');
    await label.waitFor(WAIT);
    const text = (await label.textContent()) ?? '';
    expect(text.startsWith(atLeast[0] ?? '')).toBe(true);
    expect(text.endsWith(atLeast[1] ?? '')).toBe(true);
    expect(text.replace(/\D/g, '')).toBe('1000');
    // A search narrows it to an exact count again.
    await page.getByTestId('clients-search').fill(`Ommaviy ${RUN} 100`);
    await expect
      .poll(async () => (await label.textContent())?.replace(/\D/g, ''), { timeout: 15_000 })
      .toBe('6');
    expect(await label.textContent()).toBe(crmUz['crm.clients.count'].replace('{count}', '6'));
    await page.close();
  });
});
