// Products from a CSV or XLSX file (a catalogue kept in Excel or exported from another system):
// each row a product by SKU, new ones added and known ones updated, with optional opening stock
// and unit cost columns that become one priced receipt draft to post. One call checks the file (nothing is
// written), the same call with `commit` writes it: the browser keeps the file, the server none.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import { conflict, ruleViolation } from '../../../server/core/errors.js';
import {
  readUploadedTable,
  suggestColumnMapping,
  uploadedFileFields,
} from '../../../server/core/table-file.js';
import type { Unit } from '../schema.js';
import { type Ctx, defineAction } from './define.js';
import { createDraft } from './documents.js';
import { isUniqueViolation } from './products.js';
import { checkPrice, checkQuantity, formatMilli, toMilli } from './quantity.js';
import { formatValue, lineValue, valueFromDb } from './valuation.js';

export const productImportFields = [
  'sku',
  'name',
  'unit',
  'barcode',
  'reorderLevel',
  'openingStock',
  'cost',
] as const;
type Field = (typeof productImportFields)[number];

// Headers as people write them in the three languages (compared by headerKey: lower case, no apostrophes).
const SYNONYMS: Record<Field, string[]> = {
  sku: ['artikul', 'article', 'код', 'артикул', 'kod', 'code', 'item code', 'sku code'],
  name: ['nomi', 'nom', 'mahsulot', 'tovar', 'product', 'наименование', 'название', 'товар', 'номенклатура'],
  unit: ['birlik', 'olchov birligi', 'ед. изм.', 'ед.изм.', 'ед. изм', 'единица', 'единица измерения', 'uom'],
  barcode: ['shtrix-kod', 'shtrixkod', 'shtrix kod', 'штрихкод', 'штрих-код', 'ean', 'bar code'],
  reorderLevel: [
    'reorder level',
    'min',
    'minimum',
    'qayta buyurtma',
    'qayta buyurtma darajasi',
    'точка заказа',
    'мин. остаток',
    'минимальный остаток',
  ],
  openingStock: [
    'opening stock',
    'stock',
    'quantity',
    'qty',
    'qoldiq',
    'miqdor',
    'остаток',
    'количество',
    'кол-во',
    'начальный остаток',
  ],
  // Not a bare "price" / "цена": in an exported catalogue that is usually the selling price.
  cost: [
    'cost',
    'unit cost',
    'cost price',
    'purchase price',
    'tannarx',
    'tannarxi',
    'kirim narxi',
    'xarid narxi',
    'себестоимость',
    'закупочная цена',
    'цена закупки',
    'цена поступления',
  ],
};

const UNIT_WORDS: Record<string, Unit> = {};
for (const [unit, words] of Object.entries({
  pcs: ['pcs', 'pc', 'dona', 'ta', 'шт', 'шт.', 'штук', 'штука', 'piece', 'pieces'],
  kg: ['kg', 'кг', 'kilogramm', 'килограмм', 'kilogram'],
  l: ['l', 'л', 'litr', 'литр', 'liter', 'litre'],
  m: ['m', 'м', 'metr', 'метр', 'meter', 'metre'],
}) as [Unit, string[]][])
  for (const word of words) UNIT_WORDS[word] = unit;

const SKU = /^[\p{L}\p{N}._/-]{1,64}$/u;
const BARCODE = /^[0-9A-Za-z-]{4,64}$/;
const SAMPLE_ROWS = 10;
const MAX_ERRORS = 1000;
const INSERT_BATCH = 500;

type RowError = { row: number; field: string; message: string };
type Row = {
  row: number;
  sku: string;
  name: string;
  unit: Unit;
  barcode: string | null;
  reorderLevel: string | null;
  openingStock: string | null;
  /** Per unit of the opening stock, numeric text with 2 decimals. */
  cost: string | null;
};
type Existing = { id: string; sku: string; unit: Unit; barcode: string | null; used: boolean };

/** "1 250,5" as people type it -> "1250.5". */
const numberText = (text: string) => text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');

