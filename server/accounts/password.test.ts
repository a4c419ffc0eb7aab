// Password hashing: what a stored hash must guarantee to the people signing in with it.
import { afterEach, describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  const cost = process.env.PASSWORD_HASH_COST;
  const restoreCost = () => {
    if (cost === undefined) delete process.env.PASSWORD_HASH_COST;
    else process.env.PASSWORD_HASH_COST = cost;
  };
  afterEach(restoreCost);

  it('verifies the password it was made from', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
  });

  it('refuses a wrong password, including near misses', async () => {
    const stored = await hashPassword('Parol-2024');
    expect(await verifyPassword('parol-2024', stored)).toBe(false);
    expect(await verifyPassword('Parol-2024 ', stored)).toBe(false);
    expect(await verifyPassword('Parol-202', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('never stores the password itself, and salts each hash differently', async () => {
    const first = await hashPassword('same-password');
    const second = await hashPassword('same-password');
    expect(first).not.toBe(second);
    expect(first).not.toContain('same-password');
    expect(await verifyPassword('same-password', first)).toBe(true);
    expect(await verifyPassword('same-password', second)).toBe(true);
  });

  it('records its scheme and cost in the hash (lowered in tests by PASSWORD_HASH_COST)', async () => {
    const stored = await hashPassword('x-password');
    expect(stored).toMatch(/^scrypt\$10\$8\$1\$[\w-]+\$[\w-]+$/);
  });

  it('keeps verifying hashes made with another cost after the cost changes', async () => {
    process.env.PASSWORD_HASH_COST = '11';
    const older = await hashPassword('kept-password');
    expect(older.startsWith('scrypt$11$')).toBe(true);
    restoreCost();
    const newer = await hashPassword('kept-password');
    expect(newer.startsWith('scrypt$11$')).toBe(false);
    expect(await verifyPassword('kept-password', older)).toBe(true);
    expect(await verifyPassword('other-password', older)).toBe(false);
  });

  it('treats a malformed stored hash as a mismatch instead of throwing', async () => {
    const good = await hashPassword('some-password');
    const [, logN, r, p, salt, key] = good.split('$');
    const malformed = [
      '',
      'not-a-hash',
      '!',
      'bcrypt$10$8$1$abc$def',
      `scrypt$${logN}$${r}$${p}$${salt}`,
      `scrypt$${logN}$${r}$${p}$${salt}$`,
      `scrypt$abc$${r}$${p}$${salt}$${key}`,
      `scrypt$${logN}$0$${p}$${salt}$${key}`,
      `scrypt$${logN}$${r}$0$${salt}$${key}`,
      `scrypt$-1$${r}$${p}$${salt}$${key}`,
      `scrypt$1.5$${r}$${p}$${salt}$${key}`,
      // A cost no server could afford (2^40 × 8 × 128 bytes of memory).
      `scrypt$40$${r}$${p}$${salt}$${key}`,
      `scrypt$${logN}$${r}$${p}$${salt}$${key}$extra`,
      `scrypt$${logN}$${r}$${p}$${salt}$${key?.slice(0, 10)}`,
    ];
    for (const stored of malformed) {
      await expect(verifyPassword('some-password', stored), stored).resolves.toBe(false);
    }
  });

  it('compares passwords after Unicode NFKC normalization', async () => {
    // "café" typed with a precomposed é and with e + a combining accent are one password.
    const composed = 'caf\u00e9-пароль';
    const decomposed = 'cafe\u0301-пароль';
    expect(composed).not.toBe(decomposed);
    const stored = await hashPassword(composed);
    expect(await verifyPassword(decomposed, stored)).toBe(true);

    // Full-width letters (as some input methods type them) and ligatures fold to plain ones.
    const plain = await hashPassword('pass-file-1');
    expect(await verifyPassword('\uff50\uff41\uff53\uff53-\ufb01le-1', plain)).toBe(true);

    // Normalization does not erase real differences.
    expect(await verifyPassword('caf\u00e8-пароль', stored)).toBe(false);
    expect(await verifyPassword('Oʻzbekiston', await hashPassword('Ozbekiston'))).toBe(false);
  });

  it('offers a dummy hash for unknown e-mails that no password matches', async () => {
    const dummy = await dummyPasswordHash();
    expect(await dummyPasswordHash()).toBe(dummy);
    expect(dummy.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('', dummy)).toBe(false);
    expect(await verifyPassword('admin', dummy)).toBe(false);
  });
});
