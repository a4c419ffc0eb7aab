// Import of clients from CSV or XLSX (preview, mapping, per-row errors, commit) and export of
// any filtered list. The uploaded rows live in crm_imports, so any server process can carry
// on an import another started; reading the file is the core's (server/core/table-file.ts).
import { z } from 'zod';
import { conflict, notFound, ruleViolation } from '../../server/core/errors.js';
import {
  csvSink,
  EXPORT_MAX_ROWS,
  EXPORT_PAGE,
  spreadsheetFile,
  spreadsheetFileSchema,
  spreadsheetFormat,
  xlsxSink,
} from '../../server/core/spreadsheet.js';
import { readUploadedTable, suggestColumnMapping, uploadedFileFields } from '../../server/core/table-file.js';
import type { Client } from './client-schema.js';
import { selectClients, toClient } from './client-schema.js';
import {
  clientListInput,
  createInput,
  filteredClients,
  findDuplicatesMany,
  orderClients,
} from './clients.js';
import {
  type Ctx,
  defineAction,
  PERMISSIONS,
  searchKeysOf,
  searchTextOf,
  taxIdProblem,
  writeSearchKeys,
} from './define.js';

export { MAX_FILE_BYTES, MAX_ROWS } from '../../server/core/table-file.js';

const SAMPLE_ROWS = 10;

export const importFields = [
  'name',
  'kind',
  'taxId',
  'region',
  'industry',
  'segment',
  'source',
  'status',
  'phones',
  'emails',
  'tags',
  'website',
  'address',
  'notes',
] as const;
type ImportField = (typeof importFields)[number];

const SYNONYMS: Record<ImportField, string[]> = {
  name: [
    'name',
    'nomi',
    'nom',
    'mijoz',
    'client',
    'company',
    'kompaniya',
    'наименование',
    'название',
    'клиент',
    'имя',
    'фио',
  ],
  kind: ['kind', 'type', 'turi', 'тип', 'вид'],
  taxId: ['taxid', 'tax id', 'inn', 'stir', 'pinfl', 'инн', 'пинфл', 'jshshir'],
  region: ['region', 'hudud', 'viloyat', 'регион', 'область'],
  industry: ['industry', 'soha', 'отрасль'],
  segment: ['segment', 'сегмент'],
  source: ['source', 'manba', 'источник'],
  status: ['status', 'holat', 'статус'],
  phones: ['phone', 'phones', 'telefon', 'tel', 'телефон', 'телефоны', 'mobile'],
  emails: ['email', 'e-mail', 'emails', 'pochta', 'e-pochta', 'почта', 'эл. почта'],
  tags: ['tags', 'tag', 'teglar', 'теги', 'метки'],
  website: ['website', 'site', 'web', 'sayt', 'сайт'],
  address: ['address', 'manzil', 'адрес'],
  notes: ['notes', 'note', 'izoh', 'комментарий', 'примечание', 'заметки'],
};

export function suggestMapping(columns: string[]): Record<string, ImportField | null> {
  return suggestColumnMapping(columns, importFields, SYNONYMS);
}

