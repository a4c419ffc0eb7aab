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

export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  locale: Locale,
  translate?: Translator,
): z.output<S> {
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
