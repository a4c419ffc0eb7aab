// "What it is about" beside a task: a compact card for each record its variables name (the client,
// the deal, the stock document, the employee), read through each module's own API and linking to
// its page.
import type { ReactNode } from 'react';
import { errorMessage } from '../../app/errors';
import { Link } from '../../app/router';
import { Spinner } from '../../app/ui';
import { type MessageKey, useI18n } from '../../i18n/i18n';
import type { ClientCard, Deal } from '../crm/api';
import { formatQuantity } from '../erp/erp-api';
import type { StockDocument } from '../erp/types';
import type { Employee } from '../hr/api';
import { ABOUT_PATHS, type AboutKind, type AboutRef, aboutRefs } from './about-refs';
import type { Variables } from './api';
import { type AboutRecord, useAboutRecord } from './use-about-record';

const KIND_TITLE: Record<AboutKind, MessageKey> = {
  client: 'bpm.about.client',
  deal: 'bpm.about.deal',
  document: 'bpm.about.document',
  employee: 'bpm.about.employee',
};

// The app's own badge tones (crm.css and erp.css are not on the task page): done or alive is green.
const TONE: Record<string, string> = {
  active: ' badge-success',
  posted: ' badge-success',
  inactive: ' badge-muted',
  reversed: ' badge-muted',
};

/** The cards for what the variables name; nothing when they name nothing. */
export function AboutCards({ variables }: { variables: Variables }) {
  const refs = aboutRefs(variables);
  if (refs.length === 0) return null;
  return (
    <div className="bpm-about-cards" data-testid="about-cards">
      {refs.map((ref) => (
        <AboutCard
          key={`${ref.kind}:${ref.id}`}
          about={ref}
          // A deal names its client only when the client's own card is not there already.
          clientShown={refs.some((other) => other.kind === 'client')}
        />
      ))}
    </div>
  );
}

function AboutCard({ about, clientShown }: { about: AboutRef; clientShown: boolean }) {
  const path = ABOUT_PATHS[about.kind].api(about.id);
  switch (about.kind) {
    case 'client':
      return <ClientAbout id={about.id} path={path} />;
    case 'deal':
      return <DealAbout id={about.id} path={path} clientShown={clientShown} />;
    case 'document':
      return <DocumentAbout id={about.id} path={path} />;
    case 'employee':
      return <EmployeeAbout id={about.id} path={path} />;
  }
}

type CardProps = { id: string; path: string };

/** The frame of every card: its kind, a badge, the linked title, then the facts. */
function Frame<T>({
  kind,
  id,
  state,
  children,
}: {
  kind: AboutKind;
  id: string;
  state: AboutRecord<T>;
  children(record: T): { title: string; badge?: ReactNode; body: ReactNode };
}) {
  const i18n = useI18n();
  const { t } = i18n;
  if (state.status === 'hidden') return null;
  const kindTitle = t(KIND_TITLE[kind]);
  if (state.status === 'loading')
    return (
      <article className="bpm-about-card bpm-about-loading" data-testid={`about-${kind}`} aria-busy="true">
        <span className="bpm-about-kind">{kindTitle}</span>
        <Spinner label={t('bpm.about.loading', { what: kindTitle })} />
        <span className="bpm-skeleton" />
        <span className="bpm-skeleton bpm-skeleton-short" />
      </article>
    );
  if (state.status === 'failed')
    return (
      <article className="bpm-about-card" data-testid={`about-${kind}`}>
        <span className="bpm-about-kind">{kindTitle}</span>
        <p className="small muted">
          {t('bpm.about.failed', { what: kindTitle, reason: errorMessage(state.error, i18n) })}
        </p>
      </article>
    );
  const { title, badge, body } = children(state.record);
  return (
    <article className="bpm-about-card" data-testid={`about-${kind}`}>
      <div className="bpm-about-head">
        <span className="bpm-about-kind">{kindTitle}</span>
        {badge}
      </div>
      <Link className="bpm-about-title" to={ABOUT_PATHS[kind].page(id)} data-testid={`about-${kind}-link`}>
        {title}
      </Link>
      {body}
    </article>
  );
}

