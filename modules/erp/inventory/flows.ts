// One-step operations for other modules and the BPM engine: create-and-post, and a shipment
// to a CRM client, in the caller's transaction.
import { z } from 'zod';
import { defineAction } from './define.js';
import { documentInputFields, lineInputSchema } from './document-input.js';
import { documentSchema } from './document-schema.js';
import { createPosted } from './documents.js';
import { postNewDocuments } from './post-new.js';
import { planNewDocuments } from './post-planned.js';

export const postStockDocument = defineAction({
  name: 'postStockDocument',
  description: 'Creates a stock document and posts it in one step (all lines or none).',
  permission: 'erp.documents.post',
  write: true,
  input: z.object(documentInputFields),
  output: documentSchema,
  group: {
    accepts: (input) => input.type !== 'count',
    run: (calls, home) => postNewDocuments(calls[0]!.ctx.db, calls, home),
    plan: planNewDocuments,
  },
  async run(ctx, input) {
    return createPosted(ctx, input);
  },
});

export const issueShipment = defineAction({
  name: 'issueShipment',
  description: 'Ships goods to a CRM client (optionally for a deal): creates and posts a shipment.',
  permission: 'erp.documents.post',
  write: true,
  input: z.object({
    clientId: z.uuid(),
    dealId: z.uuid().nullable().optional(),
    warehouseId: z.uuid(),
    comment: z.string().trim().max(1000).nullable().optional(),
    lines: z.array(lineInputSchema).max(1000),
  }),
  output: documentSchema,
  async run(ctx, input) {
    return createPosted(ctx, { ...input, type: 'shipment' });
  },
});
