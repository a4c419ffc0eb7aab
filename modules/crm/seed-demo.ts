// Demo data for `npm run seed:demo`: about 60 believable Uzbek clients (companies and
// persons) owned by the demo sales managers, with contacts, deals across the stages and
// activities (some overdue, some today), and service requests in every status. Clients carry fixed tax ids, so a second run adds nothing.
import { sql } from 'kysely';
import type { ActionContext } from '../../server/core/module.js';
import { tashkentDay } from '../../server/core/tashkent-time.js';
import { seedDemoCampaigns } from './seed-demo-campaigns.js';
import { seedDemoTicket } from './seed-demo-tickets.js';

const COMPANIES: [string, string, string, string][] = [
  // name, region, industry, segment
  ['Toshkent Qurilish Invest MChJ', 'TK', 'Qurilish', 'Yirik'],
  ['Samarqand Agro Trade', 'SA', 'Qishloq xoʻjaligi', 'Oʻrta'],
  ['Buxoro Oltin Gilam', 'BU', 'Toʻqimachilik', 'Kichik'],
  ['Fargʻona Yogʻ Ekstrakt AJ', 'FA', 'Oziq-ovqat', 'Yirik'],
  ['Andijon Avto Ehtiyot MChJ', 'AN', 'Avtomobil', 'Oʻrta'],
  ['Namangan Tekstil Group', 'NG', 'Toʻqimachilik', 'Yirik'],
  ['Navoiy Kon Servis', 'NW', 'Kon sanoati', 'Oʻrta'],
  ['Qarshi Gaz Montaj MChJ', 'QA', 'Energetika', 'Oʻrta'],
  ['Xorazm Sifat Savdo', 'XO', 'Savdo', 'Kichik'],
  ['Jizzax Don Mahsulotlari', 'JI', 'Oziq-ovqat', 'Oʻrta'],
  ['Guliston Paxta Tozalash', 'SI', 'Qishloq xoʻjaligi', 'Yirik'],
  ['Termiz Logistika Markazi', 'SU', 'Logistika', 'Oʻrta'],
  ['Nukus Baliq Mahsulotlari', 'QR', 'Oziq-ovqat', 'Kichik'],
  ['Chirchiq Metall Konstruksiya', 'TO', 'Metallurgiya', 'Oʻrta'],
  ['Olmaliq Kimyo Savdo', 'TO', 'Kimyo', 'Yirik'],
  ['Qoʻqon Mebel Fabrikasi', 'FA', 'Mebel', 'Oʻrta'],
  ['Margʻilon Ipak Yoʻli MChJ', 'FA', 'Toʻqimachilik', 'Kichik'],
  ['Urganch Qurilish Materiallari', 'XO', 'Qurilish', 'Oʻrta'],
  ['Shahrisabz Meva Eksport', 'QA', 'Qishloq xoʻjaligi', 'Oʻrta'],
  ['Kattaqoʻrgʻon Yogʻ Zavodi', 'SA', 'Oziq-ovqat', 'Oʻrta'],
  ['Toshkent Farm Distribyutsiya', 'TK', 'Farmatsevtika', 'Yirik'],
  ['Sergeli Plastik Quvurlar', 'TK', 'Qurilish', 'Oʻrta'],
  ['Yunusobod IT Yechimlar', 'TK', 'Axborot texnologiyalari', 'Kichik'],
  ['Chilonzor Oziq-Ovqat Savdo', 'TK', 'Savdo', 'Kichik'],
  ['Bekobod Sement Savdo', 'TO', 'Qurilish', 'Yirik'],
  ['Angren Koʻmir Servis', 'TO', 'Energetika', 'Oʻrta'],
  ['Denov Agro Klaster', 'SU', 'Qishloq xoʻjaligi', 'Oʻrta'],
  ['Zarafshon Oltin Texnika', 'NW', 'Kon sanoati', 'Yirik'],
  ['Gijduvon Kulolchilik', 'BU', 'Hunarmandchilik', 'Kichik'],
  ['Xiva Turizm Servis', 'XO', 'Turizm', 'Kichik'],
  ['Asaka Avto Komponent', 'AN', 'Avtomobil', 'Yirik'],
  ['Chust Pichoq Ustaxonasi', 'NG', 'Hunarmandchilik', 'Kichik'],
  ['Qoʻngʻirot Soda Savdo', 'QR', 'Kimyo', 'Oʻrta'],
  ['Sirdaryo Issiqxona Mahsulotlari', 'SI', 'Qishloq xoʻjaligi', 'Kichik'],
  ['Jizzax Sanoat Parki Servis', 'JI', 'Xizmatlar', 'Oʻrta'],
  ['Buxoro Neft Xizmatlari', 'BU', 'Energetika', 'Yirik'],
  ['Samarqand Darvoza Mehmonxonasi', 'SA', 'Turizm', 'Oʻrta'],
  ['Toshkent Elektr Jihozlari', 'TK', 'Elektrotexnika', 'Oʻrta'],
  ['Fargʻona Qogʻoz Mahsulotlari', 'FA', 'Qogʻoz', 'Kichik'],
  ['Navoiy Azot Savdo Uyi', 'NW', 'Kimyo', 'Yirik'],
  ['Andijon Sut Mahsulotlari', 'AN', 'Oziq-ovqat', 'Oʻrta'],
  ['Namangan Shirinliklar', 'NG', 'Oziq-ovqat', 'Kichik'],
  ['Qarshi Don Savdo', 'QA', 'Savdo', 'Oʻrta'],
  ['Termiz Chegara Terminal', 'SU', 'Logistika', 'Yirik'],
  ['Olmazor Bosmaxonasi', 'TK', 'Poligrafiya', 'Kichik'],
];