/** Checks every row in the file and against the products there are; nothing is written. */
async function checkRows(
  ctx: Ctx,
  columns: string[],
  cells: string[][],
  mapping: Record<string, Field | null>,
) {
  const column = new Map<Field, number>();
  columns.forEach((c, i) => {
    const f = mapping[c];
    if (f && !column.has(f)) column.set(f, i);
  });
  const missing = (['sku', 'name'] as const).filter((f) => !column.has(f));
  if (missing.length > 0)
    throw ruleViolation('IMPORT_MAPPING_REQUIRED', { fields: missing }, { fields: missing.join(', ') });
  const t = (code: string, params?: Record<string, string | number>) => ctx.translate(code, params);

  const skus = [...new Set(cells.map((r) => (r[column.get('sku')!] ?? '').toLowerCase()).filter(Boolean))];
  const existing = new Map<string, Existing>();
  for (let i = 0; i < skus.length; i += INSERT_BATCH) {
    const found = await ctx.db
      .selectFrom('erp_products as p')
      .select([
        'p.id',
        'p.sku',
        'p.unit',
        'p.barcode',
        sql<boolean>`exists (select 1 from erp_stock_ledger l where l.product_id = p.id)`.as('used'),
      ])
      .where(sql`lower(p.sku)`, 'in', skus.slice(i, i + INSERT_BATCH))
      .execute();
    for (const p of found) existing.set(p.sku.toLowerCase(), p);
  }
  const barcodes = [
    ...new Set(
      column.has('barcode') ? cells.map((r) => r[column.get('barcode')!] ?? '').filter(Boolean) : [],
    ),
  ];
  const barcodeOwner = new Map<string, string>();
  for (let i = 0; i < barcodes.length; i += INSERT_BATCH) {
    const found = await ctx.db
      .selectFrom('erp_products')
      .select(['id', 'barcode'])
      .where('barcode', 'in', barcodes.slice(i, i + INSERT_BATCH))
      .execute();
    for (const p of found) if (p.barcode) barcodeOwner.set(p.barcode, p.id);
  }

  const errors: RowError[] = [];
  const valid: Row[] = [];
  const skuRow = new Map<string, number>();
  const barcodeRow = new Map<string, number>();
  cells.forEach((cellsOfRow, index) => {
    const row = index + 2; // the header is row 1, as people see the file
    const get = (f: Field) => {
      const i = column.get(f);
      return i === undefined ? '' : (cellsOfRow[i] ?? '').trim();
    };
    const problems: RowError[] = [];
    const problem = (field: Field, message: string) => problems.push({ row, field, message });

    const sku = get('sku');
    if (!sku) problem('sku', t('PRODUCT_IMPORT_EMPTY'));
    else if (!SKU.test(sku)) problem('sku', t('SKU_INVALID'));
    else if (skuRow.has(sku.toLowerCase()))
      problem('sku', t('IMPORT_DUPLICATE_IN_FILE', { row: skuRow.get(sku.toLowerCase())! }));
    const name = get('name');
    if (!name) problem('name', t('PRODUCT_IMPORT_EMPTY'));
    else if (name.length > 200) problem('name', t('PRODUCT_IMPORT_TOO_LONG', { max: 200 }));

    const known = sku ? existing.get(sku.toLowerCase()) : undefined;
    const unitText = get('unit');
    const unit: Unit | undefined = unitText ? UNIT_WORDS[unitText.toLowerCase()] : (known?.unit ?? 'pcs');
    if (!unit) problem('unit', t('IMPORT_UNIT_UNKNOWN', { value: unitText }));
    else if (known && unit !== known.unit && known.used) problem('unit', t('UNIT_LOCKED'));

    const barcode = get('barcode') || null;
    if (barcode) {
      const owner = barcodeOwner.get(barcode);
      if (!BARCODE.test(barcode)) problem('barcode', t('BARCODE_INVALID'));
      else if (barcodeRow.has(barcode))
        problem('barcode', t('IMPORT_DUPLICATE_IN_FILE', { row: barcodeRow.get(barcode)! }));
      else if (owner && owner !== known?.id) problem('barcode', t('BARCODE_TAKEN', { barcode }));
    }

    const quantityOf = (field: 'reorderLevel' | 'openingStock'): string | null => {
      const text = numberText(get(field));
      if (!text || !unit) return null;
      const checked = checkQuantity(text, unit, true);
      if (typeof checked !== 'bigint') {
        problem(field, t(checked));
        return null;
      }
      return formatMilli(checked, 3);
    };
    const reorderLevel = quantityOf('reorderLevel');
    const openingStock = quantityOf('openingStock');
    const costText = numberText(get('cost'));
    const cost = costText ? checkPrice(costText, openingStock === null ? 0n : toMilli(openingStock)) : null;
    if (typeof cost === 'string') problem('cost', t(cost));

    if (sku) skuRow.set(sku.toLowerCase(), skuRow.get(sku.toLowerCase()) ?? row);
    if (barcode) barcodeRow.set(barcode, barcodeRow.get(barcode) ?? row);
    if (problems.length > 0 || !unit) errors.push(...problems);
    else
      valid.push({
        row,
        sku,
        name,
        unit,
        barcode,
        reorderLevel,
        openingStock,
        cost: typeof cost === 'bigint' ? formatValue(cost) : null,
      });
  });
  return { errors, valid, existing };
}

