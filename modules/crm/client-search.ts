// Which clients a list or a search covers, and what that costs at a million rows: the filters
// as one expression, a total that is exact only while it is cheap, and the one-box search in
// stages from exact to fuzzy, each reading a bounded number of candidates.
import {
  type AliasableExpression,
  type Expression,
  type ExpressionBuilder,
  type RawBuilder,
  type SelectQueryNode,
  type SqlBool,
  sql,
} from 'kysely';
import { likePattern } from '../../server/core/list-query.js';
import type { Actor } from '../../server/core/module.js';
import { isSearchWord, normalizeSearch, restrictedTo, type Trx } from './define.js';
import type { ClientStatus, CrmTables } from './schema.js';

/**
 * A list counts at most this many rows; beyond it `total` is this bound and `totalExact` false.
 * Counting is an index range of this length on every page: 10 000 entries took ~5 ms, more
 * than the page itself, so the bound is 1 000.
 */
export const COUNT_CAP = 1_000;
/** A search pages at most this many key matches (a person reads the first few dozen). */
export const SEARCH_CAP = 1_000;
/** Matches inside the text and fuzzy ones are rechecked row by row: fewer of them. */
export const TEXT_CAP = 200;
/** pg_trgm word similarity a fuzzy hit needs; higher for long queries, which share more trigrams by chance. */
export function similarityThreshold(term: string): number {
  return term.length >= 12 ? 0.55 : 0.45;
}

export type ClientFilters = {
  status?: ClientStatus | undefined;
  region?: string | undefined;
  ownerId?: string | undefined;
  segment?: string | undefined;
  source?: string | undefined;
  tag?: string | undefined;
  kind?: 'company' | 'person' | undefined;
  campaignId?: string | undefined;
};

type ClientsEb = ExpressionBuilder<{ c: CrmTables['crm_clients'] }, 'c'>;
export type ClientFilter = {
  /** The visibility rule and the filters, for a query where `c` aliases crm_clients. */
  where: (eb: ClientsEb) => Expression<SqlBool>;
  /** Nothing restricts the rows: an admin's unfiltered list. */
  none: boolean;
};

export function clientFilter(actor: Actor, filters: ClientFilters): ClientFilter {
  const me = restrictedTo(actor);
  const none =
    me === null &&
    !filters.status &&
    !filters.region &&
    !filters.ownerId &&
    !filters.segment &&
    !filters.source &&
    !filters.tag &&
    !filters.kind &&
    !filters.campaignId;
  return {
    none,
    where: (eb) => {
      const parts: Expression<SqlBool>[] = [];
      if (me !== null) parts.push(eb('c.owner_id', '=', me));
      if (filters.status) parts.push(eb('c.status', '=', filters.status));
      if (filters.region) parts.push(eb('c.region', '=', filters.region));
      if (filters.ownerId) parts.push(eb('c.owner_id', '=', filters.ownerId));
      if (filters.segment) parts.push(eb('c.segment', '=', filters.segment));
      if (filters.source) parts.push(eb('c.source', '=', filters.source));
      if (filters.kind) parts.push(eb('c.kind', '=', filters.kind));
      if (filters.campaignId) parts.push(eb('c.campaign_id', '=', filters.campaignId));
      if (filters.tag) parts.push(eb(sql`c.tags`, '@>', sql`${JSON.stringify([filters.tag])}::jsonb`));
      return eb.and(parts);
    },
  };
}

/** Counts the filtered clients up to the cap (an index range at most COUNT_CAP entries long). */
export async function cappedCount(db: Trx, filter: ClientFilter): Promise<{ total: number; exact: boolean }> {
  const capped = db
    .selectFrom('crm_clients as c')
    .select('c.id')
    .where(filter.where)
    .limit(COUNT_CAP + 1)
    .as('capped');
  const row = await db
    .selectFrom(capped)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return n > COUNT_CAP ? { total: COUNT_CAP, exact: false } : { total: n, exact: true };
}

/** A search term: digits only when it looks like a phone or tax id, else normalised text. */
export function searchTerm(q: string): { term: string; digits: boolean } {
  const digits = q.replace(/\D/g, '');
  if (/^[\d\s+()-]+$/.test(q) && digits.length >= 3) return { term: digits, digits: true };
  return { term: normalizeSearch(q), digits: false };
}

/** A subquery of client ids, usable as `c.id in (...)` (Kysely does not export this type). */
type IdsQuery = AliasableExpression<{ id: string }> & {
  readonly isSelectQueryBuilder: true;
  toOperationNode(): SelectQueryNode;
};

