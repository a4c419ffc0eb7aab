// A form in the reader's language: a form's own `translations` block ({ uz: { "Decision": "Qaror" } })
// replaces the texts it names, so one form serves Uzbek, Russian and English readers.
import type { Locale } from '../../i18n/i18n';
import type { FormComponent, FormSchema } from './api';

// A datetime field names its parts with `dateLabel` and `timeLabel` instead of `label`.
const TEXT_PROPERTIES = [
  'label',
  'description',
  'placeholder',
  'text',
  'title',
  'dateLabel',
  'timeLabel',
] as const;

type Dictionary = Record<string, string>;

function translations(schema: FormSchema, locale: Locale): Dictionary | null {
  const all = schema.translations;
  if (typeof all !== 'object' || all === null) return null;
  const dictionary = (all as Record<string, unknown>)[locale];
  return typeof dictionary === 'object' && dictionary !== null ? (dictionary as Dictionary) : null;
}

function withLabel(item: unknown, words: Dictionary): unknown {
  if (typeof item !== 'object' || item === null) return item;
  const { label } = item as { label?: unknown };
  return typeof label === 'string' && typeof words[label] === 'string'
    ? { ...item, label: words[label] }
    : item;
}

function localizeComponent(component: FormComponent, words: Dictionary): FormComponent {
  const copy: FormComponent = { ...component };
  for (const property of TEXT_PROPERTIES) {
    const text = copy[property];
    if (typeof text === 'string' && typeof words[text] === 'string') copy[property] = words[text];
  }
  // Options of a select or radio and the columns of a table carry their own labels.
  if (Array.isArray(copy.values))
    copy.values = copy.values.map((option: unknown) => withLabel(option, words));
  if (Array.isArray(copy.columns))
    copy.columns = copy.columns.map((column: unknown) => withLabel(column, words));
  if (copy.components) copy.components = copy.components.map((inner) => localizeComponent(inner, words));
  return copy;
}

/** The schema with its texts in `locale` where the form translates them; the original otherwise. */
export function localizeForm(schema: FormSchema, locale: Locale): FormSchema {
  const words = translations(schema, locale);
  if (!words) return schema;
  return {
    ...schema,
    components: schema.components?.map((component) => localizeComponent(component, words)),
  };
}
