// The ERP inventory API as the web app sees it. Quantities and prices are decimal strings
// ("12.500"): they are compared and summed exactly (see quantity.ts), never as floats.

export const UNITS = ['pcs', 'kg', 'l', 'm'] as const;
export type Unit = (typeof UNITS)[number];

export const DOCUMENT_TYPES = ['receipt', 'write_off', 'transfer', 'shipment', 'count'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['draft', 'posted', 'reversed'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

export const REASONS = ['damaged', 'expired', 'lost', 'internal_use', 'other'] as const;
export type Reason = (typeof REASONS)[number];

/** Document types that take stock out of their warehouse: they can run short. */
export const OUTGOING: readonly DocumentType[] = ['write_off', 'transfer', 'shipment'];

export type Product = {
  id: string;
  sku: string;
  name: string;
  unit: Unit;
  barcode: string | null;
  reorderLevel: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Total over all warehouses. */
  onHand: string;
};

/** A person answerable for a warehouse's stock, who alone (with admins) posts in it. */
export type Keeper = { id: string; name: string };

export type Warehouse = {
  id: string;
  code: string;
  name: string;
  address: string | null;
  active: boolean;
  /** Empty: anyone with the document rights posts in it. */
  keepers: Keeper[];
  createdAt: string;
  updatedAt: string;
};

export type Balance = {
  productId: string;
  warehouseId: string;
  quantity: string;
  reserved: string;
  available: string;
  /** Stock value at the weighted average cost (so'm, 2 decimals). */
  value: string;
  /** One unit's value; null for an empty balance. */
  averageCost: string | null;
  productSku: string;
  productName: string;
  unit: Unit;
  reorderLevel: string;
  warehouseCode: string;
  warehouseName: string;
};

export type LedgerEntry = {
  id: string;
  postedAt: string;
  documentId: string;
  documentNumber: string;
  documentType: DocumentType;
  lineNo: number;
  productId: string;
  productSku: string;
  productName: string;
  warehouseId: string;
  warehouseCode: string;
  /** Signed: negative when stock left the warehouse. */
  quantity: string;
  balanceAfter: string;
  /** The stock value moved, signed like the quantity. */
  value: string;
};

export type DocumentLine = {
  id: string;
  lineNo: number;
  productId: string;
  productSku: string;
  productName: string;
  unit: Unit;
  quantity: string;
  price: string | null;
  /** Count documents, once posted: counted minus what was on hand. */
  difference?: string | null;
};

type DocumentFields = {
  id: string;
  number: string;
  type: DocumentType;
  status: DocumentStatus;
  date: string;
  warehouseId: string;
  warehouseCode: string;
  targetWarehouseId: string | null;
  targetWarehouseCode: string | null;
  clientId: string | null;
  dealId: string | null;
  /** From CRM on a single document's read (GET /stock-documents/:id); not on lists or answers. */
  clientName?: string | null;
  dealTitle?: string | null;
  /** Who wrote it and who posted it (null: the system, or not posted), on a single document's read. */
  createdBy?: { id: string; name: string } | null;
  postedBy?: { id: string; name: string } | null;
  reason: Reason | null;
  comment: string | null;
  reversalOfId: string | null;
  reversalOfNumber: string | null;
  reversedById: string | null;
  reversedByNumber: string | null;
  reserved: boolean;
  /** One more with every change of the document: sent back when saving or posting a draft. */
  revision: number;
  createdAt: string;
  postedAt: string | null;
};

export type StockDocument = DocumentFields & { lines: DocumentLine[] };
export type DocumentSummary = DocumentFields & {
  lineCount: number;
  /** The priced lines' value, summed; null when no line has a price. */
  amount: string | null;
  /** A shipment's client, as CRM names it. */
  clientName: string | null;
};

/** One line refused by STOCK_INSUFFICIENT (409), in `details.lines`. */
export type ShortLine = {
  lineNo: number;
  productId: string;
  warehouseId: string;
  requested: string;
  available: string;
};

export const PERMISSIONS = {
  productsRead: 'erp.products.read',
  productsWrite: 'erp.products.write',
  warehousesWrite: 'erp.warehouses.write',
  stockRead: 'erp.stock.read',
  documentsWrite: 'erp.documents.write',
  documentsPost: 'erp.documents.post',
} as const;

/** A row of the stock movements report: one product in one warehouse over a period. */
export type Movement = {
  productId: string;
  productSku: string;
  productName: string;
  unit: Unit;
  warehouseId: string;
  warehouseCode: string;
  warehouseName: string;
  opening: string;
  incoming: string;
  outgoing: string;
  closing: string;
  openingValue: string;
  incomingValue: string;
  outgoingValue: string;
  closingValue: string;
};