/** Someone added one of these SKUs or barcodes since the file was checked: check it again. */
function changedMeanwhile(error: unknown): never {
  if (isUniqueViolation(error)) throw conflict('PRODUCTS_CHANGED_DURING_IMPORT');
  throw error;
}

const mappingSchema = z.record(z.string().max(300), z.enum(productImportFields).nullable());

const fileInput = {
  ...uploadedFileFields,
  /** Column -> field; without it the columns are matched by their headers. */
  mapping: mappingSchema.optional(),
};

const checkOutput = z.object({
  columns: z.array(z.string()),
  sample: z.array(z.array(z.string())),
  mapping: z.record(z.string(), z.enum(productImportFields).nullable()),
  rows: z.number().int(),
  valid: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
  /** Valid rows with an opening stock: a commit drafts a receipt of them. */
  withOpeningStock: z.number().int(),
  /** What the opening stock is worth at the file's unit costs; null when no such row has one. */
  openingStockValue: z.string().nullable(),
  /** Valid rows with a cost but no opening stock: a cost only prices stock coming in, so theirs is not kept. */
  costsNotKept: z.number().int(),
});

/** The opening stock's value at the rows' costs (rows without a cost add nothing). */
function openingValue(stocked: Row[]): string | null {
  const priced = stocked.filter((r) => r.cost !== null);
  if (priced.length === 0) return null;
  let sum = 0n;
  for (const r of priced) {
    sum += lineValue(toMilli(r.openingStock!), valueFromDb(r.cost!));
  }
  return formatValue(sum);
}

/** Reads the file and checks its rows with the mapping given (or guessed from the headers). */
async function readAndCheck(ctx: Ctx, input: z.output<z.ZodObject<typeof fileInput>>) {
  const { columns, rows } = await readUploadedTable(input.fileName, input.contentBase64);
  const mapping = input.mapping
    ? Object.fromEntries(columns.map((c) => [c, input.mapping?.[c] ?? null]))
    : suggestColumnMapping(columns, productImportFields, SYNONYMS);
  const { errors, valid, existing } = await checkRows(ctx, columns, rows, mapping);
  const hasStock = (r: Row) => r.openingStock !== null && r.openingStock !== '0.000';
  const stocked = valid.filter(hasStock);
  const answer: z.output<typeof checkOutput> = {
    columns,
    sample: rows.slice(0, SAMPLE_ROWS),
    mapping,
    rows: rows.length,
    valid: valid.length,
    errors: errors.slice(0, MAX_ERRORS),
    withOpeningStock: stocked.length,
    openingStockValue: openingValue(stocked),
    costsNotKept: valid.filter((r) => r.cost !== null && !hasStock(r)).length,
  };
  return { answer, errors, valid, existing, stocked, mapping };
}

export const checkProductImport = defineAction({
  name: 'checkProductImport',
  description:
    'Checks a CSV or XLSX file of products (base64, at most 5 MB and 50 000 rows) without writing anything: how its columns map to product fields (guessed from the headers in uz/ru/en unless given), and each problem by row and field.',
  permission: 'erp.products.write',
  write: false,
  input: z.object(fileInput),
  output: checkOutput,
  async run(ctx, input) {
    return (await readAndCheck(ctx, input)).answer;
  },
});

