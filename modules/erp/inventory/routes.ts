// /api/erp: thin routes over the inventory actions. Every call that posts stock needs an
// Idempotency-Key, so a retried request never posts twice.
import type { FastifyInstance } from 'fastify';
import { MAX_FILE_BYTES } from '../../../server/core/table-file.js';
import { actionRoute } from '../../../server/http/action-route.js';
import { fileRoute } from '../../../server/http/file-route.js';

export function inventoryRoutes(app: FastifyInstance): void {
  actionRoute(app, { method: 'GET', url: '/products', action: 'erp.listProducts' });
  actionRoute(app, { method: 'POST', url: '/products', action: 'erp.createProduct' });
  actionRoute(app, { method: 'GET', url: '/products/lookup', action: 'erp.lookupProduct' });
  actionRoute(app, { method: 'GET', url: '/products/:id', action: 'erp.getProduct' });
  actionRoute(app, { method: 'PATCH', url: '/products/:id', action: 'erp.updateProduct' });
  actionRoute(app, { method: 'GET', url: '/warehouses', action: 'erp.listWarehouses' });
  actionRoute(app, { method: 'POST', url: '/warehouses', action: 'erp.createWarehouse' });
  actionRoute(app, { method: 'GET', url: '/warehouses/:id', action: 'erp.getWarehouse' });
  actionRoute(app, { method: 'GET', url: '/warehouse-keepers', action: 'erp.findKeeperCandidates' });
  actionRoute(app, { method: 'PATCH', url: '/warehouses/:id', action: 'erp.updateWarehouse' });
  actionRoute(app, { method: 'GET', url: '/shipment-clients', action: 'erp.findShipmentClients' });
  actionRoute(app, { method: 'GET', url: '/stock-balances', action: 'erp.listBalances' });
  fileRoute(app, {
    url: '/stock-balances/export',
    action: 'erp.exportBalances',
    describe: 'the CSV or XLSX file of the balances',
  });
  actionRoute(app, { method: 'GET', url: '/stock-ledger', action: 'erp.listLedger' });
  fileRoute(app, {
    url: '/stock-ledger/export',
    action: 'erp.exportLedger',
    describe: 'the CSV or XLSX file of the movements',
  });
  actionRoute(app, { method: 'GET', url: '/stock-movements', action: 'erp.listStockMovements' });
  fileRoute(app, {
    url: '/stock-movements/export',
    action: 'erp.exportStockMovements',
    describe: 'the CSV or XLSX file of the stock movements report',
  });
  actionRoute(app, { method: 'GET', url: '/stock-check', action: 'erp.checkStock' });
  actionRoute(app, { method: 'GET', url: '/stock-documents', action: 'erp.listStockDocuments' });
  actionRoute(app, {
    method: 'POST',
    url: '/stock-documents',
    action: 'erp.createStockDocument',
    hidden: ['post'],
    // `?post=true` creates and posts in one call; then the key is required, as for any posting.
    extraInput: (req) => ({ post: (req.query as { post?: string }).post === 'true' }),
    idempotency: 'optional',
    requireIdempotency: (req) => (req.query as { post?: string }).post === 'true',
  });
  // The file in base64 is a third larger than the file.
  const fileBodyLimit = Math.ceil((MAX_FILE_BYTES * 4) / 3) + 64 * 1024;
  actionRoute(app, {
    method: 'POST',
    url: '/products/import/check',
    action: 'erp.checkProductImport',
    status: 200,
    bodyLimit: fileBodyLimit,
  });
  actionRoute(app, {
    method: 'POST',
    url: '/products/import',
    action: 'erp.importProducts',
    status: 200,
    bodyLimit: fileBodyLimit,
  });
  actionRoute(app, {
    method: 'POST',
    url: '/stock-documents/reorder-receipt',
    action: 'erp.draftReorderReceipt',
    status: 201,
  });
  actionRoute(app, { method: 'GET', url: '/stock-documents/:id', action: 'erp.getStockDocument' });
  actionRoute(app, { method: 'PATCH', url: '/stock-documents/:id', action: 'erp.updateStockDocument' });
  actionRoute(app, {
    method: 'DELETE',
    url: '/stock-documents/:id',
    action: 'erp.deleteStockDocument',
    status: 204,
  });
  actionRoute(app, {
    method: 'POST',
    url: '/stock-documents/:id/post',
    action: 'erp.postDraft',
    status: 200,
    idempotency: 'required',
  });
  actionRoute(app, {
    method: 'POST',
    url: '/stock-documents/:id/reverse',
    action: 'erp.reverseStockDocument',
    status: 201,
    idempotency: 'required',
  });
  actionRoute(app, {
    method: 'POST',
    url: '/stock-documents/:id/reserve',
    action: 'erp.reserveStock',
    status: 200,
  });
  actionRoute(app, {
    method: 'POST',
    url: '/stock-documents/:id/release',
    action: 'erp.releaseStock',
    status: 200,
  });
}
