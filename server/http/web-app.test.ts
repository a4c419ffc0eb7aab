// The web app as the server hands it out: the page at / and at any app path, its assets,
// and a 404 (never the page) for a missing asset.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuite, type Suite } from '../suite.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-db.js';

describe('serving the web app', () => {
  const dist = mkdtempSync(join(tmpdir(), 'onebox-dist-'));
  let database: TestDatabase;
  let suite: Suite;
  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'app-1.js'), 'console.log(1)');
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

  const get = (url: string) => suite.app.inject({ method: 'GET', url });

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
