// API answers over the wire: a list page goes compressed to a browser that accepts it, a small
// answer and any answer to a client that accepts no encoding go as they are.
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/test-suite.js';

describeEachBackend('compressed API answers', (t) => {
  const audit = (acceptEncoding?: string) =>
    t().suite.app.inject({
      method: 'GET',
      url: '/api/admin/audit?limit=50',
      headers: { cookie: t().admin.cookie, ...(acceptEncoding && { 'accept-encoding': acceptEncoding }) },
    });

  it('sends a list page compressed as the browser accepts it, and the same JSON otherwise', async () => {
    for (let i = 0; i < 6; i++) await t().createUser(['sales_manager']);
    const plain = await audit();
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(2048);
    const items = JSON.parse(plain.body).items;
    expect(items.length).toBeGreaterThan(6);

    const br = await audit('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(br.rawPayload.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString()).items).toEqual(items);

    const gz = await audit('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString()).items).toEqual(items);

    // Refused encodings are honoured: nothing the client cannot read.
    const identity = await audit('br;q=0, gzip;q=0, identity');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(identity.body).items).toEqual(items);
  });

  it('sends a small answer as it is', async () => {
    const me = await t().request('GET', '/api/auth/me', {
      cookie: t().admin.cookie,
      headers: { 'accept-encoding': 'br, gzip' },
    });
    expect(me.status).toBe(200);
    expect(me.headers['content-encoding']).toBeUndefined();
    expect(me.body.user.email).toBe(t().admin.email);
  });

  it('does not inflate a compressed request body: it is refused, and nothing is created', async () => {
    const body = { email: 'zipped@test.uz', name: 'Zipped', password: 'long-enough-1', roles: [] };
    const response = await t().suite.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: {
        cookie: t().admin.cookie,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      payload: gzipSync(JSON.stringify(body)),
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe('BAD_REQUEST');
    const users = await t().request('GET', '/api/admin/users?q=zipped', { cookie: t().admin.cookie });
    expect(users.body.total).toBe(0);
  });
});
