// What every CRM action file shares: the typed action declarer, permissions, who sees what,
// and the normalisation of phones, tax ids and search text.
import { type ExpressionBuilder, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import { notFound, validationFailed } from '../../server/core/errors.js';
import { type ActionContext, type Actor, actionsOf, can } from '../../server/core/module.js';
import type { CrmTables } from './schema.js';

/** Declares an action of the CRM module; `ctx.db` knows the module's own tables. */
export const defineAction = actionsOf<CrmTables>();

export type Trx = Transaction<CrmTables>;
export type Ctx = ActionContext<CrmTables>;

export const PERMISSIONS = {
  clientsRead: 'crm.clients.read',
  clientsWrite: 'crm.clients.write',
  clientsReadAll: 'crm.clients.readAll',
  dealsRead: 'crm.deals.read',
  dealsWrite: 'crm.deals.write',
  activitiesWrite: 'crm.activities.write',
  ticketsWrite: 'crm.tickets.write',
  campaignsWrite: 'crm.campaigns.write',
  pipelinesWrite: 'crm.pipelines.write',
  settingsWrite: 'crm.settings.write',
  import: 'crm.import',
} as const;

/** Sales heads, admins and the system see every client; a manager only their own. */
export function seesAll(actor: Actor): boolean {
  return can(actor, PERMISSIONS.clientsReadAll);
}

/** The user whose own records a restricted actor sees, or null when the actor sees all. */
export function restrictedTo(actor: Actor): string | null {
  if (seesAll(actor)) return null;
  return actor.id ?? '00000000-0000-0000-0000-000000000000';
}

/** Clients the actor may see: `c` aliases crm_clients. */
export function visibleClient(actor: Actor) {
  const me = restrictedTo(actor);
  return (eb: ExpressionBuilder<{ c: CrmTables['crm_clients'] }, 'c'>) =>
    me === null ? eb.val(true) : eb('c.owner_id', '=', me);
}

/** Loads a client the actor may see, or answers 404 (another's client is not disclosed). */
export async function requireClient(ctx: Ctx, id: string, forUpdate = false) {
  let query = ctx.db
    .selectFrom('crm_clients as c')
    .selectAll('c')
    .where('c.id', '=', id)
    .where(visibleClient(ctx.actor));
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('client', id);
  return row;
}

/** A field whose value a rule refuses: 400 with the field's path, the message a code. */
export function fieldProblem(ctx: Ctx, path: string, code: string): never {
  throw validationFailed([{ path, message: ctx.translate(code) }]);
}

/** Optional text: trimmed, and an empty string means "none". */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();

/**
 * Normalises a phone to E.164; Uzbek numbers may be typed without the country code.
 * @example normalizePhone('90 123-45-67') === '+998901234567'
 */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[\s\-().]/g, '');
  if (!/^\+?\d+$/.test(digits)) return null;
  let e164: string;
  if (digits.startsWith('+')) e164 = digits;
  else if (digits.startsWith('00')) e164 = `+${digits.slice(2)}`;
  else if (digits.length === 9) e164 = `+998${digits}`;
  else if (digits.length === 12 && digits.startsWith('998')) e164 = `+${digits}`;
  else if (digits.length === 10 && digits.startsWith('8')) e164 = `+998${digits.slice(1)}`;
  else return null;
  if (!/^\+[1-9]\d{7,14}$/.test(e164)) return null;
  if (e164.startsWith('+998') && e164.length !== 13) return null;
  return e164;
}

export const phonesSchema = z
  .array(z.string().max(40))
  .max(10)
  .transform((phones, ctx) => {
    const out: string[] = [];
    phones.forEach((p, i) => {
      if (p.trim() === '') return;
      const e164 = normalizePhone(p);
      if (!e164) ctx.addIssue({ code: 'custom', path: [i], message: 'PHONE_INVALID' });
      else if (!out.includes(e164)) out.push(e164);
    });
    return out;
  });

export const emailsSchema = z
  .array(z.string().trim().toLowerCase().max(200))
  .max(10)
  .transform((emails, ctx) => {
    const out: string[] = [];
    emails.forEach((e, i) => {
      if (e === '') return;
      if (!z.email().safeParse(e).success)
        ctx.addIssue({ code: 'custom', path: [i], message: 'EMAIL_INVALID' });
      else if (!out.includes(e)) out.push(e);
    });
    return out;
  });

export const tagsSchema = z
  .array(z.string().trim().min(1).max(50))
  .max(30)
  .transform((tags) => [...new Set(tags)]);

/** Tax id rule: 9 digits (STIR/INN) for a company, 14 (PINFL) for a person. */
export function taxIdProblem(kind: 'company' | 'person', taxId: string): string | null {
  if (kind === 'company' && !/^\d{9}$/.test(taxId)) return 'TAX_ID_COMPANY';
  if (kind === 'person' && !/^\d{14}$/.test(taxId)) return 'TAX_ID_PERSON';
  return null;
}

