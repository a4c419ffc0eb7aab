import { beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE_SETS, type CatalogueSet } from './catalogues';
import { formatDate, formatMoney, formatNumber, getLocale, LOCALES, loadTexts, setLocale, t } from './i18n';

describe('switching the language', () => {
  it('switches once the texts are here, and the later of two quick switches wins', async () => {
    // First in this file, so Russian is not fetched yet and arrives after Uzbek, asked for later.
    await setLocale('en');
    await loadTexts('uz');
    expect(getLocale()).toBe('en');
    const toRussian = setLocale('ru');
    const toUzbek = setLocale('uz');
    await Promise.all([toRussian, toUzbek]);
    expect(getLocale()).toBe('uz');
    expect(t('home.greeting', { name: 'Dilnoza' })).toBe('Xush kelibsiz, Dilnoza!');
  });
});

describe('catalogue sets', () => {
  it('never define one key in two catalogues', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const set of CATALOGUE_SETS as readonly CatalogueSet[]) {
      for (const key of Object.keys(set.en)) {
        if (seen.has(key)) twice.push(`${key} (${seen.get(key)} and ${set.name})`);
        seen.set(key, set.name);
      }
    }
    expect(twice).toEqual([]);
  });
});

describe.each(CATALOGUE_SETS as readonly CatalogueSet[])('translation catalogue $name', ({ uz, ru, en }) => {
  const CATALOGUES: Record<string, Record<string, string>> = { uz, ru, en };
  it('have exactly the same keys', () => {
    const reference = Object.keys(en).sort();
    for (const [locale, catalogue] of Object.entries(CATALOGUES)) {
      const keys = Object.keys(catalogue).sort();
      const missing = reference.filter((key) => !(key in catalogue));
      const extra = keys.filter((key) => !(key in en));
      expect({ locale, missing, extra }).toEqual({ locale, missing: [], extra: [] });
    }
  });

  it('have no empty values', () => {
    for (const [locale, catalogue] of Object.entries(CATALOGUES)) {
      const empty = Object.entries(catalogue)
        .filter(([, value]) => typeof value !== 'string' || value.trim() === '')
        .map(([key]) => key);
      expect({ locale, empty }).toEqual({ locale, empty: [] });
    }
  });

  it('use the same placeholders in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of Object.entries(en)) {
      for (const [locale, catalogue] of Object.entries(CATALOGUES)) {
        expect({ key, locale, placeholders: placeholders(catalogue[key] ?? '') }).toEqual({
          key,
          locale,
          placeholders: placeholders(text),
        });
      }
    }
  });

  it('write Uzbek oʻ, gʻ and the glottal stop with ʻ (U+02BB) and ʼ (U+02BC), never an apostrophe', () => {
    const wrong = Object.entries(uz).filter(
      ([, text]) => /[oOgG]['‘`’]/.test(text) || /\p{L}['‘`’]\p{L}/u.test(text),
    );
    expect(wrong).toEqual([]);
    const anyApostrophe = Object.entries(uz).filter(([, text]) => /['`]/.test(text));
    expect(anyApostrophe).toEqual([]);
  });

  it('are Uzbek in Latin script, not Cyrillic', () => {
    const cyrillic = Object.entries(uz).filter(([, text]) => /\p{Script=Cyrillic}/u.test(text));
    expect(cyrillic).toEqual([]);
  });
});

describe('t and the formatters', () => {
  beforeAll(() => Promise.all(LOCALES.map(loadTexts)));

  it('interpolate {name} placeholders', () => {
    expect(t('home.greeting', { name: 'Dilnoza' }, 'uz')).toBe('Xush kelibsiz, Dilnoza!');
    expect(t('home.greeting', { name: 'Дилноза' }, 'ru')).toBe('Добро пожаловать, Дилноза!');
  });

  it('format numbers and money for the chosen language', () => {
    const nbsp = /[\s\u00a0\u202f]/g;
    expect(formatNumber(12500000.5, undefined, 'en')).toBe('12,500,000.5');
    expect(formatNumber(12500000.5, undefined, 'ru').replace(nbsp, ' ')).toBe('12 500 000,5');
    expect(formatMoney(12500000, 'UZS', 'uz').replace(nbsp, ' ')).toBe('12 500 000 soʻm');
    expect(formatMoney('12500000', 'UZS', 'ru').replace(nbsp, ' ')).toBe('12 500 000 сум');
    // Tiyin are shown, both of them, rather than rounded into the soʻm; a rounding leftover is not.
    expect(formatMoney('1250.5', 'UZS', 'ru').replace(nbsp, ' ')).toBe('1 250,50 сум');
    expect(formatMoney('1250.004', 'UZS', 'en')).toBe('1,250 UZS');
  });

  it('format dates for the chosen language and leave no date empty', () => {
    const day = new Date(2026, 2, 5, 12, 0);
    expect(formatDate(day, 'en')).toBe('5 Mar 2026');
    expect(formatDate(day, 'ru')).toMatch(/^5 мар/);
    expect(formatDate(day, 'uz')).toBe('5-mar, 2026');
    expect(formatDate(null, 'uz')).toBe('');
    expect(formatDate('not a date', 'uz')).toBe('');
  });
});
