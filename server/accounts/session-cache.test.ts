// The session cache answers only while nothing about accounts changed and the session is live.
import { describe, expect, it } from 'vitest';
import type { Actor } from '../core/module.js';
import { accountsChanged, createSessionCache } from './session-cache.js';

const actor: Actor = {
  kind: 'user',
  id: '00000000-0000-4000-8000-000000000001',
  email: 'a@example.uz',
  name: 'A',
  locale: 'uz',
  roles: [],
  permissions: new Set(),
};
const TOUCH = 600_000;
const live = () => ({ actor, seenAt: Date.now(), expiresAt: Date.now() + 60_000 });

describe('session cache', () => {
  it('answers a stored session, and nothing after an account change', () => {
    const cache = createSessionCache();
    cache.set('h', cache.begin(), live());
    expect(cache.get('h', TOUCH)).toBe(actor);
    accountsChanged();
    expect(cache.get('h', TOUCH)).toBeNull();
  });

  it('does not store a lookup that began before an account change committed', () => {
    const cache = createSessionCache();
    const since = cache.begin();
    accountsChanged();
    cache.set('h', since, live());
    expect(cache.get('h', TOUCH)).toBeNull();
  });

  it('lets an expired session, or one due for its sliding-expiry write, go to the database', () => {
    const cache = createSessionCache();
    cache.set('expired', cache.begin(), { actor, seenAt: Date.now(), expiresAt: Date.now() - 1 });
    cache.set('due', cache.begin(), {
      actor,
      seenAt: Date.now() - TOUCH - 1,
      expiresAt: Date.now() + 60_000,
    });
    expect(cache.get('expired', TOUCH)).toBeNull();
    expect(cache.get('due', TOUCH)).toBeNull();
  });

  it('keeps nothing when turned off, and nothing past its time to live', async () => {
    const off = createSessionCache(0);
    off.set('h', off.begin(), live());
    expect(off.get('h', TOUCH)).toBeNull();
    const short = createSessionCache(20);
    short.set('h', short.begin(), live());
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(short.get('h', TOUCH)).toBeNull();
  });
});
