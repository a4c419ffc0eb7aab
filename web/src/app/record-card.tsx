// What every record's card (a client, an employee, a service request) shows the same way: its
// facts as label and value, and the page that stands in when the record cannot be read.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { ApiError } from './api';
import { errorMessage } from './errors';
import { Link } from './router';
import { EmptyState } from './ui';

/** Labelled values; an empty one shows a dash, so the rows line up whatever is filled in. */
export function Facts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The card's page when reading the record failed: "not found" for a 404, else the reason. */
export function CardLoadError({
  error,
  backTo,
  backLabel,
}: {
  error: unknown;
  backTo: string;
  backLabel: string;
}) {
  const i18n = useI18n();
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <EmptyState
      page
      icon="alert"
      title={missing ? i18n.t('errors.NOT_FOUND') : errorMessage(error, i18n)}
      text=""
      action={<Link to={backTo}>{backLabel}</Link>}
    />
  );
}
