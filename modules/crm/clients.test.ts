// Clients through the API: validation, tax ids, phones, duplicates, contacts, visibility, audit.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../../server/testing/test-suite.js';
import { normalizePhone, taxIdProblem } from './define.js';
import { issuePaths, makeClient, phone, salesTeam, stir, tag } from './test-helpers.js';

it('normalises Uzbek phones to E.164 and checks tax ids by kind', () => {
  expect(normalizePhone('90 123-45-67')).toBe('+998901234567');
  expect(normalizePhone('+998 (90) 123 45 67')).toBe('+998901234567');
  expect(normalizePhone('998901234567')).toBe('+998901234567');
  expect(normalizePhone('+7 916 123 45 67')).toBe('+79161234567');
  expect(normalizePhone('12345')).toBeNull();
  expect(normalizePhone('+99890123456')).toBeNull();
  expect(taxIdProblem('company', '301234567')).toBeNull();
  expect(taxIdProblem('company', '3012345678')).toBe('TAX_ID_COMPANY');
  expect(taxIdProblem('person', '31234567890123')).toBeNull();
  expect(taxIdProblem('person', '301234567')).toBe('TAX_ID_PERSON');
});

describeEachBackend('crm clients', (t) => {
  it('creates a company with normalised phones, lower-cased e-mails and the caller as owner', async () => {
    const p = phone();
    const client = await makeClient(t(), {
      taxId: stir(),
      phones: [`${p.slice(0, 2)} ${p.slice(2, 5)}-${p.slice(5, 7)}-${p.slice(7)}`],
      emails: ['Info@Example.UZ'],
      region: 'SA',
      tags: ['ulgurji', 'ulgurji'],
    });
    expect(client).toMatchObject({
      kind: 'company',
      status: 'lead',
      phones: [`+998${p}`],
      emails: ['info@example.uz'],
      region: 'SA',
      tags: ['ulgurji'],
      ownerId: t().admin.id,
      ownerName: 'Test Admin',
      nextActivity: null,
    });
  });

  it('refuses bad input with VALIDATION_FAILED naming each field, in the caller’s language', async () => {
    const bad = await t().request('POST', '/api/crm/clients', {
      cookie: t().admin.cookie,
      headers: { 'accept-language': 'ru' },
      body: {
        kind: 'company',
        name: '',
        taxId: '12345',
        phones: ['abc'],
        emails: ['not-an-email'],
        status: 'vip',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(issuePaths(bad.body)).toEqual(expect.arrayContaining(['name', 'phones.0', 'emails.0', 'status']));
    const tax = await t().request('POST', '/api/crm/clients', {
      cookie: t().admin.cookie,
      body: { kind: 'person', name: 'Aliyev Anvar', taxId: '301234567' },
    });
    expect(tax.status).toBe(400);
    expect(tax.body.error.details.issues).toEqual([
      { path: 'taxId', message: expect.stringContaining('14') },
    ]);
    const region = await t().request('POST', '/api/crm/clients', {
      cookie: t().admin.cookie,
      body: { kind: 'company', name: 'X', region: 'MARS' },
    });
    expect(issuePaths(region.body)).toEqual(['region']);
    const person = await makeClient(t(), { kind: 'person', name: 'Aliyev Anvar', taxId: '31234567890123' });
    expect(person.taxId).toBe('31234567890123');
  });

  it('warns of a duplicate by tax id, phone or e-mail with 409 CLIENT_DUPLICATE, and creates it when confirmed', async () => {
    const taxId = stir();
    const p = phone();
    const email = `sotuv-${tag()}@agro.uz`;
    const first = await makeClient(t(), { taxId, phones: [p], emails: [email] });
    for (const [body, matchedOn] of [
      [{ taxId }, 'taxId'],
      [{ phones: [`+998${p}`] }, 'phone'],
      [{ emails: [email.toUpperCase()] }, 'email'],
    ] as const) {
      const again = await t().request('POST', '/api/crm/clients', {
        cookie: t().admin.cookie,
        body: { kind: 'company', name: 'Boshqa nom', ...body },
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('CLIENT_DUPLICATE');
      expect(again.body.error.details.duplicates).toEqual([{ id: first.id, name: first.name, matchedOn }]);
      expect(again.body.error.message).toContain(first.name);
    }
    const confirmed = await t().request('POST', '/api/crm/clients', {
      cookie: t().admin.cookie,
      body: { kind: 'company', name: 'Boshqa nom', taxId, confirmDuplicate: true },
    });
    expect(confirmed.status).toBe(201);
    // Changing another client to a known phone is warned about too.
    const patch = await t().request('PATCH', `/api/crm/clients/${confirmed.body.id}`, {
      cookie: t().admin.cookie,
      body: { phones: [p] },
    });
    expect(patch.status).toBe(409);
  });

  it('keeps contacts, finds the client by them, and shows the card with its timeline', async () => {
    const client = await makeClient(t());
    const contact = await t().request('POST', `/api/crm/clients/${client.id}/contacts`, {
      cookie: t().admin.cookie,
      body: { name: 'Sardor Xolmatov', position: 'Direktor', phones: ['901112233'], telegram: '@sardor' },
    });
    expect(contact.status).toBe(201);
    expect(contact.body).toMatchObject({ clientId: client.id, phones: ['+998901112233'] });
    const changed = await t().request('PATCH', `/api/crm/contacts/${contact.body.id}`, {
      cookie: t().admin.cookie,
      body: { position: 'Bosh direktor' },
    });
    expect(changed.body.position).toBe('Bosh direktor');
    const card = await t().request('GET', `/api/crm/clients/${client.id}`, { cookie: t().admin.cookie });
    expect(card.status).toBe(200);
    expect(card.body.client.id).toBe(client.id);
    expect(card.body.contacts).toHaveLength(1);
    expect(card.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['created']);
    const removed = await t().request('DELETE', `/api/crm/contacts/${contact.body.id}`, {
      cookie: t().admin.cookie,
    });
    expect(removed.status).toBe(204);
    const unknown = await t().request('GET', '/api/crm/clients/00000000-0000-4000-8000-000000000000', {
      cookie: t().admin.cookie,
    });
    expect(unknown.status).toBe(404);
  });

  it('shows a sales manager only their own clients: another manager’s is 404; the head sees all', async () => {
    const { a, b, head } = await salesTeam(t());
    const mine = await makeClient(t(), { name: `Andijon Tekstil ${tag()}` }, a.cookie);
    expect(mine.ownerId).toBe(a.id);
    for (const [method, url, body] of [
      ['GET', `/api/crm/clients/${mine.id}`, undefined],
      ['PATCH', `/api/crm/clients/${mine.id}`, { notes: 'x' }],
      ['GET', `/api/crm/clients/${mine.id}/timeline`, undefined],
      ['POST', `/api/crm/clients/${mine.id}/contacts`, { name: 'Kimdir' }],
    ] as const) {
      const response = await t().request(method, url, { cookie: b.cookie, body });
      expect(response.status, `${method} ${url}`).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
    const listB = await t().request('GET', '/api/crm/clients?limit=500', { cookie: b.cookie });
    expect(listB.body.items.map((c: { id: string }) => c.id)).not.toContain(mine.id);
    const listA = await t().request('GET', '/api/crm/clients?limit=500', { cookie: a.cookie });
    expect(listA.body.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect((await t().request('GET', `/api/crm/clients/${mine.id}`, { cookie: head.cookie })).status).toBe(
      200,
    );
    expect(
      (await t().request('GET', `/api/crm/clients/${mine.id}`, { cookie: t().admin.cookie })).status,
    ).toBe(200);
    // A manager cannot hand a client to someone else; the head can.
    const handOver = await t().request('PATCH', `/api/crm/clients/${mine.id}`, {
      cookie: a.cookie,
      body: { ownerId: b.id },
    });
    expect(handOver.status).toBe(403);
    const byHead = await t().request('PATCH', `/api/crm/clients/${mine.id}`, {
      cookie: head.cookie,
      body: { ownerId: b.id },
    });
    expect(byHead.status).toBe(200);
    expect(byHead.body.ownerName).toBe('Jasur Rahimov');
    expect((await t().request('GET', `/api/crm/clients/${mine.id}`, { cookie: a.cookie })).status).toBe(404);
    expect((await t().request('GET', `/api/crm/clients/${mine.id}`, { cookie: b.cookie })).status).toBe(200);
  });

  it('gives employees nothing by default, and readAll can be granted', async () => {
    const employee = await t().createUser(['employee']);
    expect((await t().request('GET', '/api/crm/clients', { cookie: employee.cookie })).status).toBe(403);
    const role = `crm_auditor_${tag()}`;
    const created = await t().request('POST', '/api/admin/roles', {
      cookie: t().admin.cookie,
      body: { code: role, name: 'CRM auditor', permissions: ['crm.clients.read', 'crm.clients.readAll'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const auditor = await t().createUser([role]);
    const someone = await makeClient(t());
    expect(
      (await t().request('GET', `/api/crm/clients/${someone.id}`, { cookie: auditor.cookie })).status,
    ).toBe(200);
  });

  it('records every write in the audit log', async () => {
    const client = await makeClient(t());
    await t().request('PATCH', `/api/crm/clients/${client.id}`, {
      cookie: t().admin.cookie,
      body: { status: 'active' },
    });
    const audit = await t().request('GET', `/api/admin/audit?entity=client&entityId=${client.id}&sort=at`, {
      cookie: t().admin.cookie,
    });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual([
      'crm.createClient',
      'crm.updateClient',
    ]);
    expect(audit.body.items[1].before.status).toBe('lead');
    expect(audit.body.items[1].after.status).toBe('active');
  });

  it('lists regions and lets the sales head add one', async () => {
    const { a, head } = await salesTeam(t());
    const regions = await t().request('GET', '/api/crm/regions', { cookie: a.cookie });
    expect(regions.body.items).toHaveLength(14);
    expect(regions.body.items.map((r: { name: string }) => r.name)).toContain(
      'Qoraqalpogʻiston Respublikasi',
    );
    expect(
      (await t().request('POST', '/api/crm/regions', { cookie: a.cookie, body: { code: 'X', name: 'X' } }))
        .status,
    ).toBe(403);
    const added = await t().request('POST', '/api/crm/regions', {
      cookie: head.cookie,
      body: { code: 'NK', name: 'Nukus shahri' },
    });
    expect(added.status).toBe(200);
    await makeClient(t(), { region: 'NK' });
  });
});
