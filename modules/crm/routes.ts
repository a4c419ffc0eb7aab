// /api/crm: thin routes over the CRM actions (modules/crm/API.md is the contract).
import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../server/core/errors.js';
import { actionRoute } from '../../server/http/action-route.js';
import { fileRoute } from '../../server/http/file-route.js';
import { MAX_FILE_BYTES } from './import-export.js';

export function crmRoutes(app: FastifyInstance): void {
  actionRoute(app, { method: 'GET', url: '/clients', action: 'crm.listClients' });
  actionRoute(app, { method: 'POST', url: '/clients', action: 'crm.createClient' });
  fileRoute(app, { url: '/clients/export', action: 'crm.exportClients', describe: 'the CSV or XLSX file' });
  importPreviewRoute(app);
  actionRoute(app, {
    method: 'POST',
    url: '/clients/import/:importId/validate',
    action: 'crm.validateImport',
    status: 200,
  });
  actionRoute(app, {
    method: 'POST',
    url: '/clients/import/:importId/commit',
    action: 'crm.commitImport',
    status: 200,
  });
  actionRoute(app, { method: 'GET', url: '/clients/:id', action: 'crm.getClient' });
  actionRoute(app, { method: 'PATCH', url: '/clients/:id', action: 'crm.updateClient' });
  actionRoute(app, { method: 'GET', url: '/clients/:id/timeline', action: 'crm.listTimeline' });
  actionRoute(app, { method: 'POST', url: '/clients/:id/merge', action: 'crm.mergeClients', status: 200 });
  actionRoute(app, { method: 'POST', url: '/clients/:id/contacts', action: 'crm.addContact' });
  actionRoute(app, { method: 'PATCH', url: '/contacts/:id', action: 'crm.updateContact' });
  actionRoute(app, { method: 'DELETE', url: '/contacts/:id', action: 'crm.deleteContact', status: 204 });
  actionRoute(app, { method: 'GET', url: '/regions', action: 'crm.listRegions' });
  actionRoute(app, { method: 'POST', url: '/regions', action: 'crm.saveRegion', status: 200 });

  actionRoute(app, { method: 'GET', url: '/pipelines', action: 'crm.listPipelines' });
  actionRoute(app, { method: 'POST', url: '/pipelines', action: 'crm.createPipeline' });
  actionRoute(app, { method: 'PATCH', url: '/pipelines/:id', action: 'crm.updatePipeline' });
  actionRoute(app, { method: 'GET', url: '/deals', action: 'crm.listDeals' });
  actionRoute(app, { method: 'GET', url: '/deals/board', action: 'crm.getBoard' });
  actionRoute(app, { method: 'GET', url: '/analytics', action: 'crm.getSalesAnalytics' });
  actionRoute(app, { method: 'POST', url: '/deals', action: 'crm.createDeal' });
  actionRoute(app, { method: 'GET', url: '/deals/:id', action: 'crm.getDeal' });
  actionRoute(app, { method: 'PATCH', url: '/deals/:id', action: 'crm.updateDeal' });
  actionRoute(app, {
    method: 'POST',
    url: '/deals/:id/stage',
    action: 'crm.moveDealStage',
    status: 200,
    hidden: ['dealId'],
    extraInput: (req) => ({ dealId: (req.params as { id: string }).id }),
  });

  actionRoute(app, { method: 'GET', url: '/activities', action: 'crm.listActivities' });
  actionRoute(app, { method: 'POST', url: '/activities', action: 'crm.createActivity' });
  actionRoute(app, { method: 'PATCH', url: '/activities/:id', action: 'crm.updateActivity' });
  actionRoute(app, { method: 'GET', url: '/my-day', action: 'crm.getMyDay' });
  actionRoute(app, { method: 'GET', url: '/reminders', action: 'crm.listReminders' });

  actionRoute(app, { method: 'GET', url: '/tickets', action: 'crm.listTickets' });
  actionRoute(app, { method: 'POST', url: '/tickets', action: 'crm.createTicket' });
  actionRoute(app, { method: 'GET', url: '/tickets/:id', action: 'crm.getTicket' });
  actionRoute(app, { method: 'PATCH', url: '/tickets/:id', action: 'crm.updateTicket' });
  actionRoute(app, {
    method: 'POST',
    url: '/tickets/:id/status',
    action: 'crm.changeTicketStatus',
    status: 200,
  });
  actionRoute(app, { method: 'POST', url: '/tickets/:id/comments', action: 'crm.addTicketComment' });

  actionRoute(app, { method: 'GET', url: '/campaigns', action: 'crm.listCampaigns' });
  actionRoute(app, { method: 'POST', url: '/campaigns', action: 'crm.createCampaign' });
  actionRoute(app, { method: 'GET', url: '/campaigns/:id', action: 'crm.getCampaign' });
  actionRoute(app, { method: 'PATCH', url: '/campaigns/:id', action: 'crm.updateCampaign' });
  actionRoute(app, { method: 'DELETE', url: '/campaigns/:id', action: 'crm.deleteCampaign', status: 204 });
}

/**
 * POST /clients/import/preview takes the file as multipart (one file part) or as JSON
 * `{ fileName, contentBase64 }` (what processes send). The multipart parser is registered in a
 * scope of this route alone, so no other route accepts multipart bodies.
 */
function importPreviewRoute(app: FastifyInstance): void {
  const action = app.registry.get('crm.previewImport');
  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 10, parts: 11 },
    });
    scope.route({
      method: 'POST',
      url: '/clients/import/preview',
      // Base64 JSON is a third larger than the file: above the app's 1 MB body limit.
      bodyLimit: Math.ceil((MAX_FILE_BYTES * 4) / 3) + 64 * 1024,
      config: { permission: action.permission },
      schema: {
        summary: `${action.description} Send the file as multipart/form-data (one file part) or as JSON.`,
        tags: ['crm'],
        consumes: ['multipart/form-data', 'application/json'],
        // Multipart bodies are read in the handler; JSON ones are checked by the action's schema.
        body: action.input.optional(),
        response: { 200: action.output },
      },
      handler: async (req, reply) => {
        const body = req.isMultipart()
          ? await uploadedFile(req)
          : req.body && typeof req.body === 'object'
            ? req.body
            : {};
        const output = await req.callAction('crm.previewImport', body);
        reply.code(200);
        return output;
      },
    });
  });
}

/** The one file of a multipart upload, as the action's input; over the size limit is 413. */
async function uploadedFile(req: FastifyRequest): Promise<{ fileName: string; contentBase64: string }> {
  let part: MultipartFile | undefined;
  let content: Buffer;
  try {
    part = await req.file();
    if (!part) throw new AppError(400, 'IMPORT_FILE_MISSING', { details: { field: 'file' } });
    content = await part.toBuffer();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT')
      throw new AppError(413, 'IMPORT_TOO_LARGE', { details: { field: 'file', maxBytes: MAX_FILE_BYTES } });
    throw error;
  }
  return { fileName: part.filename || 'upload', contentBase64: content.toString('base64') };
}
