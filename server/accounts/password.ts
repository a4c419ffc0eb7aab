// Password hashing with scrypt (memory-hard, in node:crypto) and a constant-time compare.
// The parameters are stored with each hash, so raising the cost later keeps old hashes valid.
import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

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

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !logN || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), options(Number(logN), Number(r), Number(p)));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Verifying against this when the e-mail is unknown costs the same time as a real check,
// so response times do not tell which e-mails have accounts.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
