import { useCallback, useEffect, useMemo, useState } from 'react';
import { actorLabel } from '../../app/actor-label';
import { api } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Icon, type IconName } from '../../app/icons';
import { formatPhone } from '../../app/phone-text';
import { CardLoadError, Facts } from '../../app/record-card';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, PageHeader, PageLoading, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { StartProcess } from '../bpm/start-process';
import { ActivityForm, DoneDialog } from './activity-forms';
import {
  type Activity,
  type Client,
  type ClientCard,
  type Contact,
  CRM,
  type Deal,
  getClientCard,
  listClients,
  type TimelineEntry,
} from './api';
import { ClientForm } from './client-form';
import { ClientTickets } from './client-tickets';
import { ContactForm } from './contact-form';
import { DealForm } from './deal-form';
import {
  ActivityTypeBadge,
  ClientStatusBadge,
  Dialog,
  Picker,
  StageBadge,
  stageName,
  usePipelines,
  useRegions,
} from './parts';

type Open =
  | { kind: 'edit' }
  | { kind: 'activity' }
  | { kind: 'deal' }
  | { kind: 'editDeal'; deal: Deal }
  | { kind: 'merge' }
  | { kind: 'contact'; contact: Contact | null }
  | { kind: 'removeContact'; contact: Contact }
  | { kind: 'done'; activity: Pick<Activity, 'id' | 'subject'> }
  | null;

/** Labelled values of a record; an empty one shows a dash. */

/**
 * The title of a timeline entry in the reader's language: a stage change "new → won" names the
 * stages as the board does; other titles are shown as the server wrote them.
 */
export function timelineTitle(
  entry: Pick<TimelineEntry, 'kind' | 'title'>,
  nameOf: (code: string) => string | null,
): string {
  if (entry.kind !== 'stageChange') return entry.title;
  const match = /^\s*([\w-]+)\s*(?:→|->)\s*([\w-]+)\s*$/.exec(entry.title);
  if (!match) return entry.title;
  const from = nameOf(match[1] ?? '');
  const to = nameOf(match[2] ?? '');
  return from && to ? `${from} → ${to}` : entry.title;
}

/** Where a timeline entry's link leads inside the app, when it leads anywhere. */
export function timelineHref(link: TimelineEntry['link']): string | null {
  if (!link) return null;
  const id = encodeURIComponent(link.id);
  switch (link.type) {
    case 'client':
      return `/crm/clients/${id}`;
    case 'ticket':
      return `/crm/tickets/${id}`;
    case 'deal':
      return `/crm/deals?deal=${id}`;
    case 'shipment':
    case 'document':
    case 'stockDocument':
      return `/erp/documents/${id}`;
    default:
      return null;
  }
}

const KIND_ICON: Record<TimelineEntry['kind'], IconName> = {
  activity: 'log',
  stageChange: 'refresh',
  shipment: 'home',
  process: 'shield',
  note: 'log',
  created: 'plus',
  merged: 'copy',
  ticket: 'alert',
};

