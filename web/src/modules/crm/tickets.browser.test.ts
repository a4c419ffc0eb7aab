// Service requests in the browser, as the service desk works them: the empty queue says what to
// do; a complaint is recorded from the client's card; resolving without a resolution is refused
// beside the field; someone else's change meanwhile is said and shown; the request is taken in
// progress, resolved and commented on, and the client's timeline shows it; a phone in Russian
// shows the queue and the card without overflowing.
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
const CLIENT = `Namangan Tekstil ${RUN}`;
const SUBJECT = `Hisob-faktura yetkazilgan tovarga mos emas ${RUN}`;
const RESOLUTION = 'Tuzatilgan hisob-faktura yuborildi';
const LATE = `Yetkazib berish qachon boʻladi? ${RUN}`;
const COMMENT = 'Mijoz qoʻngʻiroq qilib, hisob-fakturani olganini aytdi';

/** How far the page is wider than the window (0 when nothing overflows sideways). */
async function overflowOf(page: Page): Promise<number> {
  return Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
}

/** Picks one of a segmented row's radio buttons by clicking its label, as a person does. */
async function choose(page: Page, testId: string): Promise<void> {
  await page.locator('label', { has: page.getByTestId(testId) }).click();
}

const statusText = (page: Page) => page.getByTestId('ticket-card').getByTestId('ticket-status').textContent();

