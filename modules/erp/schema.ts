// Kysely types of the ERP module's tables. Quantities are numeric(18,3) and prices
// numeric(18,2): decimal strings on both backends, computed with BigInt milli-units.
import type { ColumnType, Generated } from 'kysely';

type Decimal = ColumnType<string, string | number, string | number>;
/** A decimal column with a database default. */
type DecimalDefault = ColumnType<string, string | number | undefined, string | number>;
type DateOnly = ColumnType<string, string, string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TimestampNull = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type Unit = 'pcs' | 'kg' | 'l' | 'm';
export type DocumentType = 'receipt' | 'write_off' | 'transfer' | 'shipment' | 'count';
export type DocumentStatus = 'draft' | 'posted' | 'reversed';
export type WriteOffReason = 'damaged' | 'expired' | 'lost' | 'internal_use' | 'other';

export type ErpTables = {
  erp_products: {
    id: Generated<string>;
    sku: string;
    name: string;
    unit: Unit;
    barcode: string | null;
    reorder_level: DecimalDefault;
    active: Generated<boolean>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  erp_warehouses: {
    id: Generated<string>;
    code: string;
    name: string;
    address: string | null;
    active: Generated<boolean>;
    /** Users who alone post in it (admins aside); empty: anyone with the document rights. */
    keeper_ids: Generated<string[]>;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
  };
  erp_stock_documents: {
    id: Generated<string>;
    number: string;
    type: DocumentType;
    status: Generated<DocumentStatus>;
    date: DateOnly;
    warehouse_id: string;
    target_warehouse_id: string | null;
    client_id: string | null;
    deal_id: string | null;
    reason: WriteOffReason | null;
    comment: string | null;
    reversal_of_id: string | null;
    reversed_by_id: string | null;
    reserved: Generated<boolean>;
    /** 1 when written, one more with every update of the row (a trigger). */
    revision: Generated<number>;
    created_by: string | null;
    posted_by: string | null;
    created_at: Generated<Date>;
    updated_at: Generated<Date>;
    posted_at: TimestampNull;
  };
  erp_stock_document_lines: {
    id: Generated<string>;
    document_id: string;
    line_no: number;
    product_id: string;
    quantity: Decimal;
    price: Decimal | null;
    /** For a posted inventory count: counted minus the balance before it. */
    difference: Decimal | null;
  };
  erp_stock_balances: {
    product_id: string;
    warehouse_id: string;
    quantity: DecimalDefault;
    reserved: DecimalDefault;
    /** Stock value at the weighted average cost (numeric(20,2), tiyin in code). */
    value: DecimalDefault;
    updated_at: Generated<Date>;
  };
  erp_stock_ledger: {
    id: Generated<number>;
    document_id: string;
    line_id: string | null;
    product_id: string;
    warehouse_id: string;
    quantity: Decimal;
    balance_after: Decimal;
    /** The stock value the entry moved, signed like its quantity. */
    value: DecimalDefault;
    posted_at: Timestamp;
  };
  erp_reservations: {
    document_id: string;
    product_id: string;
    warehouse_id: string;
    quantity: Decimal;
  };
};
