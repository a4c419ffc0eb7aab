import { hasKey, type I18n } from '../i18n/i18n';
import { ApiError } from './api';

/**
 * One sentence for the user about what went wrong. Our own catalogue's
 * `errors.<CODE>` wins where it exists; otherwise the API's message, which
 * it already translated from Accept-Language; otherwise a general sentence.
 */
export function errorMessage(error: unknown, i18n: I18n): string {
  if (error instanceof ApiError) {
    const key = `errors.${error.code}`;
    if (hasKey(key)) {
      return i18n.t(key, {
        seconds: error.details.retryAfterSeconds ?? 60,
        requestId: error.details.requestId ?? '-',
      });
    }
    if (error.message) return error.message;
  }
  return i18n.t('errors.generic');
}

/** The form field an issue is about: "roles.0" concerns the field "roles". */
export function fieldOfPath(path: string): string {
  return path.split('.')[0] ?? path;
}
