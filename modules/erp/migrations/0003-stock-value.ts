import { type Kysely, sql } from 'kysely';

// Stock value at the weighted average cost, per (product, warehouse): on the balance row and on
// every ledger entry (the value it moved). Stock posted before this migration is valued by
// replaying its ledger in order under the rules posting follows from now on (receipts and
// counts at their line's price or else the average, transfers carry what left the source,
// a reversal moves back the value its original moved (what it takes out at most what is
// there), everything else that goes out takes its share of the average), so a database that
// already holds stock starts out consistent.
// The rules are written out here, not imported, so that later changes to posting cannot
// change what this migration did.

const BATCH = 5000;

type Entry = {
  id: string;
  document_id: string;
  product_id: string;
  warehouse_id: string;
  quantity: string;
  price: string | null;
  line_no: number | null;
  type: string;
  reversal_of_id: string | null;
};

const milli = (text: string) => {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole! + fraction.padEnd(3, '0').slice(0, 3));
  return text.startsWith('-') ? -value : value;
};
const tiyin = (text: string) => {
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole! + fraction.padEnd(2, '0').slice(0, 2));
  return text.startsWith('-') ? -value : value;
};
const share = (whole: bigint, part: bigint, of: bigint) => (2n * whole * part + of) / (2n * of);
const text = (value: bigint) => {
  const digits = (value < 0n ? -value : value).toString().padStart(3, '0');
  return `${value < 0n ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table erp_stock_balances add column value numeric(20,2) not null default 0`.execute(db);
  await sql`alter table erp_stock_ledger add column value numeric(20,2) not null default 0`.execute(db);

  const balances = new Map<string, { quantity: bigint; value: bigint }>();
  // The value each entry of a later reversed document moved, to give it back exactly.
  const reversed = new Set(
    (
      await sql<{ id: string }>`select id from erp_stock_documents where reversed_by_id is not null`.execute(
        db,
      )
    ).rows.map((r) => r.id),
  );
  const moved = new Map<string, bigint>();
  let lastId = '0';
  let lastOut = 0n;
  for (;;) {
    const { rows } = await sql<Entry>`
      select e.id::text, e.document_id, e.product_id, e.warehouse_id, e.quantity::text, l.price::text,
        l.line_no, d.type, d.reversal_of_id
      from erp_stock_ledger e
      join erp_stock_documents d on d.id = e.document_id
      left join erp_stock_document_lines l on l.id = e.line_id
      where e.id > ${lastId}::bigint
      order by e.id
      limit ${BATCH}`.execute(db);
    if (rows.length === 0) break;
    const ids: string[] = [];
    const values: string[] = [];
    for (const e of rows) {
      const key = `${e.product_id}|${e.warehouse_id}`;
      const balance = balances.get(key) ?? { quantity: 0n, value: 0n };
      const delta = milli(e.quantity);
      let value: bigint;
      if (delta < 0n) {
        const original = e.reversal_of_id ? moved.get(`${e.reversal_of_id}|${e.line_no}|${key}`) : undefined;
        if (-delta >= balance.quantity) value = -balance.value;
        else if (original !== undefined) value = original < balance.value ? -original : -balance.value;
        else value = -share(balance.value, -delta, balance.quantity);
        lastOut = -value;
      } else if (e.reversal_of_id) {
        const original = moved.get(`${e.reversal_of_id}|${e.line_no}|${key}`);
        value =
          original !== undefined
            ? -original
            : balance.quantity > 0n
              ? share(balance.value, delta, balance.quantity)
              : 0n;
      } else if (e.type === 'transfer') value = lastOut;
      else if ((e.type === 'receipt' || e.type === 'count') && e.price !== null)
        value = share(delta, tiyin(e.price), 1000n);
      else value = balance.quantity > 0n ? share(balance.value, delta, balance.quantity) : 0n;
      balance.quantity += delta;
      balance.value += value;
      balances.set(key, balance);
      if (reversed.has(e.document_id)) moved.set(`${e.document_id}|${e.line_no}|${key}`, value);
      if (value !== 0n) {
        ids.push(e.id);
        values.push(text(value));
      }
    }
    if (ids.length > 0) {
      await sql`update erp_stock_ledger e set value = v.value
        from unnest(${ids}::bigint[], ${values}::numeric[]) as v (id, value) where e.id = v.id`.execute(db);
    }
    lastId = rows[rows.length - 1]!.id;
  }

  const valued = [...balances].filter(([, b]) => b.value !== 0n);
  for (let at = 0; at < valued.length; at += BATCH) {
    const part = valued.slice(at, at + BATCH);
    await sql`update erp_stock_balances b set value = v.value
      from unnest(${part.map(([k]) => k.split('|')[0]!)}::uuid[], ${part.map(([k]) => k.split('|')[1]!)}::uuid[],
        ${part.map(([, b]) => text(b.value))}::numeric[]) as v (product_id, warehouse_id, value)
      where b.product_id = v.product_id and b.warehouse_id = v.warehouse_id and b.quantity > 0`.execute(db);
  }
  await sql`alter table erp_stock_balances add constraint erp_stock_balances_value
    check (value >= 0 and (quantity > 0 or value = 0))`.execute(db);
}
