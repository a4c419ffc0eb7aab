// The web app as the server hands it out: the page at / and at any app path, its assets
// (compressed when the browser accepts it), and a 404 (never the page) for a missing asset.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDirectory } from '../../scripts/vite-precompress.js';
import { createSuite, type Suite } from '../suite.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-db.js';

// A script big enough to be worth compressing, and compressible as real code is.
const BIG_SCRIPT = Array.from(
  { length: 2000 },
  (_, i) => `export const row${i} = { id: ${i}, name: 'qator ${i}' };`,
).join('\n');

describe('serving the web app', () => {
  const dist = mkdtempSync(join(tmpdir(), 'onebox-dist-'));
  let database: TestDatabase;
  let suite: Suite;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(dist, 'assets', 'grid-1.js'), BIG_SCRIPT);
    await precompressDirectory(dist);
    database = await createTestDatabase('pglite');
    suite = await createSuite({
      db: database.db,
      modules: [],
      log: pino({ level: 'silent' }),
      webDist: dist,
    });
  });
  afterAll(async () => {
    await suite.close();
    await database.close();
    rmSync(dist, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    suite.app.inject({ method: 'GET', url, headers });

  it('sends the build compressed as the browser accepts it, and the file itself otherwise', async () => {
    const br = await get('/assets/grid-1.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.rawPayload.length).toBeLessThan(BIG_SCRIPT.length / 4);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(BIG_SCRIPT);
    const gz = await get('/assets/grid-1.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(BIG_SCRIPT);
    const plain = await get('/assets/grid-1.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(BIG_SCRIPT);
    // A file too small to be worth it is sent as it is, whatever the browser accepts.
    const small = await get('/assets/app-1.js', { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('console.log(1)');
  });

  it('serves the page at / and at every app path', async () => {
    for (const url of ['/', '/admin/users', '/erp/documents/123?tab=lines']) {
      const response = await get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 200 });
      expect(response.body).toContain('<div id="root">');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves assets for good, and one built after the start too', async () => {
    const asset = await get('/assets/app-1.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    writeFileSync(join(dist, 'assets', 'app-2.js'), 'console.log(2)');
    expect((await get('/assets/app-2.js')).statusCode).toBe(200);
  });

  it('answers 404 for a missing asset or API path, never the page', async () => {
    for (const url of ['/assets/gone-9.js', '/favicon.ico', '/api/nothing']) {
      const response = await get(url);
      expect({ url, status: response.statusCode }).toEqual({ url, status: 404 });
      expect(response.body).not.toContain('<div id="root">');
    }
  });
});
