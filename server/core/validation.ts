// Parses input with a zod schema and turns failures into VALIDATION_FAILED issues whose
// messages are in the caller's language: zod's own uz, ru and en texts, or, for a schema's
// custom rule, the catalogue text of the code it gives as its message (e.g. 'TAX_ID_INVALID').
import type { z } from 'zod';
import { en, ru, uz } from 'zod/v4/locales';
import { validationFailed } from './errors.js';
import type { Locale } from './locale.js';
import type { Translator } from './messages.js';

const localeErrors = { en: en().localeError, ru: ru().localeError, uz: uz().localeError } as const;

// zod's Uzbek texts write oʻ/gʻ with U+2018; ours use U+02BB as the glossary asks.
const fixUzbek = (text: string) => text.replace(/([oOgG])[‘’']/g, '$1ʻ');

const MESSAGE_CODE = /^[A-Z][A-Z0-9_]+$/;

/** The paths of the strings that hold a NUL character, which PostgreSQL cannot store in text. */
function nulPaths(value: unknown, path: string[] = [], found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path.join('.'));
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) nulPaths(item, [...path, String(index)], found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) nulPaths(item, [...path, key], found);
  }
  return found;
}

export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  locale: Locale,
  translate?: Translator,
): z.output<S> {
  // Refused for any action before its schema: PostgreSQL would fail the statement (a 500).
  const nul = nulPaths(input);
  if (nul.length > 0) {
    const message = translate?.(locale, 'TEXT_NUL_CHARACTER') ?? 'TEXT_NUL_CHARACTER';
    throw validationFailed(nul.map((path) => ({ path, message })));
  }
  const result = schema.safeParse(input, { error: (issue) => localeErrors[locale](issue) });
  if (result.success) return result.data;
  throw validationFailed(
    result.error.issues.map((issue) => {
      const text =
        translate && MESSAGE_CODE.test(issue.message) ? translate(locale, issue.message) : issue.message;
      return { path: issue.path.map(String).join('.'), message: locale === 'uz' ? fixUzbek(text) : text };
    }),
  );
}
