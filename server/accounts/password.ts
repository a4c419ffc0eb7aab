// Password hashing with scrypt (memory-hard, in node:crypto) and a constant-time compare.
// The parameters are stored with each hash, so raising the cost later keeps old hashes valid.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
// N=2^15, r=8: 32 MiB per hash, ~60-100 ms here; enough to make offline guessing costly
// while a burst of sign-ins stays within the server's memory budget.
const DEFAULT_COST = 15;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function options(logN: number, r: number, p: number): ScryptOptions {
  return { N: 2 ** logN, r, p, maxmem: 2 ** logN * r * 256 };
}

/** Cost exponent; tests lower it with PASSWORD_HASH_COST to keep the suite fast. */
function cost(): number {
  const fromEnv = Number(process.env.PASSWORD_HASH_COST);
  return Number.isInteger(fromEnv) && fromEnv >= 10 && fromEnv <= 20 ? fromEnv : DEFAULT_COST;
}

export async function hashPassword(password: string): Promise<string> {
  const logN = cost();
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, options(logN, 8, 1));
  return `scrypt$${logN}$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const DIGITS = /^\d{1,2}$/;

/** The parameters of a stored hash, or undefined when it is not one this code wrote. */
function parseHash(
  stored: string,
): { logN: number; r: number; p: number; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6) return undefined;
  const [scheme, logN, r, p, salt, key] = parts as [string, string, string, string, string, string];
  if (scheme !== 'scrypt' || !DIGITS.test(logN) || !DIGITS.test(r) || !DIGITS.test(p)) return undefined;
  const parsed = { logN: Number(logN), r: Number(r), p: Number(p) };
  // Bounds a server can compute: anything else is damage (or a hostile row), not a password.
  if (parsed.logN < 1 || parsed.logN > 20 || parsed.r < 1 || parsed.r > 32 || parsed.p < 1 || parsed.p > 16) {
    return undefined;
  }
  const saltBytes = Buffer.from(salt, 'base64url');
  const keyBytes = Buffer.from(key, 'base64url');
  if (saltBytes.length === 0 || keyBytes.length !== KEY_LENGTH) return undefined;
  return { ...parsed, salt: saltBytes, key: keyBytes };
}

/** Whether the password matches the stored hash; a malformed hash matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const hash = parseHash(stored);
  if (!hash) return false;
  try {
    const actual = await scryptAsync(password, hash.salt, options(hash.logN, hash.r, hash.p));
    return actual.length === hash.key.length && timingSafeEqual(actual, hash.key);
  } catch {
    return false;
  }
}

// Verifying against this when the e-mail is unknown costs the same time as a real check,
// so response times do not tell which e-mails have accounts.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
