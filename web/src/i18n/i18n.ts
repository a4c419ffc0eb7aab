import { useMemo, useSyncExternalStore } from 'react';
import type { MessageKey } from './catalogues';

export type { MessageKey };

/** The languages of the suite; Uzbek is written in Latin script. */
export const LOCALES = ['uz', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export type Params = Record<string, string | number>;

// Each language is a chunk of its own, fetched when it is first chosen: a browser downloads the
// texts it shows, not all three languages (two thirds of the texts' weight on the first page).
const LOADERS: Record<Locale, () => Promise<{ default: Record<string, string> }>> = {
  uz: () => import('./texts/uz'),
  ru: () => import('./texts/ru'),
  en: () => import('./texts/en'),
};
const TEXTS: Partial<Record<Locale, Record<string, string>>> = {};

/** Fetches a language's texts once; `t` in that language answers keys until they are here. */
export async function loadTexts(locale: Locale): Promise<void> {
  TEXTS[locale] ??= (await LOADERS[locale]()).default;
}

/** BCP 47 tags given to Intl for each language. */
export const INTL_LOCALE: Record<Locale, string> = { uz: 'uz-Latn-UZ', ru: 'ru-RU', en: 'en-GB' };

/** Each language's own name, shown in the language switch whatever the current language is. */
export const LOCALE_NAMES: Record<Locale, string> = { uz: 'Oʻzbekcha', ru: 'Русский', en: 'English' };

const STORAGE_KEY = 'onebox.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function initialLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage may be disabled; the browser's language decides then.
  }
  const browser = globalThis.navigator?.language?.slice(0, 2);
  return isLocale(browser) ? browser : 'uz';
}

let current: Locale = initialLocale();
const listeners = new Set<() => void>();

export function getLocale(): Locale {
  return current;
}

let wanted: Locale = current;

/**
 * Switches the language of the whole app, once its texts are here, and remembers it in this
 * browser. Of two switches in quick succession the later one wins, whichever loads first.
 */
export async function setLocale(locale: Locale): Promise<void> {
  wanted = locale;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered in this browser; the server still keeps it per user.
  }
  await loadTexts(locale);
  if (wanted !== locale || locale === current) return;
  current = locale;
  if (globalThis.document) document.documentElement.lang = locale;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Whether a key exists, for keys built at run time (`roles.${code}`); every language has the same keys. */
export function hasKey(key: string, locale: Locale = current): key is MessageKey {
  const texts = TEXTS[locale];
  return texts !== undefined && Object.hasOwn(texts, key);
}

/**
 * Translates a key in the current language, replacing `{name}` placeholders.
 *
 * @example t('home.greeting', { name: user.name })
 */
export function t(key: MessageKey, params?: Params, locale: Locale = current): string {
  return interpolate(TEXTS[locale]?.[key] ?? key, params);
}

/** Translates a key built at run time, or returns `fallback` when the catalogue has no such key. */
export function tOr(key: string, fallback: string, params?: Params, locale: Locale = current): string {
  return hasKey(key, locale) ? t(key, params, locale) : fallback;
}

type DateInput = string | number | Date | null | undefined;

function toDate(value: DateInput): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const formatCache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function dateFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `d:${locale}:${JSON.stringify(options)}`;
  let format = formatCache.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], options);
    formatCache.set(cacheKey, format);
  }
  return format as Intl.DateTimeFormat;
}

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const cacheKey = `n:${locale}:${JSON.stringify(options)}`;
  let format = formatCache.get(cacheKey);
  if (!format) {
    format = new Intl.NumberFormat(numberLocale(locale), options);
    formatCache.set(cacheKey, format);
  }
  return format as Intl.NumberFormat;
}

// Debian's Chromium (and other small-ICU builds) accept "uz-Latn-UZ" but have
// no Uzbek data and print "2026 M03 5" and "12,500,000.5". There, Uzbek dates
// are written by hand as CLDR writes them, and numbers borrow Russian symbols,
// which are the same as Uzbek ones (12 500 000,5).
const UZ_MONTHS = ['yan', 'fev', 'mar', 'apr', 'may', 'iyn', 'iyl', 'avg', 'sen', 'okt', 'noy', 'dek'];
let uzData: boolean | undefined;

