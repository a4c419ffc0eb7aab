// The import file as a multipart upload (what the web page sends): CSV and XLSX read as from
// JSON, a file of another kind 400, one over the limit 413, each with a message naming it.
import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { MAX_FILE_BYTES, MAX_ROWS } from './import-export.js';

const URL = '/api/crm/clients/import/preview';

/** A multipart/form-data body with one file part, built by hand as a browser would send it. */
function multipart(fileName: string, content: Buffer, type: string, field = 'file') {
  const boundary = `----onebox${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function xlsxOf(rows: (string | Date)[][]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Mijozlar').addRows(rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describeEachBackend('crm import upload', (t) => {
  const upload = (fileName: string, content: Buffer, type: string, cookie = t().admin.cookie) =>
    t().request('POST', URL, { cookie, ...multipart(fileName, content, type) });

  it('reads a CSV and an XLSX uploaded as multipart, then validates them like any import', async () => {
    const csv = await upload(
      'mijozlar.csv',
      Buffer.from('Nomi;STIR;Telefon\nQoʻqon Mebel;301234567;90 111 22 33\nXiva Turizm;;\n'),
      'text/csv',
    );
    expect(csv.status, JSON.stringify(csv.body)).toBe(200);
    expect(csv.body).toMatchObject({
      columns: ['Nomi', 'STIR', 'Telefon'],
      rows: 2,
      suggestedMapping: { Nomi: 'name', STIR: 'taxId', Telefon: 'phones' },
    });
    expect(csv.body.sample[0]).toEqual(['Qoʻqon Mebel', '301234567', '90 111 22 33']);

    const xlsx = await upload(
      'clients.xlsx',
      await xlsxOf([
        ['Наименование', 'ИНН'],
        ['Navoiy Kon', '302345678'],
      ]),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(xlsx.status, JSON.stringify(xlsx.body)).toBe(200);
    expect(xlsx.body).toMatchObject({ columns: ['Наименование', 'ИНН'], rows: 1 });
    const check = await t().request('POST', `/api/crm/clients/import/${xlsx.body.importId}/validate`, {
      cookie: t().admin.cookie,
      body: { mapping: { Наименование: 'name', ИНН: 'taxId' } },
    });
    expect(check.body).toMatchObject({ rows: 1, valid: 1, errors: [] });
  });

  it('reads XLSX dates as dates, and refuses a sheet of more rows than an import takes with 413', async () => {
    const dated = await upload(
      'sanalar.xlsx',
      await xlsxOf([
        ['Nomi', 'Sana'],
        ['Buxoro Gilam', new Date('2026-03-21T00:00:00Z')],
      ]),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(dated.status, JSON.stringify(dated.body)).toBe(200);
    expect(dated.body.sample[0]).toEqual(['Buxoro Gilam', '2026-03-21']);

    const rows = Array.from({ length: MAX_ROWS + 2 }, (_, i) => [`Mijoz ${i}`]);
    const tooMany = await upload(
      'katta.xlsx',
      await xlsxOf([['Nomi'], ...rows]),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.code).toBe('IMPORT_TOO_LARGE');
  });

  it('answers 400 for a file that is neither CSV nor XLSX, and stores nothing', async () => {
    const before = await t()
      .db.selectFrom('crm_imports')
      .select(t().db.fn.countAll().as('n'))
      .executeTakeFirst();
    const pdf = await upload('offer.pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'application/pdf');
    expect(pdf.status).toBe(400);
    expect(pdf.body.error).toMatchObject({ code: 'IMPORT_FILE_TYPE', details: { field: 'file' } });
    expect(pdf.body.error.message).toMatch(/\.csv.*\.xlsx/);
    // Binary content behind a .csv name is not a table either.
    const binary = await upload('photo.csv', Buffer.from([0xff, 0xd8, 0xff, 0, 0, 0x10]), 'text/csv');
    expect(binary.status).toBe(400);
    expect(binary.body.error.code).toBe('IMPORT_FILE_TYPE');
    // An old .xls in the JSON body too.
    const xls = await t().request('POST', URL, {
      cookie: t().admin.cookie,
      body: { fileName: 'old.xls', contentBase64: Buffer.from('x').toString('base64') },
    });
    expect(xls.status).toBe(400);
    expect(xls.body.error.code).toBe('IMPORT_FILE_TYPE');
    const after = await t()
      .db.selectFrom('crm_imports')
      .select(t().db.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(Number(after?.n)).toBe(Number(before?.n));
  });

  it('answers 413 for a file over the size limit, and 400 for a request without a file', async () => {
    const big = Buffer.alloc(MAX_FILE_BYTES + 1024, 'a,b\n');
    const tooLarge = await upload('big.csv', big, 'text/csv');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: 'IMPORT_TOO_LARGE', details: { field: 'file' } });
    expect(tooLarge.body.error.message).toMatch(/5 MB/);
    const boundary = '----onebox-empty';
    const none = await t().request('POST', URL, {
      cookie: t().admin.cookie,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
      ),
    });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('IMPORT_FILE_MISSING');
  });

  it('needs the import permission for an upload as for JSON', async () => {
    const hr = await t().createUser(['hr']);
    const refused = await upload('a.csv', Buffer.from('Nomi\nX\n'), 'text/csv', hr.cookie);
    expect(refused.status).toBe(403);
  });
});
