import { useI18n } from '../../i18n/i18n';
import { fieldLabel, valueLabel } from './action-label';

type Json = Record<string, unknown>;

export type DiffRow = { key: string; before: unknown; after: unknown; changed: boolean };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keys of both versions, in first-seen order, each marked changed when its value differs. */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const left = isObject(before) ? before : {};
  const right = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
  return keys.map((key) => {
    const a = left[key];
    const b = right[key];
    const changed = JSON.stringify(a) !== JSON.stringify(b) || key in left !== key in right;
    return { key, before: a, after: b, changed };
  });
}

function Value({ value, present, label }: { value: unknown; present: boolean; label: string | null }) {
  const { t } = useI18n();
  if (!present) return <span className="muted">{t('audit.absent')}</span>;
  if (value === null) return <span className="muted">{t('audit.null')}</span>;
  if (label)
    return (
      <span className="diff-string" title={String(value)}>
        {label}
      </span>
    );
  if (typeof value === 'string') return <span className="diff-string">{value}</span>;
  const compact = JSON.stringify(value);
  return <code className="diff-json">{compact.length <= 60 ? compact : JSON.stringify(value, null, 2)}</code>;
}

function FieldName({ label, code }: { label: string | null; code: string }) {
  if (!label) return <code>{code}</code>;
  return (
    <>
      <span className="diff-field">{label}</span>
      <code className="diff-code">{code}</code>
    </>
  );
}

/**
 * Before and after side by side, changed fields highlighted; each field as the forms of the
 * module that wrote it (`action` names it) label it, with its API name under the label.
 */
export function AuditDiff({ before, after, action }: { before: unknown; after: unknown; action: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const rows = diffRows(before, after);
  const changedCount = rows.filter((row) => row.changed).length;
  const hasBefore = isObject(before);
  const hasAfter = isObject(after);

  if (rows.length === 0) return <p className="muted">{t('audit.noData')}</p>;

  return (
    <div className="diff" data-testid="audit-diff">
      <p className="muted small">
        {!hasBefore
          ? t('audit.created')
          : !hasAfter
            ? t('audit.deleted')
            : t('audit.changedCount', { count: changedCount })}
      </p>
      <div className="table-scroll">
        <table className="diff-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.field')}</th>
              <th scope="col">{t('audit.before')}</th>
              <th scope="col">{t('audit.after')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.key}
                className={row.changed ? 'diff-changed' : undefined}
                data-changed={row.changed || undefined}
              >
                <th scope="row">
                  <FieldName label={fieldLabel(i18n, action, row.key)} code={row.key} />
                </th>
                <td className={row.changed && hasBefore ? 'diff-before' : undefined}>
                  {hasBefore ? (
                    <Value
                      value={row.before}
                      present={isObject(before) && row.key in before}
                      label={valueLabel(i18n, action, row.key, row.before)}
                    />
                  ) : null}
                </td>
                <td className={row.changed && hasAfter ? 'diff-after' : undefined}>
                  {hasAfter ? (
                    <Value
                      value={row.after}
                      present={isObject(after) && row.key in after}
                      label={valueLabel(i18n, action, row.key, row.after)}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
