// What to order: a receipt draft that brings every product below its reorder level back up to
// it, for the warehouse staff to check, price and post when the goods arrive (or a process to
// draft every week).
import { sql } from 'kysely';
import { z } from 'zod';
import { conflict } from '../../../server/core/errors.js';
import { defineAction } from './define.js';
import { documentSchema, loadDocument } from './document-schema.js';
import { createDraft } from './documents.js';
import { belowReorderLevelOfP, totalStockOfP } from './products.js';

/** A receipt holds at most this many lines (the documents' own limit). */
const MAX_LINES = 1000;

export const draftReorderReceipt = defineAction({
  name: 'draftReorderReceipt',
  description:
    'Drafts a receipt into a warehouse with a line for every active product whose total stock is below its reorder level, for what it lacks to reach the level (whole pieces rounded up); 409 NOTHING_TO_REORDER when no product is below its level.',
  permission: 'erp.documents.write',
  write: true,
  input: z.object({
    warehouseId: z.uuid(),
    comment: z.string().trim().max(1000).nullable().optional(),
  }),
  output: documentSchema,
  async run(ctx, input) {
    const missing = sql<string>`p.reorder_level - ${totalStockOfP}`;
    const rows = await ctx.db
      .selectFrom('erp_products as p')
      .select([
        'p.id',
        sql<string>`(case when p.unit = 'pcs' then ceil(${missing}) else ${missing} end)::text`.as(
          'quantity',
        ),
      ])
      .where('p.active', '=', true)
      .where(belowReorderLevelOfP)
      .orderBy('p.sku')
      .limit(MAX_LINES)
      .execute();
    if (rows.length === 0) throw conflict('NOTHING_TO_REORDER');
    const id = await createDraft(ctx, {
      type: 'receipt',
      warehouseId: input.warehouseId,
      comment: input.comment || ctx.translate('REORDER_RECEIPT_COMMENT'),
      lines: rows.map((row) => ({ productId: row.id, quantity: row.quantity })),
    });
    const doc = await loadDocument(ctx.db, id);
    await ctx.audit({ entity: 'stockDocument', entityId: id, before: null, after: doc });
    return doc;
  },
});