const PERSONS: [string, string][] = [
  ['Karimov Aziz Baxtiyorovich', 'TK'],
  ['Rahimova Dilnoza Anvarovna', 'SA'],
  ['Toʻxtayev Oʻktam Shavkatovich', 'FA'],
  ['Ismoilov Sardor Akmalovich', 'AN'],
  ['Yoʻldosheva Gulnoza Ravshanovna', 'BU'],
  ['Qodirov Jamshid Erkinovich', 'NG'],
  ['Xolmatova Nilufar Bahodirovna', 'TO'],
  ['Nazarov Bobur Ulugʻbekovich', 'QA'],
  ['Saidova Madina Farhodovna', 'XO'],
  ['Mirzayev Sherzod Olimovich', 'SU'],
  ['Ergasheva Zarina Dilshodovna', 'JI'],
  ['Abdullayev Otabek Gʻayratovich', 'NW'],
  ['Hasanova Kamola Rustamovna', 'SI'],
  ['Tursunov Eldor Maʼrufovich', 'QR'],
  ['Usmonov Farrux Nodirovich', 'TK'],
];

const CONTACTS = [
  'Aliyev Rustam',
  'Yusupova Malika',
  'Sobirov Javlon',
  'Qosimova Feruza',
  'Haydarov Ulugʻbek',
  'Normatova Shahnoza',
];
const POSITIONS = ['Direktor', 'Taʼminot boʻlimi boshligʻi', 'Bosh buxgalter', 'Savdo menejeri'];
const SOURCES = ['Tavsiya', 'Koʻrgazma', 'Veb-sayt', 'Telegram', 'Qoʻngʻiroq'];
const STATUSES = ['lead', 'prospect', 'active', 'active', 'inactive'] as const;
const STAGES = ['new', 'qualified', 'proposal', 'negotiation', 'won', 'lost'] as const;
const DEAL_TITLES = [
  'Yillik taʼminot shartnomasi',
  'Qurilish materiallari partiyasi',
  'Choraklik buyurtma',
  'Sinov partiyasi',
  'Ombor jihozlari',
];
const ACTIVITY_SUBJECTS: [string, string][] = [
  ['call', 'Narx boʻyicha qoʻngʻiroq'],
  ['meeting', 'Ofisda uchrashuv'],
  ['email', 'Tijorat taklifini yuborish'],
  ['task', 'Shartnoma loyihasini tayyorlash'],
];

