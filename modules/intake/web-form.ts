// The public lead form: anyone may submit it, so it is rate-limited per address and guarded
// against bots (a hidden field people leave empty, and a minimum time to fill it in). A kept
// submission is stored and announced as `intake.lead.received`, which starts the lead process.
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, ruleViolation } from '../../server/core/errors.js';
import { actionsOf } from '../../server/core/module.js';
import type { IntakeTables } from './schema.js';

const defineAction = actionsOf<IntakeTables>();

/** Submissions one address may make in the window before it is asked to wait. */
export const RATE_LIMIT = { count: 5, windowSeconds: 600 };
/** A person needs a few seconds to fill the form in; a script posts at once. */
export const MIN_FILL_MS = 3000;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const submitLeadForm = defineAction({
  name: 'submitLeadForm',
  description:
    'A lead from the public web form (no sign-in): rate-limited per address, bots refused; starts the lead process.',
  permission: 'public',
  write: true,
  input: z.object({
    name: z.string().trim().min(1).max(200),
    company: text(300),
    phone: z
      .string()
      .trim()
      .max(40)
      .regex(/^\+?[\d\s()-]*$/, 'Digits, spaces, +, ( ) and - only')
      .transform((v) => (v === '' ? null : v))
      .nullable()
      .optional(),
    email: z
      .union([z.literal('').transform(() => null), z.email().trim().toLowerCase().max(254)])
      .nullable()
      .optional(),
    region: text(100),
    message: text(2000),
    /** The campaign code the page was reached by (its link's utm_campaign). */
    campaign: text(60),
    /** The hidden field: people never see it, so it stays empty. */
    website: z.string().max(500).optional(),
    /** Milliseconds between showing the form and sending it, measured by the page. */
    elapsedMs: z.number().int().min(0).optional(),
    ip: z.string().max(100),
    userAgent: z.string().max(500).optional(),
  }),
  output: z.object({ id: z.string(), received: z.literal(true) }),
  async run(ctx, input) {
    if (!input.phone && !input.email)
      throw ruleViolation('INTAKE_CONTACT_REQUIRED', { fields: ['phone', 'email'] });
    if ((input.website ?? '') !== '' || (input.elapsedMs !== undefined && input.elapsedMs < MIN_FILL_MS))
      throw ruleViolation('INTAKE_SPAM_SUSPECTED');
    // One address at a time, so concurrent posts cannot all pass the count.
    await sql`select pg_advisory_xact_lock(hashtext(${`intake:${input.ip}`}))`.execute(ctx.db);
    const recent = await ctx.db
      .selectFrom('intake_submissions')
      .select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(created_at)`.as('oldest')])
      .where('ip', '=', input.ip)
      .where(sql<boolean>`created_at > now() - make_interval(secs => ${RATE_LIMIT.windowSeconds})`)
      .executeTakeFirstOrThrow();
    if (recent.n >= RATE_LIMIT.count) {
      const oldest = recent.oldest ? new Date(recent.oldest).getTime() : Date.now();
      const seconds = Math.max(1, Math.ceil((oldest + RATE_LIMIT.windowSeconds * 1000 - Date.now()) / 1000));
      throw new AppError(429, 'RATE_LIMITED', {
        params: { seconds },
        details: { retryAfterSeconds: seconds },
      });
    }
    const row = await ctx.db
      .insertInto('intake_submissions')
      .values({
        name: input.name,
        company: input.company ?? null,
        phone: input.phone ?? null,
        email: input.email ?? null,
        region: input.region ?? null,
        message: input.message ?? null,
        campaign: input.campaign?.toLowerCase() ?? null,
        ip: input.ip,
        user_agent: input.userAgent ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const lead = {
      submissionId: row.id,
      name: input.name,
      company: input.company ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      region: input.region ?? null,
      message: input.message ?? null,
      campaign: input.campaign?.toLowerCase() ?? null,
    };
    await ctx.audit({ entity: 'intake_submission', entityId: row.id, before: null, after: lead });
    await ctx.emit({
      type: 'intake.lead.received',
      aggregateType: 'intake_submission',
      aggregateId: row.id,
      payload: lead,
    });
    return { id: row.id, received: true as const };
  },
});

const submissionSchema = z.object({
  id: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  region: z.string().nullable(),
  message: z.string().nullable(),
  campaign: z.string().nullable(),
  createdAt: z.string(),
});

export const listSubmissions = defineAction({
  name: 'listSubmissions',
  description: 'The web-form submissions, newest first: every lead that came in, whatever became of it.',
  permission: 'intake.submissions.read',
  write: false,
  input: z.object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  }),
  output: z.object({ items: z.array(submissionSchema), total: z.number().int() }),
  async run(ctx, input) {
    const [rows, count] = await Promise.all([
      ctx.db
        .selectFrom('intake_submissions')
        .select(['id', 'name', 'company', 'phone', 'email', 'region', 'message', 'campaign', 'created_at'])
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(input.limit)
        .offset(input.offset)
        .execute(),
      ctx.db
        .selectFrom('intake_submissions')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        company: r.company,
        phone: r.phone,
        email: r.email,
        region: r.region,
        message: r.message,
        campaign: r.campaign,
        createdAt: new Date(r.created_at).toISOString(),
      })),
      total: count.n,
    };
  },
});
