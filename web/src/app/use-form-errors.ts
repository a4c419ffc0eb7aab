import { useCallback, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { ApiError } from './api';
import { errorMessage, fieldOfPath } from './errors';

export type FormErrors = {
  /** Messages by field name, shown next to the field. */
  fields: Record<string, string>;
  /** A message about the whole form, shown above its buttons. */
  general: string | null;
  /**
   * Spreads an error over the form: issues go next to their field when the
   * form has it, codes in `codeFields` (e.g. EMAIL_TAKEN -> email) too, and
   * everything else becomes the general message.
   */
  show(error: unknown, options?: { knownFields?: string[]; codeFields?: Record<string, string> }): void;
  setField(field: string, message: string): void;
  clear(): void;
};

export function useFormErrors(): FormErrors {
  const i18n = useI18n();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);

  const show = useCallback<FormErrors['show']>(
    (error, options = {}) => {
      const known = new Set(options.knownFields ?? []);
      const next: Record<string, string> = {};
      let generalMessage: string | null = null;
      if (error instanceof ApiError) {
        for (const issue of error.issues) {
          const field = fieldOfPath(issue.path);
          if (known.has(field) && !next[field]) next[field] = issue.message;
          else if (!generalMessage) generalMessage = issue.message;
        }
        const codeField = options.codeFields?.[error.code];
        if (codeField && !next[codeField]) next[codeField] = errorMessage(error, i18n);
        if (Object.keys(next).length === 0 && !generalMessage) generalMessage = errorMessage(error, i18n);
      } else {
        generalMessage = errorMessage(error, i18n);
      }
      setFields(next);
      setGeneral(generalMessage);
    },
    [i18n],
  );

  const setField = useCallback((field: string, message: string) => {
    setFields((previous) => ({ ...previous, [field]: message }));
  }, []);

  const clear = useCallback(() => {
    setFields({});
    setGeneral(null);
  }, []);

  return { fields, general, show, setField, clear };
}
