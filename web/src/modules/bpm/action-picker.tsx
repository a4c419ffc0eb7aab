// Picks the module action a service task runs, from the server's action catalog, and shows the
// action's input fields as help for the task's input mappings.
import { useEffect, useState } from 'react';
import { errorMessage } from '../../app/errors';
import { useI18n } from '../../i18n/i18n';
import { actionCatalog, type CatalogAction, type JsonSchema } from './api';

let cached: Promise<CatalogAction[]> | null = null;

function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (schema.type === 'array' && schema.items) return `${typeOf(schema.items)}[]`;
  if (schema.enum) return schema.enum.map(String).join(' | ');
  return schema.type ?? '';
}

type Props = { value: string | null; onChange(type: string): void };

export function ActionPicker({ value, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [actions, setActions] = useState<CatalogAction[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    cached ??= actionCatalog();
    let live = true;
    cached
      .then((items) => live && setActions(items))
      .catch((reason: unknown) => {
        cached = null;
        if (live) setError(errorMessage(reason, i18n));
      });
    return () => {
      live = false;
    };
  }, [i18n]);

  const modules = [...new Set((actions ?? []).map((action) => action.module))];
  const chosen = actions?.find((action) => action.name === value);
  const fields = Object.entries(chosen?.input.properties ?? {});
  const required = new Set(chosen?.input.required ?? []);
  const known = !value || Boolean(chosen) || actions === null;

  return (
    <section className="bpm-card bpm-side-card" data-testid="action-picker">
      <h2>{t('bpm.modeler.actionTitle')}</h2>
      <label className="field-label" htmlFor="bpm-action">
        {t('bpm.modeler.action')}
      </label>
      <select
        id="bpm-action"
        className="input"
        value={value ?? ''}
        disabled={actions === null}
        onChange={(event) => onChange(event.target.value)}
        data-testid="action-select"
      >
        <option value="">{t('bpm.modeler.actionNone')}</option>
        {!known && value ? <option value={value}>{value}</option> : null}
        {modules.map((module) => (
          <optgroup key={module} label={module}>
            {(actions ?? [])
              .filter((action) => action.module === module)
              .map((action) => (
                <option key={action.name} value={action.name}>
                  {action.name}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
      {error ? (
        <p className="field-error">{t('bpm.modeler.catalogFailed', { reason: error })}</p>
      ) : !known ? (
        <p className="field-error">{t('bpm.modeler.actionUnknown')}</p>
      ) : null}
      {chosen ? (
        <>
          <p className="field-hint">{t('bpm.modeler.actionInputs')}</p>
          {fields.length === 0 ? (
            <p className="muted small">{t('bpm.modeler.actionNoInputs')}</p>
          ) : (
            <dl className="bpm-inputs" data-testid="action-inputs">
              {fields.map(([name, schema]) => (
                <div key={name}>
                  <dt>
                    <code>{name}</code>
                    {required.has(name) ? (
                      <span className="bpm-required">{t('bpm.modeler.required')}</span>
                    ) : null}
                  </dt>
                  <dd>
                    <span className="bpm-code">{typeOf(schema)}</span>
                    {schema.description ? <span className="muted"> · {schema.description}</span> : null}
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </>
      ) : null}
    </section>
  );
}
