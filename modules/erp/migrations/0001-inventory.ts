import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('erp_products')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull().check(sql`unit in ('pcs', 'kg', 'l', 'm')`))
    .addColumn('barcode', 'text')
    .addColumn('reorder_level', sql`numeric(18,3)`, (c) =>
      c.notNull().defaultTo(0).check(sql`reorder_level >= 0`),
    )
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index erp_products_sku_key on erp_products (lower(sku))`.execute(db);
  await sql`create unique index erp_products_barcode_key on erp_products (barcode) where barcode is not null`.execute(
    db,
  );
  await sql`create index erp_products_name on erp_products (lower(name) text_pattern_ops)`.execute(db);

  await db.schema
    .createTable('erp_warehouses')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index erp_warehouses_code_key on erp_warehouses (lower(code))`.execute(db);

  // Numbers come from sequences, not a counter row: a counter row would make every posting
  // of a type wait for the one before it to commit. A rolled-back document leaves a gap.
  for (const type of ['receipt', 'write_off', 'transfer', 'shipment', 'count']) {
    await sql`create sequence ${sql.raw(`erp_seq_${type}`)}`.execute(db);
  }

  await db.schema
    .createTable('erp_stock_documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) =>
      c.notNull().check(sql`type in ('receipt', 'write_off', 'transfer', 'shipment', 'count')`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('draft').check(sql`status in ('draft', 'posted', 'reversed')`),
    )
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('warehouse_id', 'uuid', (c) => c.notNull().references('erp_warehouses.id'))
    .addColumn('target_warehouse_id', 'uuid', (c) => c.references('erp_warehouses.id'))
    .addColumn('client_id', 'uuid')
    .addColumn('deal_id', 'uuid')
    .addColumn('reason', 'text', (c) =>
      c.check(sql`reason in ('damaged', 'expired', 'lost', 'internal_use', 'other')`),
    )
    .addColumn('comment', 'text')
    .addColumn('reversal_of_id', 'uuid', (c) => c.references('erp_stock_documents.id'))
    .addColumn('reversed_by_id', 'uuid', (c) => c.references('erp_stock_documents.id'))
    .addColumn('reserved', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'uuid')
    .addColumn('posted_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('posted_at', 'timestamptz')
    .addCheckConstraint(
      'erp_stock_documents_transfer',
      sql`(type = 'transfer') = (target_warehouse_id is not null)`,
    )
    .addCheckConstraint(
      'erp_stock_documents_own_target',
      sql`target_warehouse_id is distinct from warehouse_id`,
    )
    .execute();
  await db.schema
    .createIndex('erp_stock_documents_list')
    .on('erp_stock_documents')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('erp_stock_documents_client')
    .on('erp_stock_documents')
    .column('client_id')
    .execute();

  await db.schema
    .createTable('erp_stock_document_lines')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('erp_stock_documents.id').onDelete('cascade'),
    )
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('erp_products.id'))
    .addColumn('quantity', sql`numeric(18,3)`, (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn('price', sql`numeric(18,2)`, (c) => c.check(sql`price >= 0`))
    .addColumn('difference', sql`numeric(18,3)`)
    .addUniqueConstraint('erp_stock_document_lines_no', ['document_id', 'line_no'])
    .execute();

  // One row per (product, warehouse); the CHECKs are the last defence behind the posting guard.
  await db.schema
    .createTable('erp_stock_balances')
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('erp_products.id'))
    .addColumn('warehouse_id', 'uuid', (c) => c.notNull().references('erp_warehouses.id'))
    .addColumn('quantity', sql`numeric(18,3)`, (c) => c.notNull().defaultTo(0))
    .addColumn('reserved', sql`numeric(18,3)`, (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('erp_stock_balances_pk', ['product_id', 'warehouse_id'])
    .addCheckConstraint('erp_stock_balances_not_negative', sql`quantity >= 0`)
    .addCheckConstraint('erp_stock_balances_reserved', sql`reserved >= 0 and reserved <= quantity`)
    .execute();
  await db.schema
    .createIndex('erp_stock_balances_warehouse')
    .on('erp_stock_balances')
    .column('warehouse_id')
    .execute();

  await db.schema
    .createTable('erp_stock_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('document_id', 'uuid', (c) => c.notNull().references('erp_stock_documents.id'))
    .addColumn('line_id', 'uuid')
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('erp_products.id'))
    .addColumn('warehouse_id', 'uuid', (c) => c.notNull().references('erp_warehouses.id'))
    .addColumn('quantity', sql`numeric(18,3)`, (c) => c.notNull().check(sql`quantity <> 0`))
    .addColumn('balance_after', sql`numeric(18,3)`, (c) => c.notNull().check(sql`balance_after >= 0`))
    .addColumn('posted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('erp_stock_ledger_item')
    .on('erp_stock_ledger')
    .columns(['product_id', 'warehouse_id', 'id'])
    .execute();
  await db.schema
    .createIndex('erp_stock_ledger_document')
    .on('erp_stock_ledger')
    .column('document_id')
    .execute();
  await db.schema
    .createIndex('erp_stock_ledger_posted')
    .on('erp_stock_ledger')
    .columns(['posted_at', 'id'])
    .execute();

  await db.schema
    .createTable('erp_reservations')
    .addColumn('document_id', 'uuid', (c) =>
      c.notNull().references('erp_stock_documents.id').onDelete('cascade'),
    )
    .addColumn('product_id', 'uuid', (c) => c.notNull().references('erp_products.id'))
    .addColumn('warehouse_id', 'uuid', (c) => c.notNull().references('erp_warehouses.id'))
    .addColumn('quantity', sql`numeric(18,3)`, (c) => c.notNull().check(sql`quantity > 0`))
    .addPrimaryKeyConstraint('erp_reservations_pk', ['document_id', 'product_id', 'warehouse_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const type of ['receipt', 'write_off', 'transfer', 'shipment', 'count']) {
    await sql`drop sequence ${sql.raw(`erp_seq_${type}`)}`.execute(db);
  }
  for (const table of [
    'erp_reservations',
    'erp_stock_ledger',
    'erp_stock_balances',
    'erp_stock_document_lines',
    'erp_stock_documents',
    'erp_warehouses',
    'erp_products',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