/** Lower case, Uzbek apostrophes dropped, spaces collapsed: stored text and queries alike. */
export function normalizeSearch(text: string): string {
  return text
    .toLowerCase()
    .replace(/[ʻʼ'`‘’]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A phone or tax id as the digits one may type: "998901234567 901234567". */
function phoneForms(phone: string): string[] {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('998') ? [digits, digits.slice(3)] : [digits];
}

export type SearchSource = {
  name: string;
  taxId: string | null;
  phones: string[];
  emails: string[];
  contacts: { name: string; phones: string[]; emails: string[] }[];
};

/** The denormalised text one search box matches against. */
export function searchTextOf(source: SearchSource): string {
  const parts = [
    source.name,
    source.taxId ?? '',
    ...source.phones.flatMap(phoneForms),
    ...source.emails,
    ...source.contacts.flatMap((c) => [c.name, ...c.phones.flatMap(phoneForms), ...c.emails]),
  ];
  return normalizeSearch(parts.filter(Boolean).join(' '));
}

/**
 * The exact keys a search looks up by prefix before any fuzzy matching: the client's and
 * contacts' normalised names, the tax id, phones as digits (with and without 998) and e-mails.
 * @example searchKeysOf({ name: 'Fargʻona Mebel', taxId: null, phones: ['+998901234567'], emails: [], contacts: [] })
 *   // ['fargona mebel', '998901234567', '901234567']
 */
export function searchKeysOf(source: SearchSource): string[] {
  const keys = [
    source.name,
    source.taxId ?? '',
    ...source.phones.flatMap(phoneForms),
    ...source.emails,
    ...source.contacts.flatMap((c) => [c.name, ...c.phones.flatMap(phoneForms), ...c.emails]),
  ]
    .map(normalizeSearch)
    // A btree entry must stay well under PostgreSQL's ~2.7 kB limit; prefixes are what count.
    .map((key) => key.slice(0, 200))
    .filter((key) => key !== '');
  return [...new Set(keys)];
}

/** A word of the typo vocabulary: three or more characters, no digits, no e-mail punctuation. */
export function isSearchWord(word: string): boolean {
  return word.length >= 3 && word.length <= 50 && !/[\d@.]/.test(word);
}

/** Replaces the search keys of the given clients (after an insert or any change to their data). */
export async function writeSearchKeys(db: Trx, clients: { id: string; keys: string[] }[]): Promise<void> {
  if (clients.length === 0) return;
  await db
    .deleteFrom('crm_search_keys')
    .where(
      'client_id',
      'in',
      clients.map((c) => c.id),
    )
    .execute();
  const rows = clients.flatMap((c) => c.keys.map((key) => ({ client_id: c.id, key })));
  // Sorted, so two writers adding the same new words wait for each other instead of deadlocking.
  const words = [...new Set(rows.flatMap((r) => r.key.split(' ')).filter(isSearchWord))].sort();
  for (let i = 0; i < words.length; i += 10_000) {
    await db
      .insertInto('crm_search_words')
      .values(words.slice(i, i + 10_000).map((word) => ({ word })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  // Below PostgreSQL's 65 535 bind parameters per statement.
  for (let i = 0; i < rows.length; i += 10_000) {
    await db
      .insertInto('crm_search_keys')
      .values(rows.slice(i, i + 10_000))
      .execute();
  }
}

/** Recomputes a client's search text from its row and contacts (after any change to either). */
export async function refreshSearchText(db: Trx, clientId: string): Promise<void> {
  const client = await db
    .selectFrom('crm_clients')
    .select(['name', 'tax_id', 'phones', 'emails'])
    .where('id', '=', clientId)
    .executeTakeFirst();
  if (!client) return;
  const contacts = await db
    .selectFrom('crm_contacts')
    .select(['name', 'phones', 'emails'])
    .where('client_id', '=', clientId)
    .execute();
  const text = searchTextOf({
    name: client.name,
    taxId: client.tax_id,
    phones: client.phones,
    emails: client.emails,
    contacts,
  });
  await db.updateTable('crm_clients').set({ search_text: text }).where('id', '=', clientId).execute();
  await writeSearchKeys(db, [
    {
      id: clientId,
      keys: searchKeysOf({
        name: client.name,
        taxId: client.tax_id,
        phones: client.phones,
        emails: client.emails,
        contacts,
      }),
    },
  ]);
}

/** A user's name for display (owner, assignee), from the core's users. */
export function userName(column: string) {
  return sql<string | null>`(select u.name from core_users u where u.id = ${sql.ref(column)})`;
}

/** Checks that a user id names an active user (owner, assignee). */
export async function requireUser(ctx: Ctx, id: string, path: string): Promise<void> {
  const user = await ctx.db
    .selectFrom('core_users')
    .select('id')
    .where('id', '=', id)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!user) fieldProblem(ctx, path, 'USER_UNKNOWN');
}

/** Checks that a campaign id names a campaign (a client's or deal's `campaignId`). */
export async function checkCampaign(ctx: Ctx, id: string): Promise<void> {
  const campaign = await ctx.db
    .selectFrom('crm_campaigns')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!campaign) fieldProblem(ctx, 'campaignId', 'CAMPAIGN_UNKNOWN');
}

export function actorName(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.name : actor.name;
}

/** `YYYY-MM-DD` text of a date column (pg would hand a local-midnight Date otherwise). */
export function dateText(column: string) {
  return sql<string | null>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`;
}

export function isoOrNull(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
