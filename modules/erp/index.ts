// The ERP module: inventory (products, warehouses, stock documents, balances and ledger).
// HR lives in its own module (modules/hr).

import { defineModule } from '../../server/core/module.js';
import { exportBalances, exportLedger, getStock, listBalances, listLedger } from './inventory/balances.js';
import {
  createStockDocument,
  deleteStockDocument,
  getStockDocument,
  listStockDocuments,
  postStockDocumentDraft,
  releaseStock,
  reserveStock,
  reverseStockDocument,
  updateStockDocument,
} from './inventory/documents.js';
import { issueShipment, postStockDocument } from './inventory/flows.js';
import { findKeeperCandidates } from './inventory/keepers.js';
import { exportStockMovements, listStockMovements } from './inventory/movements.js';
import { checkProductImport, importProducts } from './inventory/product-import.js';
import {
  createProduct,
  getProduct,
  listProducts,
  lookupProduct,
  updateProduct,
} from './inventory/products.js';
import { draftReorderReceipt } from './inventory/reorder.js';
import { inventoryRoutes } from './inventory/routes.js';
import { seedInventory } from './inventory/seed-demo.js';
import { findShipmentClients } from './inventory/shipment-clients.js';
import { checkStockAction } from './inventory/stock-check.js';
import { createWarehouse, getWarehouse, listWarehouses, updateWarehouse } from './inventory/warehouses.js';
import { erpMessages } from './messages.js';
import * as inventory from './migrations/0001-inventory.js';
import * as keepers from './migrations/0002-warehouse-keepers.js';
import * as stockValue from './migrations/0003-stock-value.js';
import * as documentRevision from './migrations/0004-document-revision.js';

const STAFF = ['sales_head', 'sales_manager', 'warehouse', 'employee'];

export const erpModule = defineModule({
  name: 'erp',
  migrations: {
    '0001-inventory': inventory,
    '0002-warehouse-keepers': keepers,
    '0003-stock-value': stockValue,
    '0004-document-revision': documentRevision,
  },
  permissions: [
    { code: 'erp.products.read', grantTo: STAFF },
    { code: 'erp.products.write', grantTo: ['warehouse'] },
    { code: 'erp.warehouses.write', grantTo: ['warehouse'] },
    { code: 'erp.stock.read', grantTo: STAFF },
    { code: 'erp.documents.write', grantTo: ['warehouse'] },
    { code: 'erp.documents.post', grantTo: ['warehouse'] },
    { code: 'erp.stock.check' },
  ],
  actions: [
    createProduct,
    updateProduct,
    getProduct,
    lookupProduct,
    findShipmentClients,
    listProducts,
    checkProductImport,
    importProducts,
    createWarehouse,
    updateWarehouse,
    getWarehouse,
    listWarehouses,
    findKeeperCandidates,
    createStockDocument,
    draftReorderReceipt,
    updateStockDocument,
    deleteStockDocument,
    getStockDocument,
    listStockDocuments,
    postStockDocumentDraft,
    reverseStockDocument,
    reserveStock,
    releaseStock,
    listBalances,
    exportBalances,
    exportLedger,
    listLedger,
    listStockMovements,
    exportStockMovements,
    getStock,
    checkStockAction,
    postStockDocument,
    issueShipment,
  ],
  events: [
    'erp.document.posted',
    'erp.document.reversed',
    'erp.shipment.posted',
    'erp.stock.belowReorderLevel',
  ],
  messages: erpMessages,
  routes: inventoryRoutes,
  seedDemo: seedInventory,
});