/** The client card: data, contacts, deals, planned activities and the timeline, newest first. */
export function ClientCardPage({ id }: { id: string }) {
  const i18n = useI18n();
  const { t, tOr, formatDateTime, formatMoney, formatDate } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const regions = useRegions();
  const { pipelines } = usePipelines();
  const [card, setCard] = useState<ClientCard | null>(null);
  const [planned, setPlanned] = useState<Activity[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<Open>(null);
  const [token, setToken] = useState(0);
  // The card lists deals without their lines: the form needs the whole deal.
  const editDeal = (dealId: string) => {
    api<Deal>('GET', `${CRM}/deals/${encodeURIComponent(dealId)}`)
      .then((deal) => setOpen({ kind: 'editDeal', deal }))
      .catch((reason: unknown) => notify('error', errorMessage(reason, i18n)));
  };
  const reload = () => setToken((n) => n + 1);

  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    Promise.all([
      getClientCard(id, signal),
      api<{ items: Activity[] }>('GET', `${CRM}/activities`, undefined, {
        signal,
        query: { clientId: id, done: false, sort: 'dueAt', limit: 50 },
      }).catch(() => ({ items: [] as Activity[] })),
    ])
      .then(([c, a]) => {
        setCard(c);
        setPlanned(a.items.filter((activity) => !activity.done));
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!signal.aborted) setError(reason);
      });
    return () => controller.abort();
  }, [id, token]);

  const stages = useMemo(() => {
    const map = new Map<string, { name: string; kind: 'open' | 'won' | 'lost' }>();
    for (const pipeline of pipelines ?? []) {
      for (const stage of pipeline.stages) {
        map.set(`${pipeline.id}:${stage.code}`, {
          name: stageName(tOr, stage, stage.code),
          kind: stage.kind,
        });
      }
    }
    return map;
  }, [pipelines, tOr]);

  const stageByCode = useCallback(
    (code: string) => {
      for (const [key, stage] of stages) if (key.endsWith(`:${code}`)) return stage.name;
      return null;
    },
    [stages],
  );

  const removeContact = useCallback(
    (contact: Contact) => {
      api<void>('DELETE', `${CRM}/contacts/${encodeURIComponent(contact.id)}`)
        .then(() => {
          notify('success', t('crm.contact.removed', { name: contact.name }));
          setOpen(null);
          setToken((n) => n + 1);
        })
        .catch((reason: unknown) => notify('error', errorMessage(reason, i18n)));
    },
    [i18n, notify, t],
  );

  if (error) return <CardLoadError error={error} backTo="/crm/clients" backLabel={t('crm.card.back')} />;
  if (!card) return <PageLoading />;

  const { client, contacts, deals, timeline } = card;
  const writable = can('crm.clients.write');
  const dealsWritable = can('crm.deals.write');
  const activitiesWritable = can('crm.activities.write') || writable;
  const region = regions.find((r) => r.code === client.region)?.name ?? client.region;
  const next = planned.find((a) => a.dueAt) ?? client.nextActivity;
  const nextOverdue = next?.dueAt ? new Date(next.dueAt).getTime() < Date.now() : false;
  const list = (values: string[], href?: (v: string) => string, show: (v: string) => string = (v) => v) =>
    values.length === 0
      ? null
      : values.map((value, index) => (
          <span key={value}>
            {index > 0 ? ', ' : ''}
            {href ? <a href={href(value)}>{show(value)}</a> : show(value)}
          </span>
        ));

  return (
    <>
      <p className="small">
        <Link to="/crm/clients">{`← ${t('crm.card.back')}`}</Link>
      </p>
      <PageHeader
        title={client.name}
        description={[t(`crm.kind.${client.kind}`), client.taxId, client.ownerName]
          .filter(Boolean)
          .join(' · ')}
        actions={
          <>
            <StartProcess context="crm.client" variables={{ clientId: client.id }} />
            {activitiesWritable ? (
              <Button
                variant="primary"
                icon="plus"
                onClick={() => setOpen({ kind: 'activity' })}
                data-testid="card-add-activity"
              >
                {t('crm.card.addActivity')}
              </Button>
            ) : null}
            {dealsWritable ? (
              <Button icon="plus" onClick={() => setOpen({ kind: 'deal' })} data-testid="card-add-deal">
                {t('crm.card.addDeal')}
              </Button>
            ) : null}
            {writable ? (
              <>
                <Button onClick={() => setOpen({ kind: 'edit' })} data-testid="card-edit">
                  {t('crm.card.edit')}
                </Button>
                <Button onClick={() => setOpen({ kind: 'merge' })} data-testid="card-merge">
                  {t('crm.card.merge')}
                </Button>
              </>
            ) : null}
          </>
        }
      />
      <section
        className={`crm-next${nextOverdue ? ' crm-next-overdue' : ''}`}
        data-testid="card-next-activity"
      >
        {next ? (
          <>
            <span className="crm-next-label">
              {nextOverdue ? t('crm.card.nextOverdue') : t('crm.card.next')}
            </span>
            <ActivityTypeBadge type={next.type} />
            <strong className="crm-next-subject">{next.subject}</strong>
            <span className="muted">{formatDateTime(next.dueAt)}</span>
            {activitiesWritable ? (
              <Button onClick={() => setOpen({ kind: 'done', activity: next })} data-testid="next-done">
                {t('crm.activity.markDone')}
              </Button>
            ) : null}
          </>
        ) : (
          <>
            <span className="muted">{t('crm.card.noNext')}</span>
            {activitiesWritable ? (
              <Button variant="ghost" icon="plus" onClick={() => setOpen({ kind: 'activity' })}>
                {t('crm.card.planActivity')}
              </Button>
            ) : null}
          </>
        )}
      </section>
      <div className="grid-2">
        <section className="panel" data-testid="card-data">
          <h2 className="panel-title">
            {t('crm.card.data')}
            <span className="crm-panel-badge">
              <ClientStatusBadge status={client.status} />
            </span>
          </h2>
          <Facts
            rows={[
              [
                client.kind === 'company' ? t('crm.fields.taxIdCompany') : t('crm.fields.taxIdPerson'),
                client.taxId,
              ],
              [t('crm.fields.phones'), list(client.phones, (p) => `tel:${p}`, formatPhone)],
              [t('crm.fields.emails'), list(client.emails, (e) => `mailto:${e}`)],
              [t('crm.fields.region'), region],
              [t('crm.fields.industry'), client.industry],
              [t('crm.fields.segment'), client.segment],
              [t('crm.fields.source'), client.source],
              [
                t('crm.fields.campaign'),
                client.campaignId ? (
                  <Link
                    key="campaign"
                    to={`/crm/campaigns/${encodeURIComponent(client.campaignId)}`}
                    data-testid="card-campaign"
                  >
                    {client.campaignName ?? client.campaignId}
                  </Link>
                ) : null,
              ],
              [t('crm.fields.owner'), client.ownerName],
              [
                t('crm.fields.tags'),
                client.tags.length > 0 ? (
                  <span key="tags" className="chips">
                    {client.tags.map((tag) => (
                      <span key={tag} className="chip">
                        {tag}
                      </span>
                    ))}
                  </span>
                ) : null,
              ],
              [t('crm.fields.website'), client.website],
              [t('crm.fields.address'), client.address],
              [t('crm.fields.notes'), client.notes],
            ]}
          />
        </section>
        <div className="crm-stack">
          <section className="panel" data-testid="card-contacts">
            <h2 className="panel-title">
              {t('crm.card.contacts')}
              {writable ? (
                <span className="crm-panel-badge">
                  <Button
                    icon="plus"
                    onClick={() => setOpen({ kind: 'contact', contact: null })}
                    data-testid="contact-add"
                  >
                    {t('crm.card.addContact')}
                  </Button>
                </span>
              ) : null}
            </h2>
            {contacts.length === 0 ? (
              <p className="muted">{t('crm.card.noContacts')}</p>
            ) : (
              <ul className="crm-list">
                {contacts.map((contact) => (
                  <li key={contact.id} data-testid="contact-item">
                    <div className="crm-list-main">
                      <strong>{contact.name}</strong>
                      {contact.position ? <span className="muted">{` · ${contact.position}`}</span> : null}
                      <div className="small muted crm-wrap">
                        {[...contact.phones.map(formatPhone), ...contact.emails, contact.telegram]
                          .filter(Boolean)
                          .join(' · ')}
                      </div>
                    </div>
                    {writable ? (
                      <span className="crm-list-actions">
                        <Button variant="ghost" onClick={() => setOpen({ kind: 'contact', contact })}>
                          {t('crm.common.edit')}
                        </Button>
                        <Button variant="ghost" onClick={() => setOpen({ kind: 'removeContact', contact })}>
                          {t('crm.common.remove')}
                        </Button>
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section className="panel" data-testid="card-deals">
            <h2 className="panel-title">{t('crm.card.deals')}</h2>
            {deals.length === 0 ? (
              <p className="muted">{t('crm.card.noDeals')}</p>
            ) : (
              <ul className="crm-list">
                {deals.map((deal) => {
                  const stage = stages.get(`${deal.pipelineId}:${deal.stage}`);
                  return (
                    <li key={deal.id} data-testid="card-deal">
                      <div className="crm-list-main">
                        <Link to={`/crm/deals?deal=${encodeURIComponent(deal.id)}`}>
                          <strong>{deal.title}</strong>
                        </Link>
                        <div className="small muted">
                          {formatMoney(deal.amount, deal.currency)}
                          {deal.expectedCloseDate ? ` · ${formatDate(deal.expectedCloseDate)}` : ''}
                        </div>
                      </div>
                      <StageBadge
                        stage={stage?.name ?? tOr(`crm.stage.${deal.stage}`, deal.stage)}
                        kind={stage?.kind}
                      />
                      {dealsWritable ? (
                        <Button
                          variant="ghost"
                          onClick={() => editDeal(deal.id)}
                          aria-label={t('crm.deal.editLabel', { title: deal.title })}
                          data-testid="card-deal-edit"
                        >
                          {t('crm.common.edit')}
                        </Button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
          <ClientTickets client={client} onCreated={reload} />
        </div>
      </div>
      {planned.length > 0 ? (
        <section className="panel crm-section" data-testid="card-planned">
          <h2 className="panel-title">{t('crm.card.planned')}</h2>
          <ul className="crm-list">
            {planned.map((activity) => (
              <ActivityRow
                key={activity.id}
                activity={activity}
                onDone={activitiesWritable ? () => setOpen({ kind: 'done', activity }) : undefined}
              />
            ))}
          </ul>
        </section>
      ) : null}
      <section className="panel crm-section" data-testid="card-timeline">
        <h2 className="panel-title">{t('crm.card.timeline')}</h2>
        {timeline.length === 0 ? (
          <p className="muted">{t('crm.card.noTimeline')}</p>
        ) : (
          <ol className="crm-timeline">
            {timeline.map((entry) => {
              const href = timelineHref(entry.link);
              return (
                <li
                  key={entry.id}
                  className={`crm-timeline-${entry.kind}`}
                  data-testid="timeline-entry"
                  data-kind={entry.kind}
                >
                  <span className="crm-timeline-mark" aria-hidden="true">
                    <Icon name={KIND_ICON[entry.kind] ?? 'log'} size={16} />
                  </span>
                  <div className="crm-timeline-body">
                    <div className="crm-timeline-head">
                      <span className="crm-timeline-kind">
                        {tOr(`crm.timeline.${entry.kind}`, entry.kind)}
                      </span>
                      <span className="muted small">
                        {formatDateTime(entry.at)}
                        {entry.actorName ? ` · ${actorLabel(entry.actorName, t)}` : ''}
                      </span>
                    </div>
                    <div className="crm-timeline-title">
                      {href ? (
                        <Link to={href}>{timelineTitle(entry, stageByCode)}</Link>
                      ) : (
                        timelineTitle(entry, stageByCode)
                      )}
                    </div>
                    {entry.detail ? <div className="small muted crm-wrap">{entry.detail}</div> : null}
                  </div>
                </li>
              );
            })}
          </ol>
        )}
      </section>
      {open?.kind === 'edit' ? (
        <ClientForm
          client={client}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            notify('success', t('crm.client.saved', { name: saved.name }));
            setOpen(null);
            reload();
          }}
        />
      ) : open?.kind === 'activity' ? (
        <ActivityForm
          clientId={client.id}
          onClose={() => setOpen(null)}
          onSaved={() => {
            notify('success', t('crm.activity.created'));
            setOpen(null);
            reload();
          }}
        />
      ) : open?.kind === 'editDeal' ? (
        <DealForm
          deal={open.deal}
          onClose={() => setOpen(null)}
          onSaved={(deal) => {
            notify('success', t('crm.deal.saved', { title: deal.title }));
            setOpen(null);
            reload();
          }}
        />
      ) : open?.kind === 'deal' ? (
        <DealForm
          client={client}
          onClose={() => setOpen(null)}
          onSaved={(deal) => {
            notify('success', t('crm.deal.created', { title: deal.title }));
            setOpen(null);
            reload();
          }}
        />
      ) : open?.kind === 'contact' ? (
        <ContactForm
          clientId={client.id}
          contact={open.contact}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            notify('success', t('crm.contact.saved', { name: saved.name }));
            setOpen(null);
            reload();
          }}
        />
      ) : open?.kind === 'removeContact' ? (
        <Dialog
          title={t('crm.contact.removeTitle', { name: open.contact.name })}
          confirmLabel={t('crm.common.remove')}
          variant="danger"
          onCancel={() => setOpen(null)}
          onConfirm={() => removeContact(open.contact)}
          testId="contact-remove-dialog"
        >
          <p>{t('crm.contact.removeText')}</p>
        </Dialog>
      ) : open?.kind === 'done' ? (
        <DoneDialog
          activity={open.activity}
          onClose={() => setOpen(null)}
          onDone={() => {
            notify('success', t('crm.activity.doneSaved'));
            setOpen(null);
            reload();
          }}
        />
      ) : open?.kind === 'merge' ? (
        <MergeDialog
          client={client}
          onClose={() => setOpen(null)}
          onMerged={(survivor, otherName) => {
            notify('success', t('crm.merge.done', { other: otherName, name: survivor.name }));
            setOpen(null);
            reload();
          }}
        />
      ) : null}
    </>
  );
}

/** One planned or done activity in a list, with its due time and a "done" button. */
export function ActivityRow({
  activity,
  onDone,
  overdue,
  showClient = false,
}: {
  activity: Activity;
  onDone?: (() => void) | undefined;
  overdue?: boolean;
  showClient?: boolean;
}) {
  const { t, formatDateTime } = useI18n();
  const late =
    overdue ?? (activity.dueAt !== null && !activity.done && new Date(activity.dueAt).getTime() < Date.now());
  return (
    <li className={`crm-activity${late ? ' crm-activity-overdue' : ''}`} data-testid="activity-item">
      <div className="crm-list-main">
        <div className="crm-activity-head">
          <ActivityTypeBadge type={activity.type} />
          <strong className="crm-wrap">{activity.subject}</strong>
        </div>
        <div className="small muted crm-wrap">
          {late ? <span className="crm-overdue-mark">{t('crm.myDay.overdueMark')}</span> : null}
          {activity.dueAt ? formatDateTime(activity.dueAt) : t('crm.activity.noDue')}
          {showClient && activity.clientId ? (
            <>
              {' · '}
              <Link to={`/crm/clients/${encodeURIComponent(activity.clientId)}`}>{activity.clientName}</Link>
            </>
          ) : null}
          {activity.dealTitle ? ` · ${activity.dealTitle}` : ''}
          {activity.assigneeName && !showClient ? ` · ${activity.assigneeName}` : ''}
        </div>
        {activity.body ? <div className="small crm-wrap">{activity.body}</div> : null}
      </div>
      {onDone && !activity.done ? (
        <span className="crm-list-actions">
          <Button onClick={onDone} icon="check" data-testid="activity-done">
            {t('crm.activity.markDone')}
          </Button>
        </span>
      ) : null}
    </li>
  );
}

/** Merges another client into this one, after searching for it and confirming. */
function MergeDialog({
  client,
  onClose,
  onMerged,
}: {
  client: Client;
  onClose(): void;
  onMerged(survivor: Client, otherName: string): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [other, setOther] = useState<Client | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog
      title={t('crm.merge.title', { name: client.name })}
      confirmLabel={t('crm.merge.confirm')}
      variant="danger"
      busy={busy}
      disabled={!other}
      error={error}
      onCancel={onClose}
      testId="merge-dialog"
      onConfirm={() => {
        if (!other) return;
        setBusy(true);
        api<Client>('POST', `${CRM}/clients/${encodeURIComponent(client.id)}/merge`, { otherId: other.id })
          .then((survivor) => onMerged(survivor, other.name))
          .catch((reason: unknown) => {
            setBusy(false);
            setError(errorMessage(reason, i18n));
          });
      }}
    >
      <p className="small">{t('crm.merge.text')}</p>
      {other ? (
        <div className="crm-merge-choice" data-testid="merge-choice">
          <p>{t('crm.merge.warning', { other: other.name, name: client.name })}</p>
          <p className="small muted">
            {[other.taxId, ...other.phones.map(formatPhone), ...other.emails].filter(Boolean).join(' · ')}
          </p>
          <Button variant="ghost" onClick={() => setOther(null)}>
            {t('crm.common.change')}
          </Button>
        </div>
      ) : (
        <Picker<Client>
          label={t('crm.merge.other')}
          name="otherId"
          placeholder={t('crm.clients.searchPlaceholder')}
          testId="merge-picker"
          nothing={t('crm.common.nothingFound')}
          search={(q, signal) =>
            listClients({ q, limit: 8, sort: 'name' }, signal).then((page) =>
              page.items.filter((c) => c.id !== client.id),
            )
          }
          itemKey={(c) => c.id}
          itemLabel={(c) => (
            <>
              <strong>{c.name}</strong>
              <span className="muted">{` · ${[c.taxId, c.phones[0] && formatPhone(c.phones[0])].filter(Boolean).join(' · ')}`}</span>
            </>
          )}
          onPick={setOther}
        />
      )}
    </Dialog>
  );
}