function Facts({ rows }: { rows: [string, ReactNode][] }) {
  const shown = rows.filter(([, value]) => value !== null && value !== undefined && value !== '');
  if (shown.length === 0) return null;
  return (
    <dl className="bpm-facts bpm-about-facts">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Lines of a deal or a document as a small table that scrolls inside the card, never past it. */
function Lines({ head, rows }: { head: string[]; rows: { key: string; cells: string[] }[] }) {
  const { t } = useI18n();
  if (rows.length === 0) return <p className="small muted">{t('bpm.about.noLines')}</p>;
  return (
    <div className="bpm-mini-table-wrap">
      <table className="bpm-mini-table">
        <thead>
          <tr>
            {head.map((cell) => (
              <th key={cell} scope="col">
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, index) => (
                // Cells are positional: the header names them.
                // biome-ignore lint/suspicious/noArrayIndexKey: a row's cells never move.
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ClientAbout({ id, path }: CardProps) {
  const { t } = useI18n();
  const state = useAboutRecord<ClientCard>(path);
  return (
    <Frame kind="client" id={id} state={state}>
      {({ client }) => ({
        title: client.name,
        badge: (
          <span className={`badge${TONE[client.status] ?? ''}`}>{t(`crm.status.${client.status}`)}</span>
        ),
        body: (
          <Facts
            rows={[
              [t('bpm.about.phones'), client.phones.join(', ')],
              [t('bpm.about.owner'), client.ownerName],
            ]}
          />
        ),
      })}
    </Frame>
  );
}

function DealAbout({ id, path, clientShown }: CardProps & { clientShown: boolean }) {
  const i18n = useI18n();
  const { t, tOr, formatMoney, formatNumber } = i18n;
  const state = useAboutRecord<Deal>(path);
  return (
    <Frame kind="deal" id={id} state={state}>
      {(deal) => ({
        title: deal.title,
        badge: <span className="badge">{tOr(`crm.stage.${deal.stage}`, deal.stage)}</span>,
        body: (
          <>
            <Facts
              rows={[
                [t('bpm.about.amount'), formatMoney(deal.amount, deal.currency)],
                [t('bpm.about.clientName'), clientShown ? null : deal.clientName],
              ]}
            />
            <Lines
              head={[t('bpm.about.product'), t('bpm.about.quantity'), t('bpm.about.price')]}
              rows={deal.lines.map((line, index) => ({
                key: line.id ?? `${line.productId}:${index}`,
                cells: [
                  line.productName ?? line.productId,
                  formatNumber(line.quantity, { maximumFractionDigits: 3 }),
                  formatMoney(line.price, deal.currency),
                ],
              }))}
            />
          </>
        ),
      })}
    </Frame>
  );
}

function DocumentAbout({ id, path }: CardProps) {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  const state = useAboutRecord<StockDocument>(path);
  return (
    <Frame kind="document" id={id} state={state}>
      {(doc) => ({
        title: doc.number,
        badge: <span className={`badge${TONE[doc.status] ?? ''}`}>{t(`erp.status.${doc.status}`)}</span>,
        body: (
          <>
            <Facts
              rows={[
                [t('bpm.about.type'), t(`erp.type.${doc.type}`)],
                [t('bpm.about.date'), formatDate(doc.date)],
                [t('bpm.about.warehouse'), doc.warehouseCode],
              ]}
            />
            <Lines
              head={[t('bpm.about.product'), t('bpm.about.quantity')]}
              rows={doc.lines.map((line) => ({
                key: line.id,
                cells: [line.productName, formatQuantity(i18n, line.quantity, line.unit)],
              }))}
            />
          </>
        ),
      })}
    </Frame>
  );
}

function EmployeeAbout({ id, path }: CardProps) {
  const { t } = useI18n();
  const state = useAboutRecord<Employee>(path);
  return (
    <Frame kind="employee" id={id} state={state}>
      {(employee) => ({
        title: employee.fullName,
        body: (
          <Facts
            rows={[
              [t('bpm.about.position'), employee.position],
              [t('bpm.about.department'), employee.departmentName],
              [t('bpm.about.manager'), employee.managerName],
            ]}
          />
        ),
      })}
    </Frame>
  );
}
