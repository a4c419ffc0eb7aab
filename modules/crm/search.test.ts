// One search box: name prefixes, small typos, contacts, phones, e-mails and tax ids.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { makeClient, salesTeam, stir } from './test-helpers.js';

describeEachBackend('crm search', (t) => {
  it('finds clients by prefix, typo, contact, phone, e-mail and tax id, paged on the server', async () => {
    const { a } = await salesTeam(t());
    const taxId = stir();
    const target = await makeClient(
      t(),
      { name: 'Samarqand Agro Trade', taxId, phones: ['+998 93 555 12 34'], emails: ['info@samagro.uz'] },
      a.cookie,
    );
    await t().request('POST', `/api/crm/clients/${target.id}/contacts`, {
      cookie: a.cookie,
      body: { name: 'Oʻktam Toʻxtayev', phones: ['97 700 11 22'] },
    });
    await makeClient(t(), { name: 'Toshkent Qurilish Invest MChJ' }, a.cookie);
    await makeClient(t(), { name: 'Fargʻona Yogʻ Ekstrakt' }, a.cookie);
    const find = async (q: string) => {
      const response = await t().request('GET', `/api/crm/clients?q=${encodeURIComponent(q)}`, {
        cookie: a.cookie,
      });
      expect(response.status).toBe(200);
      return response.body.items.map((c: { name: string }) => c.name) as string[];
    };
    expect(await find('Samar')).toEqual(['Samarqand Agro Trade']);
    expect((await find('samarkand agro'))[0]).toBe('Samarqand Agro Trade');
    expect((await find('Toshkent Qurlish'))[0]).toBe('Toshkent Qurilish Invest MChJ');
    expect(await find('toxtayev')).toEqual(['Samarqand Agro Trade']);
    expect(await find('Oʻktam')).toEqual(['Samarqand Agro Trade']);
    expect(await find('+998935551234')).toEqual(['Samarqand Agro Trade']);
    expect(await find('93 555 12')).toEqual(['Samarqand Agro Trade']);
    expect(await find('977001122')).toEqual(['Samarqand Agro Trade']);
    expect(await find('info@samagro')).toEqual(['Samarqand Agro Trade']);
    expect(await find(taxId)).toEqual(['Samarqand Agro Trade']);
    expect(await find('Fargona')).toEqual(['Fargʻona Yogʻ Ekstrakt']);
    expect(await find('zzzqqq')).toEqual([]);
    // Renaming keeps the search text up to date.
    await t().request('PATCH', `/api/crm/clients/${target.id}`, {
      cookie: a.cookie,
      body: { name: 'Buxoro Agro Trade' },
    });
    expect(await find('buxoro')).toEqual(['Buxoro Agro Trade']);
    const page = await t().request('GET', '/api/crm/clients?limit=2&offset=1&sort=-createdAt', {
      cookie: a.cookie,
    });
    expect(page.body.total).toBe(3);
    expect(page.body.items).toHaveLength(2);
  });

  it('filters by status, region, tag and kind', async () => {
    const { a } = await salesTeam(t());
    await makeClient(t(), { name: 'Navoiy Kon', region: 'NW', status: 'active', tags: ['vip'] }, a.cookie);
    await makeClient(t(), { name: 'Jizzax Don', region: 'JI', kind: 'company' }, a.cookie);
    const q = async (query: string) =>
      (await t().request('GET', `/api/crm/clients?${query}`, { cookie: a.cookie })).body.items.map(
        (c: { name: string }) => c.name,
      );
    expect(await q('status=active')).toEqual(['Navoiy Kon']);
    expect(await q('region=JI')).toEqual(['Jizzax Don']);
    expect(await q('tag=vip')).toEqual(['Navoiy Kon']);
    expect(await q('kind=person')).toEqual([]);
    expect(await q('sort=-name')).toEqual(['Navoiy Kon', 'Jizzax Don']);
  });
});
