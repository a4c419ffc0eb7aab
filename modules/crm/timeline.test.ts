// The card's timeline from other modules: an ERP shipment by event (once per event), and
// entries processes add; crm.getClient answers 404 for an unknown client.
import { expect, it } from 'vitest';
import { AppError } from '../../server/core/errors.js';
import { SYSTEM_ACTOR } from '../../server/core/module.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeClient, tag } from './test-helpers.js';

describeEachBackend('crm timeline', (t) => {
  it('adds a "shipment" entry when ERP ships to the client', async () => {
    const client = await makeClient(t());
    const call = <T>(name: string, input: unknown) =>
      t().suite.registry.call<T>(name, input, { actor: SYSTEM_ACTOR });
    const product = await call<{ id: string }>('erp.createProduct', {
      sku: `SH-${tag()}`,
      name: 'Gʻisht',
      unit: 'pcs',
    });
    const warehouse = await call<{ id: string }>('erp.createWarehouse', {
      code: `W${tag()}`,
      name: 'Asosiy ombor',
    });
    await call('erp.postStockDocument', {
      type: 'receipt',
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: 100 }],
    });
    const shipment = await call<{ id: string; number: string }>('erp.issueShipment', {
      clientId: client.id,
      warehouseId: warehouse.id,
      lines: [{ productId: product.id, quantity: 10 }],
    });
    await t().suite.dispatcher.drain();
    const card = await t().request('GET', `/api/crm/clients/${client.id}`, { cookie: t().admin.cookie });
    const entries: { kind: string; title: string; link: { type: string; id: string } | null }[] =
      card.body.timeline;
    const shipped = entries.filter((e) => e.kind === 'shipment');
    expect(shipped).toEqual([
      expect.objectContaining({ title: shipment.number, link: { type: 'stockDocument', id: shipment.id } }),
    ]);
  });

  it('is idempotent by event id when a delivery runs twice', async () => {
    const client = await makeClient(t());
    const { shipmentToTimeline } = await import('./timeline.js');
    const event = {
      id: 987_654_321,
      type: 'erp.shipment.posted',
      aggregateType: 'client',
      aggregateId: client.id,
      createdAt: new Date().toISOString(),
      actorId: null,
      payload: { documentId: client.id, number: 'SH-000777', clientId: client.id, dealId: null, lines: 1 },
    };
    for (let i = 0; i < 2; i++) {
      await t().suite.registry.withContext({ actor: SYSTEM_ACTOR, module: 'crm' }, (ctx) =>
        shipmentToTimeline.handle({ ...ctx, eventId: event.id }, event),
      );
    }
    const timeline = await t().request('GET', `/api/crm/clients/${client.id}/timeline`, {
      cookie: t().admin.cookie,
    });
    expect(timeline.body.items.filter((e: { kind: string }) => e.kind === 'shipment')).toHaveLength(1);
  });

  it('takes entries from processes and answers crm.getClient with the card, 404 when unknown', async () => {
    const client = await makeClient(t());
    await t().suite.registry.call(
      'crm.addTimelineEntry',
      { clientId: client.id, kind: 'process', title: 'Shartnoma tasdiqlandi', detail: 'Buxgalteriya' },
      { actor: SYSTEM_ACTOR },
    );
    const card = await t().suite.registry.call<{ timeline: { kind: string; title: string }[] }>(
      'crm.getClient',
      { id: client.id },
      { actor: SYSTEM_ACTOR },
    );
    expect(card.timeline[0]).toMatchObject({ kind: 'process', title: 'Shartnoma tasdiqlandi' });
    const unknown = t().suite.registry.call(
      'crm.getClient',
      { id: '00000000-0000-4000-8000-000000000000' },
      { actor: SYSTEM_ACTOR },
    );
    await expect(unknown).rejects.toBeInstanceOf(AppError);
    await expect(unknown).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it("shows a process's entry in each reader's language, and refuses titles in no known language", async () => {
    const client = await makeClient(t());
    const add = (title: unknown) =>
      t().suite.registry.call(
        'crm.addTimelineEntry',
        { clientId: client.id, title },
        { actor: SYSTEM_ACTOR },
      );
    await add({ uz: 'Joʻnatish rad etildi: Yillik shartnoma', ru: 'Отгрузка отклонена: Yillik shartnoma' });
    const titleFor = async (locale: 'uz' | 'ru' | 'en') => {
      const reader = await t().createUser(['sales_head'], { locale });
      const page = await t().request('GET', `/api/crm/clients/${client.id}/timeline`, {
        cookie: reader.cookie,
      });
      expect(page.status).toBe(200);
      return page.body.items[0].title as string;
    };
    expect(await titleFor('ru')).toBe('Отгрузка отклонена: Yillik shartnoma');
    expect(await titleFor('uz')).toBe('Joʻnatish rad etildi: Yillik shartnoma');
    // No English given: the default language (Uzbek) stands in.
    expect(await titleFor('en')).toBe('Joʻnatish rad etildi: Yillik shartnoma');

    for (const bad of [{}, { de: 'Versand abgelehnt' }, { uz: '  ' }, '']) {
      await expect(add(bad)).rejects.toMatchObject({ status: 400 });
    }
    const card = await t().request('GET', `/api/crm/clients/${client.id}/timeline`, {
      cookie: t().admin.cookie,
    });
    expect(card.body.items.filter((e: { kind: string }) => e.kind === 'process')).toHaveLength(1);
  });
});
