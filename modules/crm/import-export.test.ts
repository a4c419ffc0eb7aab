// Import with preview, mapping and per-row errors (refused or skipped), and export of a filtered list.
import { expect, it } from 'vitest';
import { parseCsv } from '../../server/core/table-file.js';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { suggestMapping } from './import-export.js';
import { makeClient, salesTeam, stir } from './test-helpers.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

it('reads CSV with quotes and either delimiter, and suggests a mapping from uz/ru/en headers', () => {
  expect(parseCsv('Nomi;INN\n"Agro; Trade";301234567\r\n')).toEqual([
    ['Nomi', 'INN'],
    ['Agro; Trade', '301234567'],
  ]);
  expect(parseCsv('a,"b ""q"""\n1,2')).toEqual([
    ['a', 'b "q"'],
    ['1', '2'],
  ]);
  expect(suggestMapping(['Наименование', 'ИНН', 'Telefon', 'E-mail', 'Hudud', 'Boshqa'])).toEqual({
    Наименование: 'name',
    ИНН: 'taxId',
    Telefon: 'phones',
    'E-mail': 'emails',
    Hudud: 'region',
    Boshqa: null,
  });
});

describeEachBackend('crm import and export', (t) => {
  it('previews, reports each bad row, refuses while errors remain, and imports the good rows when told to skip', async () => {
    const { a } = await salesTeam(t());
    const existing = await makeClient(t(), { taxId: stir() }, a.cookie);
    const good = stir();
    const csv = [
      'Nomi,STIR,Telefon,Hudud,Status',
      `Qoʻqon Mebel,${good},90 111 22 33,Fargʻona,active`,
      'Xiva Turizm,12345,,Xorazm,',
      `Dublikat,${existing.taxId},,,`,
      ',,,,',
      'Termiz Savdo,,abc,Surxondaryo,',
      'Nukus Baliq,,,Mars,',
      `Qoʻqon Mebel 2,${good},,,`,
      'Guliston Paxta,,91 222 33 44,SI,prospect',
    ].join('\n');
    const preview = await t().request('POST', '/api/crm/clients/import/preview', {
      cookie: a.cookie,
      body: { fileName: 'mijozlar.csv', contentBase64: b64(csv) },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.columns).toEqual(['Nomi', 'STIR', 'Telefon', 'Hudud', 'Status']);
    expect(preview.body.sample[0][0]).toBe('Qoʻqon Mebel');
    const mapping = preview.body.suggestedMapping;
    expect(mapping).toEqual({
      Nomi: 'name',
      STIR: 'taxId',
      Telefon: 'phones',
      Hudud: 'region',
      Status: 'status',
    });
    const url = `/api/crm/clients/import/${preview.body.importId}`;
    const check = await t().request('POST', `${url}/validate`, { cookie: a.cookie, body: { mapping } });
    expect(check.status).toBe(200);
    expect(check.body.rows).toBe(7);
    expect(check.body.valid).toBe(2);
    expect(check.body.errors.map((e: { row: number; field: string }) => `${e.row}:${e.field}`)).toEqual([
      '3:taxId',
      '4:taxId',
      '5:phones',
      '6:region',
      '7:taxId',
    ]);
    const refused = await t().request('POST', `${url}/commit`, {
      cookie: a.cookie,
      body: { mapping, skipInvalid: false },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('IMPORT_HAS_ERRORS');
    const other = await t().createUser(['sales_manager']);
    expect(
      (await t().request('POST', `${url}/validate`, { cookie: other.cookie, body: { mapping } })).status,
    ).toBe(404);
    const done = await t().request('POST', `${url}/commit`, {
      cookie: a.cookie,
      body: { mapping, skipInvalid: true },
    });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ created: 2, skipped: 5 });
    const list = await t().request('GET', '/api/crm/clients?q=Mebel', { cookie: a.cookie });
    expect(list.body.items[0]).toMatchObject({
      name: 'Qoʻqon Mebel',
      region: 'FA',
      status: 'active',
      phones: ['+998901112233'],
      ownerId: a.id,
    });
    const again = await t().request('POST', `${url}/commit`, {
      cookie: a.cookie,
      body: { mapping, skipInvalid: true },
    });
    expect(again.status).toBe(409);
  });

  it('refuses a file that is not CSV or XLSX, and a mapping without the name', async () => {
    const bad = await t().request('POST', '/api/crm/clients/import/preview', {
      cookie: t().admin.cookie,
      body: { fileName: 'x.xlsx', contentBase64: b64('not a zip') },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('IMPORT_FILE_INVALID');
    const preview = await t().request('POST', '/api/crm/clients/import/preview', {
      cookie: t().admin.cookie,
      body: { fileName: 'x.csv', contentBase64: b64('A,B\n1,2') },
    });
    const noName = await t().request('POST', `/api/crm/clients/import/${preview.body.importId}/validate`, {
      cookie: t().admin.cookie,
      body: { mapping: { A: 'notes', B: null } },
    });
    expect(noName.status).toBe(422);
    expect(noName.body.error.code).toBe('IMPORT_MAPPING_NAME');
  });

  it('exports a filtered list as CSV and XLSX, and imports the XLSX back', async () => {
    const { a } = await salesTeam(t());
    await makeClient(
      t(),
      { name: 'Andijon Avto Ehtiyot', status: 'active', region: 'AN', phones: ['93 000 00 01'] },
      a.cookie,
    );
    await makeClient(t(), { name: '=Formula Savdo', status: 'active' }, a.cookie);
    await makeClient(t(), { name: 'Nofaol Mijoz', status: 'inactive' }, a.cookie);
    const csv = await t().request('GET', '/api/crm/clients/export?format=csv&status=active', {
      cookie: a.cookie,
    });
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toContain('text/csv');
    expect(String(csv.headers['content-disposition'])).toMatch(/attachment; filename="clients-.*\.csv"/);
    const lines = String(csv.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^name,kind,taxId,status/);
    expect(lines[1]).toContain("'=Formula Savdo");
    expect(lines[2]).toContain('Andijon Avto Ehtiyot');
    // In the list's order, whichever it is.
    const descending = await t().request(
      'GET',
      '/api/crm/clients/export?format=csv&status=active&sort=-name',
      {
        cookie: a.cookie,
      },
    );
    const names = String(descending.body)
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(names).toEqual(['Andijon Avto Ehtiyot', "'=Formula Savdo"]);
    const xlsx = await t().suite.app.inject({
      method: 'GET',
      url: '/api/crm/clients/export?format=xlsx&status=active',
      headers: { cookie: a.cookie },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const other = await t().createUser(['sales_manager']);
    const preview = await t().request('POST', '/api/crm/clients/import/preview', {
      cookie: other.cookie,
      body: { fileName: 'export.xlsx', contentBase64: xlsx.rawPayload.toString('base64') },
    });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.rows).toBe(2);
    expect(preview.body.suggestedMapping.name).toBe('name');
    const check = await t().request('POST', `/api/crm/clients/import/${preview.body.importId}/validate`, {
      cookie: other.cookie,
      body: { mapping: { name: 'name', region: 'region' } },
    });
    expect(check.body).toMatchObject({ rows: 2, valid: 2, errors: [] });
  });
});
