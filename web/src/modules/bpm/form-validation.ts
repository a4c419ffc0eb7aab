// form-js writes its validation messages in English only; this turns each into our translated sentence.
import type { MessageKey, Params } from '../../i18n/i18n';

type Rule = { pattern: RegExp; key: MessageKey; param?: string };

const RULES: Rule[] = [
  { pattern: /^Field is required\.$/, key: 'bpm.form.required' },
  { pattern: /^Field must have minimum value of (.+)\.$/, key: 'bpm.form.min', param: 'value' },
  { pattern: /^Field must have maximum value of (.+)\.$/, key: 'bpm.form.max', param: 'value' },
  { pattern: /^Field must have minimum length of (.+)\.$/, key: 'bpm.form.minLength', param: 'value' },
  { pattern: /^Field must have maximum length of (.+)\.$/, key: 'bpm.form.maxLength', param: 'value' },
  { pattern: /^Field must be a valid email\.$/, key: 'bpm.form.email' },
  { pattern: /^Field must be a valid\s+international phone number/, key: 'bpm.form.phone' },
  { pattern: /^Field must match pattern /, key: 'bpm.form.pattern' },
];

/** Our sentence for one of form-js's messages; a message the model wrote itself stays as it is. */
export function translateFormMessage(
  message: string,
  t: (key: MessageKey, params?: Params) => string,
): string {
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (match) return t(rule.key, rule.param ? { [rule.param]: match[1] ?? '' } : undefined);
  }
  return message;
}
