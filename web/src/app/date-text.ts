// Calendar dates as people type them in the app's language (day first: 24.11.2026 in Uzbek and
// Russian, 24/11/2026 in English), whatever language the browser itself speaks.
import type { Locale } from '../i18n/i18n';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function separator(locale: Locale): string {
  return locale === 'en' ? '/' : '.';
}

function isoOf(year: number, month: number, day: number): string | null {
  if (year < 1000 || year > 9999) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

/** "2026-11-24" as typed in the language ("24.11.2026"); anything else as it is. */
export function formatDateText(value: string, locale: Locale): string {
  const match = ISO.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  const sep = separator(locale);
  return `${day}${sep}${month}${sep}${year}`;
}

/**
 * The ISO date a typed text means: day, month and year with any of . / - or spaces between
 * them (a two-digit year is this century's), or an ISO date pasted as it is; '' for no text,
 * null for a text that is no date (31.02.2026, 24.11).
 */
export function parseDateText(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const iso = ISO.exec(trimmed);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const parts = trimmed.split(/[\s./-]+/);
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/.test(p))) return null;
  const [day, month, year] = parts as [string, string, string];
  if (day.length > 2 || month.length > 2 || (year.length !== 2 && year.length !== 4)) return null;
  return isoOf(year.length === 2 ? 2000 + Number(year) : Number(year), Number(month), Number(day));
}

/** "9", "930", "9:30" or "09.30" as "09:30" (24-hour clock); '' for no text, null for no time. */
export function parseTimeText(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const match = /^(\d{1,2})(?:[:.\s]?(\d{2}))?$/.exec(trimmed);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  if (hours > 23 || minutes > 59) return null;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/**
 * Today's date in Tashkent (UTC+5 all year), where the company keeps its books: reports'
 * periods are its days, whatever time zone the browser is in.
 */
export function tashkentToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 5 * 3_600_000).toISOString().slice(0, 10);
}
