import { describe, expect, it } from 'vitest';

// Every .tsx file of the app as text, read by Vite at test time.
const SOURCES = import.meta.glob<string>('../**/*.tsx', { query: '?raw', import: 'default', eager: true });

/** Text between `>` and `<` with a letter in it, which is not code (no braces, parentheses, operators). */
function jsxTextLiterals(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/(?<!=)>([^<>{}]*)</g)) {
    // (?<!=) skips arrows: `=> Promise<T>` is a type, not text.
    const text = (match[1] ?? '').trim();
    if (!/\p{L}/u.test(text)) continue;
    if (/[=;()&|?:]|=>/.test(text)) continue; // a generic type or a comparison, not JSX text
    found.push(text);
  }
  return found;
}

/** User-facing attributes given a literal string with a letter in it. */
function attributeLiterals(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/\b(placeholder|title|aria-label|alt|label)="([^"]*)"/g)) {
    if (/\p{L}/u.test(match[2] ?? '')) found.push(`${match[1]}="${match[2]}"`);
  }
  return found;
}

describe('no hard-coded UI text', () => {
  it('finds the sources', () => {
    expect(Object.keys(SOURCES).length).toBeGreaterThan(5);
  });

  it('the heuristic catches JSX text and ignores code', () => {
    expect(jsxTextLiterals('<p>Hello</p>')).toEqual(['Hello']);
    expect(jsxTextLiterals('<p>{t("x")}</p>')).toEqual([]);
    expect(jsxTextLiterals('const a = b < c && d > e;')).toEqual([]);
    expect(jsxTextLiterals('useState<string | null>(null); <span>')).toEqual([]);
    expect(jsxTextLiterals('(a) => fetchPage<User>(a)')).toEqual([]);
    expect(attributeLiterals('<input placeholder="Search" />')).toEqual(['placeholder="Search"']);
  });

  for (const [path, source] of Object.entries(SOURCES)) {
    it(`${path.replace(/^\.\.\//, 'web/src/')} takes every text from the catalogues`, () => {
      expect([...jsxTextLiterals(source), ...attributeLiterals(source)]).toEqual([]);
    });
  }
});
