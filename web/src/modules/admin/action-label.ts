import type { I18n } from '../../i18n/i18n';

/**
 * An audit entry's action in the reader's language. The shell names its own actions
 * (`audit.actions.admin.createUser`), each module names its actions in its own catalogue
 * (`crm.createClient` as `crm.audit.createClient`); an action nobody named shows its code.
 */
export function actionLabel(i18n: I18n, action: string): string {
  const dot = action.indexOf('.');
  const moduleKey = dot > 0 ? `${action.slice(0, dot)}.audit.${action.slice(dot + 1)}` : action;
  return i18n.tOr(`audit.actions.${action}`, i18n.tOr(moduleKey, action));
}