function hasUzbekData(): boolean {
  if (uzData === undefined) {
    const probe = new Intl.DateTimeFormat(INTL_LOCALE.uz, { month: 'long' }).format(new Date(2026, 0, 15));
    uzData = probe.toLowerCase() === 'yanvar';
  }
  return uzData;
}

function numberLocale(locale: Locale): string {
  return locale === 'uz' && !hasUzbekData() ? INTL_LOCALE.ru : INTL_LOCALE[locale];
}

function uzbekDate(date: Date): string {
  return `${date.getDate()}-${UZ_MONTHS[date.getMonth()]}, ${date.getFullYear()}`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** A calendar date such as "5-mar, 2026" / "5 мар. 2026 г." / "5 Mar 2026"; empty for no date. */
export function formatDate(value: DateInput, locale: Locale = current): string {
  const date = toDate(value);
  if (!date) return '';
  if (locale === 'uz' && !hasUzbekData()) return uzbekDate(date);
  return dateFormat(locale, { dateStyle: 'medium' }).format(date);
}

/**
 * A date with the time of day, in the browser's time zone: "24-noy, 09:52" / "24 нояб., 09:52" /
 * "24 Nov, 09:52" this year (lists stay narrow, as in a mail client), with the year otherwise.
 */
export function formatDateTime(value: DateInput, locale: Locale = current, now = new Date()): string {
  const date = toDate(value);
  if (!date) return '';
  const thisYear = date.getFullYear() === now.getFullYear();
  if (locale === 'uz' && !hasUzbekData()) {
    const day = thisYear ? `${date.getDate()}-${UZ_MONTHS[date.getMonth()]}` : uzbekDate(date);
    return `${day}, ${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}`;
  }
  if (!thisYear) return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  return dateFormat(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(
    date,
  );
}

type NumberInput = number | string | null | undefined;

function toNumber(value: NumberInput): number | null {
  if (value === null || value === undefined || value === '') return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

/** A number with the language's separators (12 500 000,5 in Uzbek and Russian). */
export function formatNumber(
  value: NumberInput,
  options: Intl.NumberFormatOptions = { maximumFractionDigits: 3 },
  locale: Locale = current,
): string {
  const number = toNumber(value);
  return number === null ? '' : numberFormat(locale, options).format(number);
}

/**
 * A sum of soʻm without the currency's name (for a column that names it once): without
 * fractions when there are none (12 500 000); tiyin, when there are some, shown rather than
 * rounded away (an average cost of 1 250,50 is not 1 251).
 */
export function formatSum(value: NumberInput, locale: Locale = current): string {
  const number = toNumber(value);
  if (number === null) return '';
  const digits = Number.isInteger(Math.round(number * 100) / 100) ? 0 : 2;
  return numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
    number,
  );
}

/** An amount of money: soʻm as `formatSum` with the catalogue's name (12 500 000 soʻm, сум). */
export function formatMoney(value: NumberInput, currency = 'UZS', locale: Locale = current): string {
  const number = toNumber(value);
  if (number === null) return '';
  if (currency === 'UZS') return `${formatSum(number, locale)} ${t('currency.UZS', undefined, locale)}`;
  return numberFormat(locale, { style: 'currency', currency }).format(number);
}

/** The translation functions bound to the current language; re-renders the component when it changes. */
export function useI18n() {
  const locale = useSyncExternalStore(subscribe, getLocale, getLocale);
  return useMemo(() => translator(locale), [locale]);
}

/** The translation functions bound to one language, e.g. for code outside React. */
export function translator(locale: Locale) {
  return {
    locale,
    t: (key: MessageKey, params?: Params) => t(key, params, locale),
    tOr: (key: string, fallback: string, params?: Params) => tOr(key, fallback, params, locale),
    formatDate: (value: DateInput) => formatDate(value, locale),
    formatDateTime: (value: DateInput) => formatDateTime(value, locale),
    formatNumber: (value: NumberInput, options?: Intl.NumberFormatOptions) =>
      formatNumber(value, options, locale),
    formatMoney: (value: NumberInput, currency?: string) => formatMoney(value, currency, locale),
    formatSum: (value: NumberInput) => formatSum(value, locale),
  };
}

export type I18n = ReturnType<typeof translator>;