export const importProducts = defineAction({
  name: 'importProducts',
  description:
    'Writes the products of a CSV or XLSX file (as checkProductImport reads it): new SKUs added, known ones updated; an opening stock column drafts one receipt into `warehouseId`, priced by a unit cost column when the file has one. Refused (422 IMPORT_HAS_ERRORS) while any row has a problem, unless `skipInvalid`.',
  permission: 'erp.products.write',
  write: true,
  input: z.object({
    ...fileInput,
    warehouseId: z.uuid().nullable().optional(),
    skipInvalid: z.boolean().default(false),
  }),
  output: checkOutput.extend({
    created: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int(),
    /** The receipt draft of the opening stock, when the file had any. */
    openingStockDraft: z.object({ id: z.string(), number: z.string() }).nullable(),
  }),
  async run(ctx, input) {
    const { answer, errors, valid, existing, stocked, mapping } = await readAndCheck(ctx, input);
    if (errors.length > 0 && !input.skipInvalid) {
      const bad = new Set(errors.map((e) => e.row)).size;
      throw ruleViolation('IMPORT_HAS_ERRORS', { errors: errors.slice(0, 100), rows: bad }, { count: bad });
    }
    if (stocked.length > 0 && !input.warehouseId)
      throw ruleViolation('OPENING_STOCK_WAREHOUSE', { field: 'warehouseId' });

    const fresh = valid.filter((r) => !existing.has(r.sku.toLowerCase()));
    const idOf = new Map<string, string>();
    for (let i = 0; i < fresh.length; i += INSERT_BATCH) {
      const inserted = await ctx.db
        .insertInto('erp_products')
        .values(
          fresh.slice(i, i + INSERT_BATCH).map((r) => ({
            sku: r.sku,
            name: r.name,
            unit: r.unit,
            barcode: r.barcode,
            reorder_level: r.reorderLevel ?? '0',
          })),
        )
        .returning(['id', 'sku'])
        .execute()
        .catch(changedMeanwhile);
      for (const p of inserted) idOf.set(p.sku.toLowerCase(), p.id);
    }
    const known = valid.filter((r) => existing.has(r.sku.toLowerCase()));
    const has = (field: Field) => Object.values(mapping).includes(field);
    for (const r of known) idOf.set(r.sku.toLowerCase(), existing.get(r.sku.toLowerCase())!.id);
    // One statement per batch: a file that updates 20 000 products took 6 s row by row.
    for (let i = 0; i < known.length; i += INSERT_BATCH) {
      const values = known.slice(i, i + INSERT_BATCH).map((r) => ({
        id: idOf.get(r.sku.toLowerCase()),
        name: r.name,
        unit: r.unit,
        barcode: r.barcode,
        reorder_level: r.reorderLevel ?? '0',
      }));
      await sql`
        update erp_products p set
          name = v.name,
          unit = v.unit,
          -- A column the file does not have leaves the product's value as it is.
          barcode = case when ${has('barcode')} then v.barcode else p.barcode end,
          reorder_level = case when ${has('reorderLevel')} then v.reorder_level else p.reorder_level end,
          updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
          as v(id uuid, name text, unit text, barcode text, reorder_level numeric)
        where p.id = v.id`
        .execute(ctx.db)
        .catch(changedMeanwhile);
    }

    let openingStockDraft: { id: string; number: string } | null = null;
    if (stocked.length > 0 && input.warehouseId) {
      const id = await createDraft(ctx, {
        type: 'receipt',
        warehouseId: input.warehouseId,
        comment: ctx.translate('OPENING_STOCK_COMMENT', { file: input.fileName.slice(0, 200) }),
        lines: stocked.map((r) => ({
          productId: idOf.get(r.sku.toLowerCase())!,
          quantity: r.openingStock!,
          price: r.cost,
        })),
      });
      const draft = await ctx.db
        .selectFrom('erp_stock_documents')
        .select(['id', 'number'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      openingStockDraft = draft;
    }
    const outcome = {
      created: fresh.length,
      updated: known.length,
      skipped: answer.rows - valid.length,
    };
    await ctx.audit({
      entity: 'productImport',
      entityId: randomUUID(),
      before: null,
      after: { fileName: input.fileName, ...outcome, openingStockDraft: openingStockDraft?.number ?? null },
    });
    return { ...answer, ...outcome, openingStockDraft };
  },
});
