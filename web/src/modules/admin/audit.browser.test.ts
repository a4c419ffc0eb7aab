// An admin reading the audit log as it is meant to be read: every record named in the reader's
// language, the kinds of record offered as a filter, and one entry opened with its before/after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHarness } from '../../../../server/testing/browser-harness.js';
import uz from '../../i18n/uz.json' with { type: 'json' };
import crmUz from '../crm/i18n/uz.json' with { type: 'json' };

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;
let harness: Harness;
const WAIT = { timeout: 15_000 };
const NAME = `Audit ${Date.now().toString(36)} MChJ`;

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

describe('audit log', () => {
  it('names records and actions in Uzbek and filters by the kind of record', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, { language: 'uz' });
    const created = await page.request.post(`${harness.baseUrl}/api/crm/clients`, {
      data: { name: NAME, kind: 'company' },
    });
    expect(created.status()).toBe(201);

    await page.goto(`${harness.baseUrl}/admin/audit`);
    await page.getByTestId('audit-grid').waitFor(WAIT);
    // The filter offers the kinds the log holds, by name; choosing clients leaves only theirs.
    const entity = page.getByTestId('audit-entity');
    await entity.locator('option', { hasText: crmUz['crm.audit.entity.client'] }).waitFor({
      state: 'attached',
      ...WAIT,
    });
    const offered = await entity.locator('option').allTextContents();
    expect(offered[0]).toBe(uz['audit.allEntities']);
    expect(offered).toContain(uz['entities.user']);
    expect(offered.filter((o) => /^[a-z_.]+$/i.test(o) && o.includes('_'))).toEqual([]);
    await entity.selectOption({ label: crmUz['crm.audit.entity.client'] });

    const row = page.locator('[data-testid=audit-grid] .ag-row', {
      hasText: crmUz['crm.audit.createClient'],
    });
    await row.first().waitFor(WAIT);
    const shownKinds = async () =>
      new Set(await page.locator('[data-testid=audit-grid] .ag-row [col-id=entity]').allTextContents());
    await expect.poll(shownKinds, WAIT).toEqual(new Set([crmUz['crm.audit.entity.client']]));
    await harness.screenshot(page, 'admin-audit-clients-uz');

    await row.first().click();
    const drawer = page.getByTestId('audit-drawer');
    await drawer.waitFor(WAIT);
    expect(await drawer.textContent()).toContain(crmUz['crm.audit.entity.client']);
    // Fields as the client form labels them (with the API's name under), coded values by name.
    const nameRow = drawer.locator('.diff-table tbody tr', { hasText: NAME });
    expect(await nameRow.locator('.diff-field').textContent()).toBe(crmUz['crm.fields.name']);
    expect(await nameRow.locator('.diff-code').textContent()).toBe('name');
    const kindRow = drawer.locator('.diff-table tbody tr', {
      has: page.locator('.diff-code', { hasText: /^kind$/ }),
    });
    expect(await kindRow.locator('td').last().textContent()).toBe(crmUz['crm.kind.company']);
    expect(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')).toBe(0);
    await harness.screenshot(page, 'admin-audit-entry-uz');
    // The record's id opens the client's card.
    await drawer.getByTestId('audit-record-link').click();
    await page.waitForURL(/\/crm\/clients\/[0-9a-f-]{36}$/, WAIT);
    await page.getByRole('heading', { name: NAME }).waitFor(WAIT);
  }, 120_000);
});
