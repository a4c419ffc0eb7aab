// Demo service requests: complaints, questions, requests and feedback on the demo clients, in
// every status, some past their due time, so the queue and the client cards have work in them.
import { sql } from 'kysely';
import type { ActionContext } from '../../server/core/module.js';
import type { TicketDetail, TicketKind, TicketPriority, TicketStatus } from './ticket-schema.js';

const HOUR = 3_600_000;

const REQUESTS: [TicketKind, TicketPriority, string, string][] = [
  [
    'complaint',
    'high',
    'Sement qoplari yirtilgan holda yetib keldi',
    'Toʻrtta qop yirtilgan, mijoz almashtirishni soʻramoqda.',
  ],
  [
    'question',
    'normal',
    'Hisob-fakturadagi QQS summasi boʻyicha savol',
    'Buxgalteriya QQS 12% hisoblanganini tekshirishni soʻradi.',
  ],
  [
    'request',
    'normal',
    'Yetkazib berish sanasini koʻchirish',
    'Ombor taʼmirda, yukni keyingi haftaga koʻchirishni soʻrashdi.',
  ],
  [
    'complaint',
    'urgent',
    'Buyurtma ikki kun kechikib yetkazildi',
    'Mijozning ishlab chiqarishi toʻxtab qolgan, rahbariyat javob kutmoqda.',
  ],
  [
    'feedback',
    'low',
    'Yetkazib berish xizmatidan minnatdorchilik',
    'Haydovchi yukni vaqtida va ehtiyotkorlik bilan tushirgan.',
  ],
  [
    'request',
    'normal',
    'Solishtirma dalolatnoma kerak',
    'Yil yakuni uchun oʻzaro hisob-kitoblarni solishtirish.',
  ],
  [
    'question',
    'low',
    'Ulgurji narxlar roʻyxati soʻraldi',
    'Keyingi chorak uchun yangi narxlar roʻyxatini yuborish kerak.',
  ],
  [
    'complaint',
    'high',
    'Mahsulot sertifikati nusxasi berilmagan',
    'Bojxona uchun muvofiqlik sertifikati talab qilinmoqda.',
  ],
];

const RESOLUTIONS = [
  'Yangi qoplar joʻnatildi, mijoz qabul qilganini tasdiqladi.',
  'Hisob-faktura qayta tekshirildi, QQS toʻgʻri hisoblangan; izoh yuborildi.',
  'Sertifikat nusxasi elektron pochta orqali yuborildi.',
];

/** The status each demo request ends in, and how many hours ago it came in. */
/** Over 168 hours (the lowest priority's level) is past its due time whatever its priority. */
const PATHS: { status: TicketStatus; openedHoursAgo: number }[] = [
  { status: 'new', openedHoursAgo: 2 },
  { status: 'inProgress', openedHoursAgo: 190 },
  { status: 'waiting', openedHoursAgo: 50 },
  { status: 'resolved', openedHoursAgo: 120 },
  { status: 'closed', openedHoursAgo: 400 },
  { status: 'new', openedHoursAgo: 175 },
  { status: 'inProgress', openedHoursAgo: 5 },
];

const STEPS: Record<TicketStatus, TicketStatus[]> = {
  new: [],
  inProgress: ['inProgress'],
  waiting: ['inProgress', 'waiting'],
  resolved: ['inProgress', 'resolved'],
  closed: ['inProgress', 'resolved', 'closed'],
};

/** Opens the n-th demo request on a client and works it to its status, backdated to its opening. */
export async function seedDemoTicket(ctx: ActionContext, clientId: string, n: number): Promise<void> {
  const [kind, priority, subject, description] = REQUESTS[n % REQUESTS.length]!;
  const path = PATHS[n % PATHS.length]!;
  const opened = new Date(Date.now() - path.openedHoursAgo * HOUR);
  const ticket = await ctx.call<TicketDetail>('crm.createTicket', {
    clientId,
    kind,
    priority,
    subject,
    description,
    channel: (['phone', 'email', 'messenger', 'visit', 'web'] as const)[n % 5],
  });
  for (const status of STEPS[path.status]) {
    if (status === 'inProgress' && n % 2 === 0) {
      await ctx.call('crm.addTicketComment', {
        id: ticket.id,
        text: 'Mijoz bilan telefon orqali bogʻlanildi.',
      });
    }
    await ctx.call('crm.changeTicketStatus', {
      id: ticket.id,
      status,
      ...(status === 'resolved' && { resolution: RESOLUTIONS[n % RESOLUTIONS.length] }),
      ...(status === 'closed' && { rating: 4 + (n % 2) }),
    });
  }
  // It came in `shift` ago and was worked half-way since: its times, history and the card's
  // entries move back with it (the opening by the whole shift, the rest by half).
  const shift = Date.now() - opened.getTime();
  const whole = `${shift} milliseconds`;
  const half = `${Math.round(shift / 2)} milliseconds`;
  await sql`update crm_tickets set created_at = created_at - ${whole}::interval,
      due_at = due_at - ${whole}::interval,
      responded_at = responded_at - ${half}::interval, resolved_at = resolved_at - ${half}::interval,
      closed_at = closed_at - ${half}::interval, updated_at = updated_at - ${half}::interval
    where id = ${ticket.id}`.execute(ctx.db);
  await sql`update crm_ticket_events set at = at - (case when kind = 'created' then ${whole} else ${half} end)::interval
    where ticket_id = ${ticket.id}`.execute(ctx.db);
  await sql`update crm_timeline set at = at - (case when at = (select min(at) from crm_timeline
      where link_type = 'ticket' and link_id = ${ticket.id}) then ${whole} else ${half} end)::interval
    where link_type = 'ticket' and link_id = ${ticket.id}`.execute(ctx.db);
}
