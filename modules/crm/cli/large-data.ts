// Generates many clients (and three activities each) in SQL with generate_series, in batches,
// resuming where an earlier run stopped (rows are marked with source 'seed-large').
import { sql } from 'kysely';
import type { AnyDb } from '../../../db/database.js';

const CITIES = [
  'Toshkent',
  'Samarqand',
  'Buxoro',
  'Fargʻona',
  'Andijon',
  'Namangan',
  'Navoiy',
  'Qarshi',
  'Termiz',
  'Nukus',
  'Jizzax',
  'Guliston',
  'Urganch',
  'Chirchiq',
  'Qoʻqon',
  'Margʻilon',
];
const TRADES = [
  'Qurilish',
  'Agro',
  'Tekstil',
  'Savdo',
  'Logistika',
  'Invest',
  'Mebel',
  'Farm',
  'Avto',
  'Oziq-Ovqat',
  'Metall',
  'Energiya',
  'Kimyo',
  'Plastik',
  'Servis',
  'Trade',
];
const FORMS = ['MChJ', 'AJ', 'Group', 'XK', 'Invest MChJ', 'Trade'];
const SURNAMES = [
  'Karimov',
  'Rahimova',
  'Toʻxtayev',
  'Ismoilov',
  'Yoʻldosheva',
  'Qodirov',
  'Xolmatova',
  'Nazarov',
  'Saidova',
  'Mirzayev',
  'Ergasheva',
  'Abdullayev',
  'Hasanova',
  'Tursunov',
  'Usmonov',
  'Aliyev',
];
const GIVEN = [
  'Aziz',
  'Dilnoza',
  'Oʻktam',
  'Sardor',
  'Gulnoza',
  'Jamshid',
  'Nilufar',
  'Bobur',
  'Madina',
  'Sherzod',
  'Zarina',
  'Otabek',
  'Kamola',
  'Eldor',
  'Farrux',
  'Malika',
];
const REGIONS = ['QR', 'AN', 'BU', 'FA', 'JI', 'XO', 'NG', 'NW', 'QA', 'SA', 'SI', 'SU', 'TO', 'TK'];
const STATUSES = ['lead', 'prospect', 'active', 'inactive'];

const arr = (values: string[]) => sql`array[${sql.join(values)}]::text[]`;

export type LargeDataOptions = {
  clients: number;
  batch?: number;
  ownerIds: string[];
  say: (line: string) => void;
};

export async function generateLargeData(db: AnyDb, options: LargeDataOptions): Promise<void> {
  const batch = options.batch ?? 20_000;
  const existing = await sql<{
    n: number;
  }>`select count(*)::int as n from crm_clients where source = 'seed-large'`.execute(db);
  let done = Number(existing.rows[0]?.n ?? 0);
  if (done >= options.clients) {
    options.say(`crm: ${done} generated clients already there, nothing to add`);
    await sql`vacuum analyze crm_clients`.execute(db);
    await sql`vacuum analyze crm_search_keys`.execute(db);
    return;
  }
  const owners =
    options.ownerIds.length > 0
      ? sql`array[${sql.join(options.ownerIds)}]::uuid[]`
      : sql`array[null]::uuid[]`;
  const ownerCount = Math.max(1, options.ownerIds.length);
  const started = Date.now();
  while (done < options.clients) {
    const from = done;
    const to = Math.min(done + batch, options.clients);
    await sql`
      with g as (
        select i,
          case when i % 5 = 4 then 'person' else 'company' end as kind,
          case when i % 5 = 4
            then (${arr(SURNAMES)})[1 + i % 16] || ' ' || (${arr(GIVEN)})[1 + (i / 16) % 16] || ' ' || i
            else (${arr(CITIES)})[1 + i % 16] || ' ' || (${arr(TRADES)})[1 + (i / 16) % 16] || ' ' || (${arr(FORMS)})[1 + (i / 256) % 6] || ' ' || i
          end as name,
          case when i % 5 = 4 then (30000000000000 + i)::text else (300000000 + i)::text end as tax_id,
          '+9989' || (i % 10)::text || lpad(((i::bigint * 7919) % 10000000)::text, 7, '0') as phone
        from generate_series(${from}::int, ${to - 1}::int) as i
      ),
      c as (
        insert into crm_clients (kind, name, tax_id, region, industry, segment, source, status, owner_id,
          tags, phones, emails, search_text, created_at, updated_at)
        select kind, name, tax_id,
          (${arr(REGIONS)})[1 + (i / 3) % 14],
          (${arr(TRADES)})[1 + (i / 16) % 16],
          case when i % 3 = 0 then 'Yirik' when i % 3 = 1 then 'Oʻrta' else 'Kichik' end,
          'seed-large',
          (${arr(STATUSES)})[1 + (i / 7) % 4],
          (${owners})[1 + i % ${ownerCount}],
          case when i % 10 = 0 then '["vip"]'::jsonb else '[]'::jsonb end,
          jsonb_build_array(phone),
          jsonb_build_array('info' || i || '@mijoz.uz'),
          translate(lower(name), 'ʻʼ''', '') || ' ' || tax_id || ' ' || substr(phone, 2) || ' ' || substr(phone, 5)
            || ' info' || i || '@mijoz.uz',
          now() - make_interval(mins => i % 500000),
          now() - make_interval(mins => (i * 7) % 500000)
        from g
        returning id, owner_id, created_at, name, tax_id, phones->>0 as phone, emails->>0 as email
      ),
      k as (
        -- The keys searchKeysOf would compute: normalised name, tax id, phone digits, e-mail.
        insert into crm_search_keys (client_id, key)
        select c.id, key from c cross join lateral (values
          (btrim(regexp_replace(translate(lower(c.name), 'ʻʼ''', ''), '[[:space:]]+', ' ', 'g'))),
          (c.tax_id), (substr(c.phone, 2)), (substr(c.phone, 5)), (c.email)) as v(key)
      ),
      w as (
        insert into crm_search_words (word)
        select distinct w from c, regexp_split_to_table(translate(lower(c.name), 'ʻʼ''', ''), '[[:space:]]+') as w
        where length(w) between 3 and 50 and w !~ '[0-9@.]'
        on conflict do nothing
      )
      insert into crm_activities (type, subject, client_id, due_at, assignee_id, done, done_at, due_notified_at, created_at, updated_at)
      select (array['call', 'meeting', 'email', 'task'])[1 + k],
        'Generated activity ' || k,
        c.id,
        now() + make_interval(hours => ((abs(hashtext(c.id::text)) + k * 37) % 2000) - 1000),
        c.owner_id,
        k = 0,
        case when k = 0 then now() end,
        now(),
        c.created_at, c.created_at
      from c cross join generate_series(0, 2) as k
    `.execute(db);
    done = to;
    const seconds = (Date.now() - started) / 1000;
    options.say(
      `crm: ${done.toLocaleString('en')} / ${options.clients.toLocaleString('en')} clients, ${(done * 3).toLocaleString('en')} activities (${seconds.toFixed(0)} s)`,
    );
  }
  // Vacuum sets the visibility map, so counts can be answered from the index alone.
  await sql`vacuum analyze crm_clients`.execute(db);
  await sql`vacuum analyze crm_activities`.execute(db);
  await sql`vacuum analyze crm_search_keys`.execute(db);
}