export const previewImport = defineAction({
  name: 'previewImport',
  description:
    'Reads a CSV or XLSX file (base64, at most 5 MB and 50 000 rows) and suggests how its columns map to client fields.',
  permission: PERMISSIONS.import,
  write: true,
  input: z.object(uploadedFileFields),
  output: z.object({
    importId: z.string(),
    columns: z.array(z.string()),
    sample: z.array(z.array(z.string())),
    suggestedMapping: z.record(z.string(), z.enum(importFields).nullable()),
    rows: z.number().int(),
  }),
  async run(ctx, input) {
    const { columns, rows } = await readUploadedTable(input.fileName, input.contentBase64);
    // Uploads older than a day are of no use to anyone: drop them as new ones come.
    await ctx.db
      .deleteFrom('crm_imports')
      .where('created_at', '<', new Date(Date.now() - 86_400_000))
      .execute();
    const row = await ctx.db
      .insertInto('crm_imports')
      .values({
        created_by: ctx.actor.id,
        file_name: input.fileName,
        columns: JSON.stringify(columns),
        rows: JSON.stringify(rows),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.audit({
      entity: 'import',
      entityId: row.id,
      before: null,
      after: { fileName: input.fileName, rows: rows.length, columns },
    });
    return {
      importId: row.id,
      columns,
      sample: rows.slice(0, SAMPLE_ROWS),
      suggestedMapping: suggestMapping(columns),
      rows: rows.length,
    };
  },
});

const mappingSchema = z.record(z.string(), z.enum(importFields).nullable());

type RowError = { row: number; field: string; message: string };
type CheckedRow = { row: number; input: z.output<typeof createInput> };

const KIND_WORDS: Record<string, 'company' | 'person'> = {
  company: 'company',
  kompaniya: 'company',
  tashkilot: 'company',
  компания: 'company',
  организация: 'company',
  юл: 'company',
  person: 'person',
  shaxs: 'person',
  'jismoniy shaxs': 'person',
  физлицо: 'person',
  'физ. лицо': 'person',
  фл: 'person',
};
const STATUS_WORDS: Record<string, string> = {
  lead: 'lead',
  lid: 'lead',
  лид: 'lead',
  prospect: 'prospect',
  потенциальный: 'prospect',
  active: 'active',
  faol: 'active',
  активный: 'active',
  inactive: 'inactive',
  nofaol: 'inactive',
  неактивный: 'inactive',
};
const list = (v: string) =>
  v
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** Checks every row against the client rules, in the file and against the database. */
async function checkRows(ctx: Ctx, importId: string, mapping: Record<string, ImportField | null>) {
  const stored = await ctx.db
    .selectFrom('crm_imports')
    .selectAll()
    .where('id', '=', importId)
    .where('created_by', ctx.actor.id === null ? 'is' : '=', ctx.actor.id)
    .executeTakeFirst();
  if (!stored) throw notFound('import', importId);
  if (stored.status === 'committed') throw conflict('IMPORT_ALREADY_COMMITTED');
  const field = new Map<ImportField, number>();
  stored.columns.forEach((c, i) => {
    const f = mapping[c];
    if (f && !field.has(f)) field.set(f, i);
  });
  if (!field.has('name')) throw ruleViolation('IMPORT_MAPPING_NAME');
  const regions = await ctx.db.selectFrom('crm_regions').select(['code', 'name']).execute();
  const regionOf = new Map<string, string>();
  for (const r of regions) {
    regionOf.set(r.code.toLowerCase(), r.code);
    regionOf.set(r.name.toLowerCase().replace(/[ʻʼ'`‘’]/g, ''), r.code);
  }
  const errors: RowError[] = [];
  const good: CheckedRow[] = [];
  const t = (code: string, params?: Record<string, string | number>) => ctx.translate(code, params);
  stored.rows.forEach((cells, index) => {
    const rowNo = index + 2; // the header is row 1, as the user sees the file
    const get = (f: ImportField) => {
      const i = field.get(f);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    const rowErrors: RowError[] = [];
    const taxId = get('taxId').replace(/\s/g, '');
    const kindText = get('kind').toLowerCase();
    let kind: 'company' | 'person' = taxId.length === 14 ? 'person' : 'company';
    if (kindText) {
      const k = KIND_WORDS[kindText];
      if (k) kind = k;
      else
        rowErrors.push({
          row: rowNo,
          field: 'kind',
          message: t('IMPORT_VALUE_INVALID', { value: get('kind') }),
        });
    }
    const statusText = get('status').toLowerCase();
    const status = statusText ? STATUS_WORDS[statusText] : 'lead';
    if (!status)
      rowErrors.push({
        row: rowNo,
        field: 'status',
        message: t('IMPORT_VALUE_INVALID', { value: get('status') }),
      });
    const regionText = get('region');
    const region = regionText ? regionOf.get(regionText.toLowerCase().replace(/[ʻʼ'`‘’]/g, '')) : undefined;
    if (regionText && !region) rowErrors.push({ row: rowNo, field: 'region', message: t('REGION_UNKNOWN') });
    if (!get('name')) rowErrors.push({ row: rowNo, field: 'name', message: t('IMPORT_NAME_REQUIRED') });
    const taxProblem = taxId ? taxIdProblem(kind, taxId) : null;
    if (taxProblem) rowErrors.push({ row: rowNo, field: 'taxId', message: t(taxProblem) });
    const parsed = createInput.safeParse({
      kind,
      name: get('name') || '-',
      taxId: taxId || null,
      region: region ?? null,
      industry: get('industry'),
      segment: get('segment'),
      source: get('source'),
      status: status ?? 'lead',
      phones: list(get('phones')),
      emails: list(get('emails')),
      tags: list(get('tags')),
      website: get('website'),
      address: get('address'),
      notes: get('notes'),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = String(issue.path[0] ?? '');
        rowErrors.push({
          row: rowNo,
          field: path,
          message: /^[A-Z_]+$/.test(issue.message) ? t(issue.message) : issue.message,
        });
      }
    }
    if (rowErrors.length > 0 || !parsed.success) errors.push(...rowErrors);
    else good.push({ row: rowNo, input: parsed.data });
  });
  // Duplicates: against the database in a few batched queries, and within the file.
  const known = await findDuplicatesMany(
    ctx.db,
    good.map((g) => g.input),
  );
  const seen = new Set<string>();
  const valid: CheckedRow[] = [];
  for (const g of good) {
    const keys = [
      g.input.taxId ? `t:${g.input.taxId}` : null,
      ...(g.input.phones ?? []).map((p) => `p:${p}`),
      ...(g.input.emails ?? []).map((e) => `e:${e}`),
    ].filter((k): k is string => k !== null);
    const clash = keys.find((k) => known.has(k) || seen.has(k));
    if (clash) {
      const name = known.get(clash) ?? '';
      errors.push({
        row: g.row,
        field: clash.startsWith('t:') ? 'taxId' : clash.startsWith('p:') ? 'phones' : 'emails',
        message: t('CLIENT_DUPLICATE', { name }),
      });
      continue;
    }
    for (const k of keys) seen.add(k);
    valid.push(g);
  }
  errors.sort((a, b) => a.row - b.row);
  return { stored, errors, valid };
}

const MAX_ERRORS_SHOWN = 1000;

export const validateImport = defineAction({
  name: 'validateImport',
  description:
    'Checks every row of an uploaded file with a column mapping: the count of valid rows and each error by row and field.',
  permission: PERMISSIONS.import,
  write: false,
  input: z.object({ importId: z.uuid(), mapping: mappingSchema }),
  output: z.object({
    rows: z.number().int(),
    valid: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
  }),
  async run(ctx, input) {
    const { stored, errors, valid } = await checkRows(ctx, input.importId, input.mapping);
    return { rows: stored.rows.length, valid: valid.length, errors: errors.slice(0, MAX_ERRORS_SHOWN) };
  },
});

const INSERT_BATCH = 500;

export const commitImport = defineAction({
  name: 'commitImport',
  description:
    'Creates the clients of an uploaded file; refused (422 IMPORT_HAS_ERRORS) while rows have errors unless skipInvalid.',
  permission: PERMISSIONS.import,
  write: true,
  input: z.object({ importId: z.uuid(), mapping: mappingSchema, skipInvalid: z.boolean().default(false) }),
  output: z.object({ created: z.number().int(), skipped: z.number().int() }),
  async run(ctx, input) {
    const { stored, errors, valid } = await checkRows(ctx, input.importId, input.mapping);
    if (errors.length > 0 && !input.skipInvalid) {
      const rows = new Set(errors.map((e) => e.row)).size;
      throw ruleViolation('IMPORT_HAS_ERRORS', { errors: errors.slice(0, 100), rows }, { count: rows });
    }
    for (let i = 0; i < valid.length; i += INSERT_BATCH) {
      const batch = valid.slice(i, i + INSERT_BATCH);
      const ids = await ctx.db
        .insertInto('crm_clients')
        .values(
          batch.map(({ input: c }) => ({
            kind: c.kind,
            name: c.name,
            tax_id: c.taxId ?? null,
            region: c.region ?? null,
            industry: c.industry ?? null,
            segment: c.segment ?? null,
            source: c.source ?? null,
            status: c.status ?? 'lead',
            owner_id: ctx.actor.id,
            tags: JSON.stringify(c.tags ?? []),
            phones: JSON.stringify(c.phones ?? []),
            emails: JSON.stringify(c.emails ?? []),
            website: c.website ?? null,
            address: c.address ?? null,
            notes: c.notes ?? null,
            search_text: searchTextOf({
              name: c.name,
              taxId: c.taxId ?? null,
              phones: c.phones ?? [],
              emails: c.emails ?? [],
              contacts: [],
            }),
          })),
        )
        .returning(['id', 'name'])
        .execute();
      // INSERT ... VALUES returns its rows in the order given.
      await writeSearchKeys(
        ctx.db,
        ids.map((r, j) => {
          const c = batch[j]!.input;
          const source = {
            name: c.name,
            taxId: c.taxId ?? null,
            phones: c.phones ?? [],
            emails: c.emails ?? [],
          };
          return { id: r.id, keys: searchKeysOf({ ...source, contacts: [] }) };
        }),
      );
      await ctx.db
        .insertInto('crm_timeline')
        .values(
          ids.map((r) => ({
            client_id: r.id,
            at: new Date(),
            kind: 'created' as const,
            title: r.name,
            detail: stored.file_name,
            actor_name: ctx.actor.name,
            link_type: 'client',
            link_id: r.id,
            source_key: null,
          })),
        )
        .execute();
    }
    const skipped = stored.rows.length - valid.length;
    await ctx.db
      .updateTable('crm_imports')
      .set({ status: 'committed', rows: '[]' })
      .where('id', '=', input.importId)
      .execute();
    await ctx.audit({
      entity: 'import',
      entityId: input.importId,
      before: { status: 'open' },
      after: { status: 'committed', fileName: stored.file_name, created: valid.length, skipped },
    });
    return { created: valid.length, skipped };
  },
});

// Export

const EXPORT_COLUMNS: [string, (c: Client) => string][] = [
  ['name', (c) => c.name],
  ['kind', (c) => c.kind],
  ['taxId', (c) => c.taxId ?? ''],
  ['status', (c) => c.status],
  ['region', (c) => c.region ?? ''],
  ['industry', (c) => c.industry ?? ''],
  ['segment', (c) => c.segment ?? ''],
  ['source', (c) => c.source ?? ''],
  ['owner', (c) => c.ownerName ?? ''],
  ['phones', (c) => c.phones.join(', ')],
  ['emails', (c) => c.emails.join(', ')],
  ['tags', (c) => c.tags.join(', ')],
  ['website', (c) => c.website ?? ''],
  ['address', (c) => c.address ?? ''],
  ['notes', (c) => c.notes ?? ''],
  ['createdAt', (c) => c.createdAt],
];

export const exportClients = defineAction({
  name: 'exportClients',
  description: 'Every client of a filtered list (the list filters, at most 200 000 rows) as CSV or XLSX.',
  permission: PERMISSIONS.clientsRead,
  write: false,
  input: clientListInput.omit({ limit: true, offset: true }).extend({ format: spreadsheetFormat }),
  output: spreadsheetFileSchema,
  async run(ctx, input) {
    // A search exports all its hits up to the export's own limit, not the list's candidate cap.
    const { query, hits } = await filteredClients(
      ctx.db,
      ctx.actor,
      { ...input, limit: EXPORT_PAGE, offset: 0 },
      EXPORT_MAX_ROWS,
    );
    const relevance = hits?.score ?? null;
    const sink = input.format === 'csv' ? csvSink() : await xlsxSink('Clients');
    sink.add([EXPORT_COLUMNS.map(([name]) => name)]);
    // The order first, as ids only; then the rows a page of ids at a time. Paging the full rows
    // with OFFSET made PostgreSQL compute every skipped row again for each page (200 000 clients
    // took 35-49 s; the rows' subqueries ran for the skipped rows too).
    const order = await orderClients(query, input.sort, relevance)
      .clearSelect()
      .select('c.id')
      .limit(EXPORT_MAX_ROWS)
      .execute();
    const ids = order.map((r) => r.id);
    let exported = 0;
    for (let start = 0; start < ids.length; start += EXPORT_PAGE) {
      const page = ids.slice(start, start + EXPORT_PAGE);
      const found = await selectClients(ctx.db).where('c.id', 'in', page).execute();
      const byId = new Map(found.map((row) => [row.id, row]));
      // A client deleted since the ids were read is left out.
      const cells = page.flatMap((id) => {
        const row = byId.get(id);
        return row ? [EXPORT_COLUMNS.map(([, get]) => get(toClient(row)))] : [];
      });
      sink.add(cells);
      exported += cells.length;
    }
    return spreadsheetFile(sink, 'clients', input.format, exported);
  },
});