const LOST_FROM = ['qualified', 'proposal', 'negotiation'] as const;
const LOST_REASONS = [
  'Narx raqobatchinikidan qimmat',
  'Mijoz loyihani keyingi yilga qoldirdi',
  'Yetkazib berish muddati toʻgʻri kelmadi',
  'Narx raqobatchinikidan qimmat',
  'Byudjet tasdiqlanmadi',
];
/** How long ago each deal opened: the last quarter, so this month, the last and the quarter all have deals. */
const OPENED_DAYS_AGO = [3, 12, 25, 38, 47, 61, 9, 74, 19, 88, 33, 55];

/**
 * Moves a freshly made deal's history back in time: opened `days` ago, each stage entered a few
 * days after the one before (its timeline entries with it), closed when it entered the last.
 */
async function backdate(ctx: ActionContext, dealId: string, days: number): Promise<void> {
  const DAY = 86_400_000;
  const moves = await sql<{
    id: string;
  }>`select id from crm_deal_moves where deal_id = ${dealId} order by id`.execute(ctx.db);
  const opened = Date.now() - days * DAY;
  // The last stage is entered before today ends: n moves share the days evenly.
  const step = (days * DAY) / Math.max(1, moves.rows.length);
  const times = moves.rows.map((_, k) => new Date(opened + k * step));
  for (const [k, move] of moves.rows.entries()) {
    await sql`update crm_deal_moves set at = ${times[k]!} where id = ${move.id}`.execute(ctx.db);
  }
  // The timeline says each move in words ("from → to"): the same instants there.
  await sql`update crm_timeline t set at = m.at from crm_deal_moves m
    where t.link_id = ${dealId} and t.kind = 'stageChange' and m.deal_id = ${dealId}
      and t.title = m.from_stage || ' → ' || m.to_stage`.execute(ctx.db);
  const last = times[times.length - 1] ?? new Date(opened);
  await sql`update crm_deals set created_at = ${new Date(opened)}, updated_at = ${last},
    closed_at = case when closed_at is null then null else ${last}::timestamptz end
    where id = ${dealId}`.execute(ctx.db);
}

/** A fixed, valid-looking tax id per demo client, so the seed finds what it made before. */
const companyStir = (i: number) => String(302_000_100 + i * 7);
const personPinfl = (i: number) => String(31_201_199_000_100 + i * 13);

