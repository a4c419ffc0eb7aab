// "Lead intake" as its people live it, on the workflow a first start deploys: a visitor sends the
// public lead form from the company's website (no sign-in), the region's sales manager finds
// "First contact" in the inbox in Uzbek with the lead's details, records the call, and the lead
// is theirs in CRM with the call on its timeline. A form that a bot filled too fast is refused and
// reaches no one. Screenshots go to docs/screenshots/workflow-lead-*.png.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_FILL_MS } from '../modules/intake/web-form.js';
import { startBrowserHarness } from '../server/testing/browser-harness.js';

type Harness = Awaited<ReturnType<typeof startBrowserHarness>>;
let harness: Harness;
const WAIT = { timeout: 20_000 };
const PASSWORD = 'sotuv-parol-2026';
const FIRST_CONTACT_UZ = 'Murojaatchi bilan birinchi aloqa';

beforeAll(async () => {
  harness = await startBrowserHarness();
}, 240_000);

afterAll(async () => {
  await harness?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({
    path: join(process.cwd(), 'docs', 'screenshots', `workflow-lead-${name}.png`),
    fullPage: true,
  });

describe('lead intake, as its people live it', () => {
  it('a web-form lead reaches the sales manager in turn, who records the first call', async () => {
    const admin = await harness.newPage();
    await harness.signIn(admin);
    const tag = randomUUID().slice(0, 6);
    const email = `nodira.${tag}@demo.uz`;
    const created = await admin.request.post(`${harness.baseUrl}/api/admin/users`, {
      data: { email, name: 'Nodira Alimova', password: PASSWORD, roles: ['sales_manager'] },
    });
    expect(created.status(), await created.text()).toBe(201);

    // The visitor's browser, not signed in, sends the website's form.
    const visitor = await harness.newPage();
    const leadName = `Ravshan Qosimov ${tag}`;
    const company = `Samarqand Tekstil ${tag} MChJ`;
    const tooFast = await visitor.request.post(`${harness.baseUrl}/api/intake/lead-form`, {
      data: { name: 'Bot', phone: '+998 90 000 00 00', elapsedMs: 200 },
    });
    expect(tooFast.status()).toBe(422);
    expect(((await tooFast.json()) as { error: { code: string } }).error.code).toBe('INTAKE_SPAM_SUSPECTED');
    const sent = await visitor.request.post(`${harness.baseUrl}/api/intake/lead-form`, {
      data: {
        name: leadName,
        company,
        phone: '+998 91 402 17 33',
        region: 'SA',
        message: 'Ulgurji narxlar kerak',
        website: '',
        elapsedMs: MIN_FILL_MS + 20_000,
      },
    });
    expect(sent.status(), await sent.text()).toBe(201);

    // The manager, in Uzbek: the count in the navigation, then the task with the lead in it.
    const page = await harness.newPage();
    await harness.signIn(page, { email, password: PASSWORD, language: 'uz' });
    await expect
      .poll(async () => {
        await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
        return page.getByTestId('nav-badge-/bpm/tasks').count();
      }, WAIT)
      .toBe(1);
    await page.getByTestId('nav-/bpm/tasks').click();
    await page.getByTestId('tasks-grid').waitFor();
    const row = page.locator('[data-testid=tasks-grid] .ag-row:visible', { hasText: FIRST_CONTACT_UZ });
    await row.first().waitFor(WAIT);
    await row.first().click();
    await page.locator('[data-testid=task-form][data-ready]').waitFor(WAIT);
    const form = page.getByTestId('task-form');
    expect(await form.textContent()).toContain(leadName);
    expect(await form.textContent()).toContain(company);
    expect(await form.textContent()).toContain('+998 91 402 17 33');
    expect(await form.textContent()).toContain('Qoʻngʻiroq natijasi');

    // Completing without the required result is refused next to the field.
    await page.getByTestId('task-complete').click();
    await expect.poll(() => page.locator('.fjs-form-field-error').count(), WAIT).toBeGreaterThan(0);
    await shot(page, 'first-contact-uz');

    await page.getByLabel('Bogʻlanildi: qiziqdi', { exact: true }).check();
    await page.getByLabel('Izohlar').fill('Ertaga soat 10 da uchrashuv');
    await page.getByTestId('task-complete').click();
    await expect.poll(() => row.count(), WAIT).toBe(0);

    // The lead (the company, the person's name in its notes) is the manager's in CRM, with the
    // call on its timeline.
    const clients = await page.request.get(
      `${harness.baseUrl}/api/crm/clients?q=${encodeURIComponent(company)}&limit=5`,
    );
    const list = (await clients.json()) as { items: { id: string; name: string; status: string }[] };
    const lead = list.items.find((c) => c.name === company);
    expect(lead, JSON.stringify(list)).toMatchObject({ status: 'lead' });
    await page.goto(`${harness.baseUrl}/crm/clients/${lead?.id}`);
    await page.getByTestId('card-timeline').waitFor(WAIT);
    // The person who wrote is in the lead's notes, with what they asked.
    expect(await page.locator('main').textContent()).toContain(`${leadName}: Ulgurji narxlar kerak`);
    await expect
      .poll(async () => (await page.getByTestId('card-timeline').textContent()) ?? '', WAIT)
      .toContain('Birinchi aloqa — bogʻlanildi: qiziqdi');
    // The process's steps read as "Jarayon" (process), not as an internal system name.
    const timeline = (await page.getByTestId('card-timeline').textContent()) ?? '';
    expect(timeline).toContain('Jarayon');
    expect(timeline).not.toContain('system for');
    await shot(page, 'card-uz');
  });
});
