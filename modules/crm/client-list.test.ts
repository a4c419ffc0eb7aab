// The clients list at size: a total exact only up to the cap, a search in stages that honours
// the filters and stops at its candidate cap, and search keys that follow every change.
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { AnyDb } from '../../db/database.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { COUNT_CAP, SEARCH_CAP } from './client-search.js';
import { makeClient, salesTeam, tag } from './test-helpers.js';

type Page = { items: { name: string }[]; total: number; totalExact: boolean };

/** Inserts many clients in one statement, with the search keys the actions would write. */
async function bulkClients(
  db: AnyDb,
  prefix: string,
  count: number,
  fields: { status: string; region: string },
) {
  await sql`with c as (
      insert into crm_clients (kind, name, status, region, search_text)
      select 'company', ${prefix}::text || ' ' || i, ${fields.status}::text, ${fields.region}::text,
        lower(${prefix}::text) || ' ' || i
      from generate_series(1, ${count}::int) as i
      returning id, search_text
    )
    insert into crm_search_keys (client_id, key) select id, search_text from c`.execute(db);
}

describeEachBackend('crm clients list at size', (t) => {
  it('counts exactly up to the cap, then says the total is a lower bound and still pages past it', async () => {
    const region = `R${tag()}`.slice(0, 8);
    await t().request('POST', '/api/crm/regions', {
      cookie: t().admin.cookie,
      body: { code: region, name: region },
    });
    await bulkClients(t().db, `Kapital ${region}`, COUNT_CAP + 5, { status: 'prospect', region });
    const get = async (query: string) => {
      const response = await t().request<Page>('GET', `/api/crm/clients?region=${region}&${query}`, {
        cookie: t().admin.cookie,
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    };
    const first = await get('limit=50&offset=50');
    expect(first).toMatchObject({ total: COUNT_CAP, totalExact: false });
    expect(first.items).toHaveLength(50);
    // Past the cap the rows are still there, and the last, short page gives the exact end.
    const last = await get(`limit=50&offset=${COUNT_CAP}`);
    expect(last.items).toHaveLength(5);
    expect(last).toMatchObject({ total: COUNT_CAP + 5, totalExact: true });
    const beyond = await get(`limit=50&offset=${COUNT_CAP + 100}`);
    expect(beyond.items).toHaveLength(0);
    expect(beyond.totalExact).toBe(false);
    // A narrower filter under the cap is exact again.
    const narrow = await get('status=lead');
    expect(narrow).toMatchObject({ items: [], total: 0, totalExact: true });

    // A search ranks at most SEARCH_CAP candidates and says so.
    const search = await t().request<Page>(
      'GET',
      `/api/crm/clients?q=${encodeURIComponent(`kapital ${region}`)}&limit=20`,
      { cookie: t().admin.cookie },
    );
    expect(search.body).toMatchObject({ total: SEARCH_CAP, totalExact: false });
    expect(search.body.items).toHaveLength(20);
  });

  it('searches within the filters, exact and prefix keys first, then inside words, then typos', async () => {
    const { a, b } = await salesTeam(t());
    const mine = await makeClient(
      t(),
      { name: 'Namangan Gilam Fabrikasi', status: 'active', region: 'NG', phones: ['90 111 22 33'] },
      a.cookie,
    );
    await makeClient(t(), { name: 'Namangan Gilam Savdo', status: 'lead', region: 'NG' }, a.cookie);
    await makeClient(t(), { name: 'Namangan Gilam Import', status: 'active', region: 'NG' }, b.cookie);
    const find = async (query: string, cookie = a.cookie) => {
      const response = await t().request<Page>('GET', `/api/crm/clients?${query}`, { cookie });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.items.map((c) => c.name);
    };
    // The other filters apply to the search, and a manager never finds another's client.
    expect(await find('q=namangan+gilam&status=active')).toEqual(['Namangan Gilam Fabrikasi']);
    expect(await find('q=namangan+gilam')).toEqual(['Namangan Gilam Fabrikasi', 'Namangan Gilam Savdo']);
    expect(await find('q=namangan+gilam&status=inactive')).toEqual([]);
    // A word inside the name, digits inside a phone, a typo.
    expect(await find('q=fabrikasi')).toEqual(['Namangan Gilam Fabrikasi']);
    expect(await find('q=1112233')).toEqual(['Namangan Gilam Fabrikasi']);
    expect(await find('q=namangan+gilan+fabrikasi')).toEqual(['Namangan Gilam Fabrikasi']);
    // Known words in another order: neither a prefix nor a substring, found by similarity.
    expect((await find('q=fabrikasi+gilam+namangan'))[0]).toBe('Namangan Gilam Fabrikasi');
    expect(await find('q=gilam+namangan&status=lead')).toEqual(['Namangan Gilam Savdo']);
    // Two letters: a prefix only (no trigram can serve less than three).
    expect(await find('q=Na&status=active')).toEqual(['Namangan Gilam Fabrikasi']);
    // Keys follow changes: a new phone is found, the old one no longer.
    await t().request('PATCH', `/api/crm/clients/${mine.id}`, {
      cookie: a.cookie,
      body: { phones: ['90 444 55 66'] },
    });
    expect(await find('q=904445566')).toEqual(['Namangan Gilam Fabrikasi']);
    expect(await find('q=901112233')).toEqual([]);
    // A contact's phone, until the contact is removed.
    const contact = await t().request('POST', `/api/crm/clients/${mine.id}/contacts`, {
      cookie: a.cookie,
      body: { name: 'Zuhra Qosimova', phones: ['93 777 88 99'] },
    });
    expect(await find('q=zuhra')).toEqual(['Namangan Gilam Fabrikasi']);
    await t().request('DELETE', `/api/crm/contacts/${contact.body.id}`, { cookie: a.cookie });
    expect(await find('q=937778899')).toEqual([]);
  });

  it('refuses a bad filter or sort with the field named', async () => {
    const response = await t().request('GET', '/api/crm/clients?status=gone&sort=salary', {
      cookie: t().admin.cookie,
    });
    expect(response.status).toBe(400);
    const paths = response.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['status', 'sort']));
  });
});
