import type { I18n } from '../../i18n/i18n';

/** The module an action belongs to: `crm` of `crm.createClient`. */
const moduleOf = (action: string) => {
  const dot = action.indexOf('.');
  return dot > 0 ? action.slice(0, dot) : '';
};

/**
 * An audit entry's action in the reader's language. The shell names its own actions
 * (`audit.actions.admin.createUser`), each module names its actions in its own catalogue
 * (`crm.createClient` as `crm.audit.createClient`); an action nobody named shows its code.
 */
export function actionLabel(i18n: I18n, action: string): string {
  const module = moduleOf(action);
  const moduleKey = module ? `${module}.audit.${action.slice(module.length + 1)}` : action;
  return i18n.tOr(`audit.actions.${action}`, i18n.tOr(moduleKey, action));
}

/**
 * The kind of record an audit entry is about, in the reader's language: the shell names its own
 * (`entities.user`), the module whose action wrote the entry names its (`crm.audit.entity.client`);
 * a kind nobody named shows its code. `module` is that module, or an action of it.
 */
export function entityLabel(i18n: I18n, module: string, entity: string): string {
  const name = moduleOf(module) || module;
  return i18n.tOr(`entities.${entity}`, i18n.tOr(`${name}.audit.entity.${entity}`, entity));
}

/**
 * A field of an audited record in the reader's language, as the forms label it: the module's
 * own label (`erp.fields.sku`) or the shell's (`fields.email`); null when neither names it.
 */
export function fieldLabel(i18n: I18n, module: string, field: string): string | null {
  const name = moduleOf(module) || module;
  const label = i18n.tOr(`${name}.fields.${field}`, i18n.tOr(`fields.${field}`, ''));
  return label || null;
}

/**
 * A coded value of an audited field as the module's screens name it (`erp.status.posted`,
 * `crm.stage.won`); null for any other value, which the log shows as it is.
 */
export function valueLabel(i18n: I18n, module: string, field: string, value: unknown): string | null {
  if (typeof value !== 'string' || !/^[a-z][a-z_]*$/.test(value)) return null;
  const name = moduleOf(module) || module;
  return i18n.tOr(`${name}.${field}.${value}`, '') || null;
}
