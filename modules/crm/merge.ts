// Merging a duplicate into the client that survives: contacts, deals, activities and timeline
// move over, empty fields are filled, the duplicate is deleted and the audit log keeps both.
import { z } from 'zod';
import { clientSchema, loadClient } from './client-schema.js';
import { defineAction, fieldProblem, PERMISSIONS, refreshSearchText, requireClient } from './define.js';
import { recordTimeline } from './timeline.js';

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

export const mergeClients = defineAction({
  name: 'mergeClients',
  description:
    'Merges otherId into id: its contacts, deals, activities and timeline move over, and it is deleted.',
  permission: PERMISSIONS.clientsWrite,
  write: true,
  input: z.object({ id: z.uuid(), otherId: z.uuid() }),
  output: clientSchema,
  async run(ctx, input) {
    if (input.id === input.otherId) fieldProblem(ctx, 'otherId', 'MERGE_SAME_CLIENT');
    // Lock both in id order so two merges of the same pair cannot deadlock.
    const [first, second] = [input.id, input.otherId].sort();
    await requireClient(ctx, first!, true);
    await requireClient(ctx, second!, true);
    const keep = await requireClient(ctx, input.id);
    const other = await requireClient(ctx, input.otherId);
    const before = {
      kept: await loadClient(ctx.db, input.id),
      merged: await loadClient(ctx.db, input.otherId),
    };
    const moved = {
      contacts: (
        await ctx.db
          .updateTable('crm_contacts')
          .set({ client_id: input.id })
          .where('client_id', '=', input.otherId)
          .executeTakeFirst()
      ).numUpdatedRows,
      deals: (
        await ctx.db
          .updateTable('crm_deals')
          .set({ client_id: input.id })
          .where('client_id', '=', input.otherId)
          .executeTakeFirst()
      ).numUpdatedRows,
      activities: (
        await ctx.db
          .updateTable('crm_activities')
          .set({ client_id: input.id })
          .where('client_id', '=', input.otherId)
          .executeTakeFirst()
      ).numUpdatedRows,
      // Without this the cascade would delete the other's service requests with it.
      tickets: (
        await ctx.db
          .updateTable('crm_tickets')
          .set({ client_id: input.id })
          .where('client_id', '=', input.otherId)
          .executeTakeFirst()
      ).numUpdatedRows,
    };
    await ctx.db
      .updateTable('crm_timeline')
      .set({ client_id: input.id })
      .where('client_id', '=', input.otherId)
      .execute();
    await ctx.db
      .updateTable('crm_clients')
      .set({
        updated_at: new Date(),
        tax_id: keep.tax_id ?? other.tax_id,
        region: keep.region ?? other.region,
        industry: keep.industry ?? other.industry,
        segment: keep.segment ?? other.segment,
        source: keep.source ?? other.source,
        // The campaign that reached them first keeps the lead, whichever card is kept.
        campaign_id: keep.campaign_id ?? other.campaign_id,
        website: keep.website ?? other.website,
        address: keep.address ?? other.address,
        notes: [keep.notes, other.notes].filter(Boolean).join('\n\n') || null,
        phones: JSON.stringify(union(keep.phones, other.phones)),
        emails: JSON.stringify(union(keep.emails, other.emails)),
        tags: JSON.stringify(union(keep.tags, other.tags)),
      })
      .where('id', '=', input.id)
      .execute();
    await ctx.db.deleteFrom('crm_clients').where('id', '=', input.otherId).execute();
    await refreshSearchText(ctx.db, input.id);
    await recordTimeline(ctx, {
      clientId: input.id,
      kind: 'merged',
      title: other.name,
      detail: `contacts ${moved.contacts}, deals ${moved.deals}, activities ${moved.activities}, tickets ${moved.tickets}`,
      link: { type: 'client', id: input.otherId },
    });
    const after = await loadClient(ctx.db, input.id);
    await ctx.audit({
      entity: 'client',
      entityId: input.id,
      before,
      after: {
        client: after,
        mergedId: input.otherId,
        moved: Object.fromEntries(Object.entries(moved).map(([k, v]) => [k, Number(v)])),
      },
    });
    await ctx.audit({
      entity: 'client',
      entityId: input.otherId,
      action: 'crm.mergeClients',
      before: before.merged,
      after: null,
    });
    return after;
  },
});
