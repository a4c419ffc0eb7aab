// What the client form shows under phone and tax id fields while the user types: the number
// as the server will store it (E.164, +998 assumed) and whether the tax id has the right length.

/** The digits of the Uzbek national number: operator code (2) and subscriber (7). */
const UZ_NATIONAL = 9;

/**
 * The phone as E.164 the way the server stores it: "+" kept, else "998" is added to a
 * 9-digit national number; null when it cannot be a phone number.
 *
 * @example normalisePhone('90 123-45-67') // '+998901234567'
 */
export function normalisePhone(input: string): string | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  if (/[^\d\s()+\-.]/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+') || trimmed.startsWith('00')) {
    const international = trimmed.startsWith('00') ? digits.slice(2) : digits;
    if (international.startsWith('998')) return international.length === 12 ? `+${international}` : null;
    return international.length >= 8 && international.length <= 15 ? `+${international}` : null;
  }
  if (digits.length === UZ_NATIONAL) return `+998${digits}`;
  if (digits.length === 12 && digits.startsWith('998')) return `+${digits}`;
  return null;
}

/** Splits a field holding several phones or e-mails ("a, b; c" or one per line). */
export function splitList(value: string): string[] {
  return value
    .split(/[,;\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

export type TaxIdProblem = 'digits' | 'length' | null;

/** The length a tax id must have: 9 digits (STIR/INN) for a company, 14 (PINFL) for a person. */
export function taxIdLength(kind: 'company' | 'person'): number {
  return kind === 'company' ? 9 : 14;
}

/** What is wrong with a tax id as typed, if anything (empty is allowed: the field is optional). */
export function taxIdProblem(kind: 'company' | 'person', value: string): TaxIdProblem {
  const text = value.replace(/\s/g, '');
  if (!text) return null;
  if (!/^\d+$/.test(text)) return 'digits';
  return text.length === taxIdLength(kind) ? null : 'length';
}
