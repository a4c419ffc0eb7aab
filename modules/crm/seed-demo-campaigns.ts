// Demo marketing campaigns: a finished exhibition, a running Telegram campaign and a web-site
// campaign, a planned SMS one, each with a budget, so the demo clients that came by those
// sources count for them and the campaigns page shows leads, deals won and a return.
import type { ActionContext } from '../../server/core/module.js';

const DAY = 86_400_000;
const date = (daysFromToday: number) => new Date(Date.now() + daysFromToday * DAY).toISOString().slice(0, 10);

/** The demo clients' sources, and the campaign each one's clients came by. */
const CAMPAIGNS = [
  {
    source: 'Koʻrgazma',
    code: 'toshkent-build-expo',
    name: '“Toshkent Build Expo” koʻrgazmasi',
    channel: 'event',
    status: 'finished',
    startsOn: date(-80),
    endsOn: date(-77),
    budget: '9000000',
    audience: { kind: 'company', segment: 'Ulgurji' },
    description:
      'Stend, tarqatma materiallar va ikki kunlik namoyish; tashrif buyuruvchilar roʻyxati CRMga kiritildi.',
  },
  {
    source: 'Telegram',
    code: 'telegram-kuz',
    name: 'Telegram kanallarida kuzgi reklama',
    channel: 'messenger',
    status: 'active',
    startsOn: date(-60),
    endsOn: date(20),
    budget: '3000000',
    audience: { status: 'prospect' },
    description:
      'Qurilish mavzusidagi uchta kanalda homiylik postlari, havola utm_campaign=telegram-kuz bilan.',
  },
  {
    source: 'Veb-sayt',
    code: 'sayt-chegirma',
    name: 'Saytda ulgurji chegirma sahifasi',
    channel: 'web',
    status: 'active',
    startsOn: date(-45),
    endsOn: null,
    budget: '1200000',
    audience: { tag: 'ulgurji' },
    description: 'Ulgurji xaridorlar uchun ariza shakli bilan alohida sahifa.',
  },
  {
    source: null,
    code: 'navruz-sms',
    name: 'Navroʻz tabrigi va aksiya (SMS)',
    channel: 'sms',
    status: 'planned',
    startsOn: date(100),
    endsOn: date(115),
    budget: '3500000',
    audience: { status: 'active' },
    description: 'Faol mijozlarga tabrik va bahorgi narxlar haqida SMS.',
  },
] as const;

/** The campaigns by the source their clients name, made once (found by code on a second run). */
export async function seedDemoCampaigns(ctx: ActionContext): Promise<Map<string, string>> {
  const bySource = new Map<string, string>();
  // The head of sales answers for the demo campaigns, when there is one.
  const heads = ctx.hasAction('admin.listUsers')
    ? (await ctx.call<{ items: { id: string }[] }>('admin.listUsers', { role: 'sales_head', limit: 1 })).items
    : [];
  const ownerId = heads[0]?.id ?? null;
  for (const { source, ...campaign } of CAMPAIGNS) {
    const known = await ctx.call<{ items: { id: string; code: string }[] }>('crm.listCampaigns', {
      q: campaign.code,
      limit: 5,
    });
    const id =
      known.items.find((c) => c.code === campaign.code)?.id ??
      (await ctx.call<{ id: string }>('crm.createCampaign', { ...campaign, ownerId })).id;
    if (source) bySource.set(source, id);
  }
  return bySource;
}