export type SearchHits = {
  /** `select id` of the matching clients (at most `cap` candidates), for `c.id in (...)`. */
  ids: IdsQuery;
  /** Distinct clients among the candidates. */
  count: number;
  /** The candidates stopped at the cap: more clients match than `count`. */
  capped: boolean;
  /** Ranks fuzzy hits (best first); null when every hit matched literally. */
  score: RawBuilder<number> | null;
  /**
   * Key matches only: one page of ids in the order of the key that matched (for a name
   * search, the name's order), read from the key index without sorting every candidate.
   */
  keyedPage: ((direction: 'asc' | 'desc', limit: number, offset: number) => Promise<string[]>) | null;
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Keys that start with the term, with their client (filters applied), at most `cap`. */
function prefixRows(db: Trx, term: string, filter: ClientFilter, cap: number) {
  const keys = db
    .selectFrom('crm_search_keys as k')
    .select(['k.client_id as id', 'k.key'])
    .where('k.key', 'like', `${escapeLike(term)}%`);
  // Without filters the key index alone answers: no client row is read.
  const filtered = filter.none
    ? keys
    : keys.innerJoin('crm_clients as c', 'c.id', 'k.client_id').where(filter.where);
  return filtered.limit(cap);
}

function textHits(
  db: Trx,
  condition: RawBuilder<SqlBool>,
  filter: ClientFilter,
  cap: number,
): SearchHits['ids'] {
  return db.selectFrom('crm_clients as c').select('c.id').where(condition).where(filter.where).limit(cap);
}

async function countHits(db: Trx, ids: SearchHits['ids'], cap: number) {
  const row = await db
    .selectFrom(ids.as('h'))
    .select([sql<number>`count(*)::int`.as('raw'), sql<number>`count(distinct h.id)::int`.as('n')])
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), capped: Number(row.raw) >= cap };
}

async function prefixHits(
  db: Trx,
  term: string,
  filter: ClientFilter,
  cap: number,
): Promise<SearchHits | null> {
  const rows = prefixRows(db, term, filter, cap);
  const ids = db.selectFrom(rows.as('h')).select('h.id');
  const found = await countHits(db, ids, cap);
  if (found.count === 0) return null;
  const keyedPage = async (direction: 'asc' | 'desc', limit: number, offset: number) => {
    // A client matched by two keys (name and contact) is listed once, under its first key.
    const page = await db
      .selectFrom(rows.as('h'))
      .select('h.id')
      .groupBy('h.id')
      .orderBy(sql`min(h.key)`, direction)
      .orderBy('h.id', direction)
      .limit(limit)
      .offset(offset)
      .execute();
    return page.map((r) => r.id);
  };
  return { ids, ...found, score: null, keyedPage };
}

/**
 * Each word of a text term replaced by the closest word of the clients' vocabulary
 * (`crm_search_words`, trigram similarity): "samarkand" -> "samarqand". Words with digits,
 * e-mail parts and words the vocabulary knows stay as typed.
 */
async function correctWords(db: Trx, term: string): Promise<string> {
  const words = term.split(' ');
  const rows = await sql<{ word: string; best: string | null }>`
    select w.word, (
      select v.word from crm_search_words v
      where v.word % w.word
      order by v.word = w.word desc, similarity(v.word, w.word) desc, v.word
      limit 1) as best
    from unnest(${words}::text[]) as w(word)`.execute(db);
  const best = new Map(rows.rows.map((r) => [r.word, r.best]));
  return words.map((w) => (isSearchWord(w) ? (best.get(w) ?? w) : w)).join(' ');
}

/**
 * The clients `q` finds, in stages, the first that finds any wins:
 * 1. a key (name, contact name, tax id, phone digits, e-mail) that starts with the term: a
 *    btree range over `crm_search_keys`;
 * 2. the term anywhere in `search_text` (a word inside a name, digits inside a phone): GIN trigram;
 * 3. for text, small typos: each word corrected against the vocabulary, then 1 and 2 again;
 * 4. for text, pg_trgm word similarity (`<%`) over `search_text` above a threshold, ranked.
 * Each stage reads a bounded number of candidates (`cap`; the trigram ones fewer) and honours
 * the filters. Null when nothing matches.
 */
export async function searchClients(
  db: Trx,
  q: string,
  filter: ClientFilter,
  cap: number,
): Promise<SearchHits | null> {
  const { term, digits } = searchTerm(q);
  if (term === '') return null;
  const prefix = await prefixHits(db, term, filter, cap);
  if (prefix) return prefix;
  // Trigram indexes cannot serve terms shorter than a trigram: a full scan is not worth it.
  if (term.length < 3) return null;
  const textCap = Math.min(cap, TEXT_CAP);
  const inside = async (text: string) => {
    const ids = textHits(db, sql<SqlBool>`c.search_text like ${likePattern(text)}`, filter, textCap);
    const found = await countHits(db, ids, textCap);
    return found.count > 0 ? { ids, ...found, score: null, keyedPage: null } : null;
  };
  const substring = await inside(term);
  if (substring) return substring;
  if (digits) return null;
  const corrected = await correctWords(db, term);
  if (corrected !== term) {
    const hits = (await prefixHits(db, corrected, filter, cap)) ?? (await inside(corrected));
    if (hits) return hits;
  }
  // `<%` reads its threshold from a setting; `set_config(..., true)` keeps it to this transaction.
  await sql`select set_config('pg_trgm.word_similarity_threshold', ${String(similarityThreshold(term))}, true)`.execute(
    db,
  );
  const similar = textHits(db, sql<SqlBool>`${term} <% c.search_text`, filter, textCap);
  const found = await countHits(db, similar, textCap);
  if (found.count === 0) return null;
  return {
    ids: similar,
    ...found,
    score: sql<number>`word_similarity(${term}, c.search_text)`,
    keyedPage: null,
  };
}