export async function seedCrmDemo(ctx: ActionContext): Promise<void> {
  const managers = ctx.hasAction('admin.listUsers')
    ? (await ctx.call<{ items: { id: string }[] }>('admin.listUsers', { role: 'sales_manager', limit: 50 }))
        .items
    : [];
  const owners = managers.length > 0 ? managers.map((m) => m.id) : [null];
  const products = ctx.hasAction('erp.listProducts')
    ? (await ctx.call<{ items: { id: string }[] }>('erp.listProducts', { limit: 10, active: true })).items
    : [];
  const { start } = tashkentDay(new Date());
  const HOUR = 3_600_000;
  const campaigns = await seedDemoCampaigns(ctx);
  const all = [
    ...COMPANIES.map(([name, region, industry, segment], i) => ({
      kind: 'company' as const,
      name,
      region,
      industry,
      segment,
      taxId: companyStir(i),
    })),
    ...PERSONS.map(([name, region], i) => ({
      kind: 'person' as const,
      name,
      region,
      industry: null,
      segment: 'Jismoniy shaxs',
      taxId: personPinfl(i),
    })),
  ];
  // Each owner's deals go through every stage in turn, so that every manager's board is full.
  const dealsOf = new Map<string | null, number>();
  for (const [i, c] of all.entries()) {
    const known = await ctx.db
      .selectFrom('crm_clients')
      .select('id')
      .where('tax_id', '=', c.taxId)
      .executeTakeFirst();
    if (known) continue;
    const ownerId = owners[i % owners.length] ?? null;
    const source = SOURCES[i % SOURCES.length]!;
    const client = await ctx.call<{ id: string }>('crm.createClient', {
      ...c,
      status: STATUSES[i % STATUSES.length],
      source,
      campaignId: campaigns.get(source) ?? null,
      ownerId,
      phones: [`+9989${(i % 5) + 0}${String(1_000_000 + i * 7919).slice(0, 7)}`],
      emails:
        c.kind === 'company'
          ? [`info${i}@${c.name.split(' ')[0]!.toLowerCase().replace(/[ʻʼ]/g, '')}.uz`]
          : [],
      tags: i % 4 === 0 ? ['ulgurji'] : i % 7 === 0 ? ['vip'] : [],
      address: c.kind === 'company' ? `${c.name.split(' ')[0]} sh., Mustaqillik koʻchasi, ${i + 1}-uy` : null,
      confirmDuplicate: true,
    });
    if (c.kind === 'company') {
      for (let k = 0; k < 1 + (i % 2); k++) {
        await ctx.call('crm.addContact', {
          id: client.id,
          name: CONTACTS[(i + k) % CONTACTS.length],
          position: POSITIONS[(i + k) % POSITIONS.length],
          phones: [`+9989${(i + k) % 10}${String(2_000_000 + i * 104_729 + k).slice(0, 7)}`],
          telegram: k === 0 ? `@${c.name.split(' ')[0]!.toLowerCase().replace(/[ʻʼ]/g, '')}_${i}` : null,
        });
      }
    }
    if (i % 4 !== 3 && ownerId) {
      const dealNo = dealsOf.get(ownerId) ?? 0;
      dealsOf.set(ownerId, dealNo + 1);
      const stage = STAGES[dealNo % STAGES.length]!;
      const canWin = products.length > 0;
      const lines = canWin
        ? [
            {
              productId: products[i % products.length]!.id,
              quantity: 10 + (i % 5) * 5,
              price: String(45_000 + (i % 9) * 12_500),
            },
          ]
        : [];
      const deal = await ctx.call<{ id: string }>('crm.createDeal', {
        clientId: client.id,
        title: DEAL_TITLES[i % DEAL_TITLES.length],
        ...(lines.length === 0 && { amount: String(5_000_000 + i * 1_250_000) }),
        currency: i % 8 === 0 ? 'USD' : 'UZS',
        expectedCloseDate: new Date(start.getTime() + ((i % 40) - 10) * 24 * HOUR).toISOString().slice(0, 10),
        ownerId,
        lines,
      });
      // A lost deal is lost from one of the middle stages, never after being won (a won deal is
      // closed): the funnel narrows as a real one does.
      const lostFrom = STAGES.indexOf(LOST_FROM[i % LOST_FROM.length]!);
      const path = STAGES.slice(1, STAGES.indexOf(stage) + 1).filter(
        (s, k) => (s !== 'won' || (stage === 'won' && canWin)) && (stage !== 'lost' || k + 1 <= lostFrom),
      );
      for (const s of path) await ctx.call('crm.moveDealStage', { dealId: deal.id, stage: s });
      if (stage === 'lost') {
        await ctx.call('crm.moveDealStage', {
          dealId: deal.id,
          stage: 'lost',
          lostReason: LOST_REASONS[i % LOST_REASONS.length],
        });
      }
      await backdate(ctx, deal.id, OPENED_DAYS_AGO[i % OPENED_DAYS_AGO.length]!);
    }
    if (ownerId) {
      const [type, subject] = ACTIVITY_SUBJECTS[i % ACTIVITY_SUBJECTS.length]!;
      // Some overdue, some today, some later in the week.
      const offsetHours = [-30, -3, 4, 9, 30, 75][i % 6]!;
      await ctx.call('crm.createActivity', {
        type,
        subject,
        clientId: client.id,
        dueAt: new Date(start.getTime() + offsetHours * HOUR + 9 * HOUR).toISOString(),
        assigneeId: ownerId,
      });
    }
    if (i % 3 === 0) await seedDemoTicket(ctx, client.id, i / 3);
  }
}