describe('service requests', () => {
  let ticketUrl = '';

  it('records a complaint from the client card, works it to resolved and shows it on the timeline', async () => {
    const page = await harness.newPage();
    await harness.signIn(page, { language: 'uz' });

    // Nothing recorded yet: the queue says what to do.
    await page.getByTestId('nav-/crm/tickets').click();
    await page.getByTestId('empty-state').waitFor(WAIT);
    expect(await page.getByTestId('empty-state').textContent()).toContain(
      crmUz['crm.tickets.empty.open.title'],
    );
    expect(await page.getByTestId('tickets-empty-create').isVisible()).toBe(true);
    await harness.screenshot(page, 'crm-tickets-empty-uz');

    // A client, through the API with the page's own cookie.
    const created = await page.request.post(`${harness.baseUrl}/api/crm/clients`, {
      data: { kind: 'company', name: CLIENT },
    });
    expect(created.status(), await created.text()).toBe(201);
    const clientId = ((await created.json()) as { id: string }).id;

    // The card's panel says how to record one; the drawer has the client fixed.
    await page.goto(`${harness.baseUrl}/crm/clients/${clientId}`);
    const panel = page.getByTestId('card-tickets');
    await panel.waitFor(WAIT);
    // The panel reads the client's requests after the card: polled until they are in.
    await expect.poll(() => panel.textContent(), WAIT).toContain(crmUz['crm.card.noTickets']);
    await page.getByTestId('card-add-ticket').click();
    const drawer = page.getByTestId('ticket-drawer');
    await drawer.waitFor();
    expect(await drawer.getByTestId('ticket-client').textContent()).toContain(CLIENT);
    await page.getByTestId('ticket-save').click();
    await drawer.getByTestId('error-subject').waitFor(WAIT);
    await page.getByTestId('ticket-subject').fill(SUBJECT);
    await choose(page, 'ticket-kind-complaint');
    await choose(page, 'ticket-priority-high');
    await page.getByTestId('ticket-channel').selectOption('email');
    await page.getByTestId('ticket-description').fill('Fakturada 120 dona, yetkazilgani 100 dona.');
    await harness.screenshot(page, 'crm-ticket-form-uz');
    await page.getByTestId('ticket-save').click();
    await drawer.waitFor({ state: 'detached', ...WAIT });
    const row = panel.locator('[data-testid=card-ticket]', { hasText: SUBJECT });
    await row.waitFor(WAIT);
    expect(await row.getByTestId('ticket-status').textContent()).toBe(crmUz['crm.ticketStatus.new']);
    await harness.screenshot(page, 'crm-client-card-tickets-uz');

    // Its card: the facts in Uzbek, the moves a new request allows.
    await row.locator('a').click();
    await page.getByTestId('ticket-card').waitFor(WAIT);
    ticketUrl = page.url();
    expect(await page.locator('h1').textContent()).toContain(SUBJECT);
    expect(await statusText(page)).toBe(crmUz['crm.ticketStatus.new']);
    const facts = page.getByTestId('ticket-facts');
    expect(await facts.textContent()).toContain(crmUz['crm.ticketKind.complaint']);
    expect(await facts.textContent()).toContain(crmUz['crm.ticketChannel.email']);
    expect(await page.getByTestId('ticket-move-closed').count()).toBe(0);

    // Resolving asks for the resolution first, and says so beside the field.
    await page.getByTestId('ticket-move-resolved').click();
    const resolve = page.getByTestId('ticket-resolve-dialog');
    await resolve.waitFor();
    await page.getByTestId('ticket-resolve-dialog-confirm').click();
    await expect
      .poll(() => resolve.getByTestId('error-resolution').textContent(), WAIT)
      .toBe(crmUz['crm.ticket.resolutionRequired']);
    expect(await resolve.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    await harness.screenshot(page, 'crm-ticket-resolve-refused-uz');
    await page.keyboard.press('Escape');
    await resolve.waitFor({ state: 'hidden' });

    await page.getByTestId('ticket-move-inProgress').click();
    await expect.poll(() => statusText(page), WAIT).toBe(crmUz['crm.ticketStatus.inProgress']);
    const history = page.getByTestId('ticket-history');
    await expect
      .poll(() => history.locator('[data-kind=status]').last().textContent(), WAIT)
      .toContain(`${crmUz['crm.ticketStatus.new']} → ${crmUz['crm.ticketStatus.inProgress']}`);

    // Someone else raises the priority meanwhile: the next move is refused, said, and the card
    // shows their change.
    const id = new URL(ticketUrl).pathname.split('/').pop() ?? '';
    const current = await page.request.get(`${harness.baseUrl}/api/crm/tickets/${id}`);
    const { revision } = (await current.json()) as { revision: number };
    const patched = await page.request.patch(`${harness.baseUrl}/api/crm/tickets/${id}`, {
      data: { revision, priority: 'urgent' },
    });
    expect(patched.status(), await patched.text()).toBe(200);
    await page.getByTestId('ticket-move-waiting').click();
    await expect
      .poll(() => page.locator('.toast-error').textContent(), WAIT)
      .toBe(crmUz['crm.errors.TICKET_CHANGED']);
    await expect
      .poll(() => history.locator('[data-kind=priority]').last().textContent(), WAIT)
      .toContain(`${crmUz['crm.ticketPriority.high']} → ${crmUz['crm.ticketPriority.urgent']}`);
    expect(await statusText(page)).toBe(crmUz['crm.ticketStatus.inProgress']);

    // Resolved with the resolution and the client's five stars.
    await page.getByTestId('ticket-move-resolved').click();
    await resolve.waitFor();
    await page.getByTestId('ticket-resolution').fill(RESOLUTION);
    await choose(page, 'ticket-rating-5');
    await harness.screenshot(page, 'crm-ticket-resolve-uz');
    await page.getByTestId('ticket-resolve-dialog-confirm').click();
    await expect.poll(() => statusText(page), WAIT).toBe(crmUz['crm.ticketStatus.resolved']);
    const resolved = history.locator('[data-kind=status]').last();
    expect(await resolved.textContent()).toContain(
      `${crmUz['crm.ticketStatus.inProgress']} → ${crmUz['crm.ticketStatus.resolved']}`,
    );
    expect(await resolved.textContent()).toContain(RESOLUTION);
    expect(await page.getByTestId('ticket-rating').textContent()).toContain('5 / 5');
    expect(await page.getByTestId('ticket-move-closed').count()).toBe(1);

    // A comment, sent with Ctrl+Enter, ends the history.
    await page.getByTestId('ticket-comment').fill(COMMENT);
    await page.getByTestId('ticket-comment').press('Control+Enter');
    await expect
      .poll(() => history.locator('[data-testid=ticket-event]').last().textContent(), WAIT)
      .toContain(COMMENT);
    expect(await history.locator('[data-testid=ticket-event]').first().getAttribute('data-kind')).toBe(
      'created',
    );
    expect(await page.getByTestId('ticket-comment').inputValue()).toBe('');
    await harness.screenshot(page, 'crm-ticket-card-uz');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    // An edit is recorded by the fields it changed, named as the form names them.
    await page.getByTestId('ticket-edit').click();
    const edit = page.getByTestId('ticket-drawer');
    await edit.waitFor();
    await page.getByTestId('ticket-channel').selectOption('visit');
    await harness.screenshot(page, 'crm-ticket-edit-uz');
    await page.getByTestId('ticket-save').click();
    await edit.waitFor({ state: 'detached', ...WAIT });
    await expect
      .poll(() => history.locator('[data-testid=ticket-event]').last().textContent(), WAIT)
      .toContain(crmUz['crm.fields.channel']);
    expect(await page.getByTestId('ticket-facts').textContent()).toContain(crmUz['crm.ticketChannel.visit']);

    // The client's timeline has the request, linking back to it.
    await page.getByTestId('ticket-facts').getByRole('link', { name: CLIENT }).click();
    await page.getByTestId('card-timeline').waitFor(WAIT);
    const entries = page.locator('[data-testid=timeline-entry][data-kind=ticket]');
    await expect.poll(() => entries.count(), WAIT).toBeGreaterThanOrEqual(2);
    expect(await entries.first().textContent()).toContain(crmUz['crm.timeline.ticket']);
    expect(await entries.first().locator('a').getAttribute('href')).toBe(new URL(ticketUrl).pathname);
    await harness.screenshot(page, 'crm-client-timeline-ticket-uz');

    // A request past its due time is marked in the queue's "Overdue" view; the resolved one is not there.
    const late = await page.request.post(`${harness.baseUrl}/api/crm/tickets`, {
      data: {
        clientId,
        subject: LATE,
        kind: 'question',
        priority: 'urgent',
        dueAt: new Date(Date.now() - 3_600_000).toISOString(),
      },
    });
    expect(late.status(), await late.text()).toBe(201);
    await page.getByTestId('nav-/crm/tickets').click();
    await page.getByTestId('tickets-view-overdue').click();
    const lateRow = page.locator('[data-testid=tickets-grid] .ag-row', { hasText: LATE }).first();
    await lateRow.waitFor(WAIT);
    expect(await lateRow.getByTestId('ticket-overdue').textContent()).toBe(crmUz['crm.ticket.overdue']);
    expect(await page.locator('[data-testid=tickets-grid] .ag-row', { hasText: SUBJECT }).count()).toBe(0);
    await harness.screenshot(page, 'crm-tickets-overdue-uz');
    await page.getByTestId('tickets-view-all').click();
    await page.locator('[data-testid=tickets-grid] .ag-row', { hasText: SUBJECT }).first().waitFor(WAIT);
    await harness.screenshot(page, 'crm-tickets-uz');
    await page.close();
  }, 180_000);

  it('shows the queue and the card in Russian on a phone without overflowing', async () => {
    const page = await harness.newPage({ width: 390, height: 844 });
    await harness.signIn(page, { language: 'ru' });
    await page.goto(`${harness.baseUrl}/crm/tickets?view=all`);
    const row = page.locator('[data-testid=tickets-grid] .ag-row', { hasText: SUBJECT }).first();
    await row.waitFor(WAIT);
    expect(await page.locator('h1').textContent()).toBe(crmRu['crm.tickets.title']);
    expect(await row.textContent()).toContain(crmRu['crm.ticketStatus.resolved']);
    await harness.screenshot(page, 'crm-tickets-phone-ru');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    // Open requests only: the late one, its subject marked, not the resolved one.
    await page.getByTestId('tickets-view-open').click();
    const late = page.locator('[data-testid=tickets-grid] .ag-row', { hasText: LATE }).first();
    await late.waitFor(WAIT);
    expect(await late.locator('.crm-ticket-cell-overdue').count()).toBe(1);
    expect(await page.locator('[data-testid=tickets-grid] .ag-row', { hasText: SUBJECT }).count()).toBe(0);
    // A search for nothing says what to do.
    await page.getByTestId('tickets-search').fill('Hech narsa topilmaydi');
    await page.getByTestId('empty-state').waitFor(WAIT);
    expect(await page.getByTestId('empty-state').textContent()).toContain(
      crmRu['crm.tickets.empty.filtered.title'],
    );
    await harness.screenshot(page, 'crm-tickets-empty-phone-ru');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);

    // The form to record one fits the phone too.
    await page.getByTestId('ticket-create').click();
    await page.getByTestId('ticket-drawer').waitFor();
    await harness.screenshot(page, 'crm-ticket-form-phone-ru');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('ticket-drawer').waitFor({ state: 'detached' });

    await page.goto(ticketUrl);
    await page.getByTestId('ticket-card').waitFor(WAIT);
    expect(await page.getByTestId('ticket-history').textContent()).toContain(
      `${crmRu['crm.ticketStatus.inProgress']} → ${crmRu['crm.ticketStatus.resolved']}`,
    );
    await harness.screenshot(page, 'crm-ticket-card-phone-ru');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.getByTestId('ticket-move-closed').click();
    await page.getByTestId('ticket-close-dialog').waitFor();
    await harness.screenshot(page, 'crm-ticket-close-phone-ru');
    expect(await overflowOf(page)).toBeLessThanOrEqual(0);
    await page.close();
  }, 120_000);
});
