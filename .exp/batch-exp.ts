// Feasibility: PostgreSQL CPU per posting when postings are written in batches.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { startArguments } from '../scripts/build-server.js';

const base = 'postgres://postgres@127.0.0.1:5432/test';
const admin = new pg.Client({ connectionString: base });
await admin.connect();
const name = `onebox_exp_${randomBytes(4).toString('hex')}`;
await admin.query(`create database ${name}`);
const u = new URL(base); u.pathname = `/${name}`; const dbUrl = u.toString();
const child = spawn(process.execPath, await startArguments(), { cwd: process.cwd(), env: { ...process.env, DATABASE_URL: dbUrl, PORT: '0', HOST: '127.0.0.1', SKIP_WEB_BUILD: 'true', LOG_LEVEL: 'warn', ADMIN_EMAIL: 'bench@example.uz', ADMIN_PASSWORD: 'bench-parol-1' }, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
await new Promise<void>((res) => child.stdout!.on('data', (c) => { out += c; if (/running at/.test(out)) res(); }));
child.kill('SIGTERM'); await new Promise((r) => child.on('exit', r));
const db = new pg.Client({ connectionString: dbUrl }); await db.connect();
const wh = (await db.query(`insert into erp_warehouses (code, name) values ('B','B') returning id`)).rows[0].id;
const products: string[] = [];
for (let i = 0; i < 50; i++) products.push((await db.query(`insert into erp_products (sku, name, unit) values ($1,$1,'pcs') returning id`, [`B-${i}`])).rows[0].id);
for (const p of products) await db.query(`insert into erp_stock_balances (product_id, warehouse_id, quantity) values ($1,$2,100000000)`, [p, wh]);
const user = (await db.query(`select id from core_users limit 1`)).rows[0].id;

function cpuMs(pids: number[]) { let t = 0; for (const pid of pids) { try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); t += Number(f[11]) + Number(f[12]); } catch {} } return t * 10; }
async function pids(app: string) { return (await db.query(`select pid from pg_stat_activity where application_name = $1`, [app])).rows.map((r) => r.pid); }
const SECONDS = 4;
const hot = () => products[0]!;
const random = () => products[Math.floor(Math.random() * products.length)]!;

async function raw(pick: () => string) {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10, application_name: 'raw' });
  await Promise.all(Array.from({ length: 10 }, () => pool.query('select 1')));
  const p = await pids('raw'); const before = cpuMs(p); let done = 0; const until = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: 10 }, async () => { while (Date.now() < until) { const r = await pool.query(`update erp_stock_balances set quantity = quantity - 1 where product_id = $1 and warehouse_id = $2 and quantity - reserved >= 1`, [pick(), wh]); if (r.rowCount === 1) done++; } }));
  const cpu = cpuMs(p) - before; await pool.end();
  return { rate: done / SECONDS, cpu: cpu / done };
}

let seq = 0;
async function batched(pick: () => string, B: number, C: number) {
  const pool = new pg.Pool({ connectionString: dbUrl, max: C, application_name: 'batch' });
  await Promise.all(Array.from({ length: C }, () => pool.query('select 1')));
  const p = await pids('batch'); const before = cpuMs(p); let done = 0; const until = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: C }, async () => {
    const client = await pool.connect();
    while (Date.now() < until) {
      const docs = Array.from({ length: B }, () => ({ id: randomUUID(), line: randomUUID(), key: randomUUID(), product: pick() }));
      await client.query('begin');
      const claimed = await client.query({ name: 'claim', text: `insert into core_idempotency_keys (actor_key, key, fingerprint, response) select $1, k, 'fp', null from unnest($2::text[]) k on conflict do nothing returning key`, values: [user, docs.map((d) => d.key)] });
      const look = await client.query({ name: 'look', text: `select 'p' as kind, id, sku, active, unit from erp_products where id = any($1::uuid[]) union all select 'w', id, code, active, null from erp_warehouses where id = $2 union all select 'n', null, 'WO-' || lpad(nextval('erp_seq_write_off')::text, 6, '0'), null, null from generate_series(1, $3::int)`, values: [[...new Set(docs.map((d) => d.product))], wh, B] });
      const numbers = look.rows.filter((r) => r.kind === 'n').map((r) => r.sku);
      const keys = [...new Set(docs.map((d) => d.product))].sort();
      const locked = await client.query({ name: 'lock', text: `select product_id, quantity::text, reserved::text from erp_stock_balances where warehouse_id = $2 and product_id = any($1::uuid[]) order by product_id for update`, values: [keys, wh] });
      const bal = new Map(locked.rows.map((r) => [r.product_id, Number(r.quantity)]));
      const after: number[] = [];
      for (const d of docs) { const q = bal.get(d.product)! - 1; bal.set(d.product, q); after.push(q); }
      const now = new Date();
      await client.query({ name: 'write', text: `with
        docs as (insert into erp_stock_documents (id, number, type, status, date, warehouse_id, reason, created_by, posted_by, created_at, updated_at, posted_at)
          select id, num, 'write_off', 'posted', current_date, $3, 'damaged', $4, $4, $5, $5, $5 from unnest($1::uuid[], $2::text[]) as t(id, num)),
        lines as (insert into erp_stock_document_lines (id, document_id, line_no, product_id, quantity) select l, d, 1, p, 1 from unnest($6::uuid[], $1::uuid[], $7::uuid[]) as t(l, d, p)),
        ledger as (insert into erp_stock_ledger (document_id, line_id, product_id, warehouse_id, quantity, balance_after, posted_at) select d, l, p, $3, -1, a, $5 from unnest($1::uuid[], $6::uuid[], $7::uuid[], $8::numeric[]) as t(d, l, p, a)),
        bal as (update erp_stock_balances b set quantity = v.q, updated_at = $5 from unnest($9::uuid[], $10::numeric[]) as v(p, q) where b.product_id = v.p and b.warehouse_id = $3),
        audit as (insert into core_audit_log (actor_id, actor_name, action, entity, entity_id, before, after, request_id) select $4, 'bench@example.uz', 'erp.createStockDocument', 'stockDocument', d, null, jsonb_build_object('number', n), null from unnest($1::uuid[], $2::text[]) as t(d, n)),
        events as (insert into core_events (type, aggregate_type, aggregate_id, payload, actor_id) select 'erp.document.posted', 'stockDocument', d, jsonb_build_object('id', d), $4 from unnest($1::uuid[]) as t(d)),
        answers as (update core_idempotency_keys k set response = jsonb_build_object('id', v.d) from unnest($11::text[], $1::uuid[]) as v(k, d) where k.actor_key = $12 and k.key = v.k)
        select 1`, values: [docs.map((d) => d.id), numbers, wh, user, now, docs.map((d) => d.line), docs.map((d) => d.product), after, [...bal.keys()], [...bal.values()], docs.map((d) => d.key), user] });
      await client.query('commit');
      done += claimed.rowCount!;
    }
    client.release();
  }));
  const cpu = cpuMs(p) - before; await pool.end();
  return { rate: done / SECONDS, cpu: cpu / done };
}
try {
  for (const [label, pick] of [['hot', hot], ['random', random]] as const) {
    console.log(label, 'raw', await raw(pick));
    for (const [B, C] of [[1, 10], [5, 2], [10, 2], [10, 3], [20, 2]]) console.log(label, `batch B=${B} C=${C}`, await batched(pick, B, C));
  }
} finally { await db.end(); await admin.query(`drop database ${name} with (force)`); await admin.end(); }
