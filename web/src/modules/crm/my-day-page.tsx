import { useEffect, useState } from 'react';
import { api } from '../../app/api';
import { errorMessage } from '../../app/errors';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { Button, EmptyState, FormError, PageHeader, PageLoading, useNotify } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { ActivityForm, DoneDialog } from './activity-forms';
import { type Activity, CRM } from './api';
import { ActivityRow } from './client-card';
import './crm.css';

type MyDay = { overdue: Activity[]; today: Activity[]; upcoming: Activity[] };

/** The signed-in user's activities: overdue (marked), today's and upcoming ones; mark them done. */
export default function MyDayPage() {
  const i18n = useI18n();
  const { t, formatDate } = i18n;
  const { can } = useSession();
  const notify = useNotify();
  const [day, setDay] = useState<MyDay | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Activity | null>(null);
  const [creating, setCreating] = useState(false);
  const [token, setToken] = useState(0);
  const writable = can('crm.activities.write') || can('crm.clients.write');

  // biome-ignore lint/correctness/useExhaustiveDependencies: token asks for a new read.
  useEffect(() => {
    const controller = new AbortController();
    api<MyDay>('GET', `${CRM}/my-day`, undefined, { signal: controller.signal })
      .then((answer) => {
        setDay(answer);
        setError(null);
      })
      .catch((reason: unknown) => {
        if (!controller.signal.aborted) setError(reason);
      });
    // Due times pass while the page is open: read again every minute.
    const timer = window.setInterval(() => setToken((n) => n + 1), 60_000);
    return () => {
      controller.abort();
      window.clearInterval(timer);
    };
  }, [token]);

  const header = (
    <PageHeader
      title={t('crm.myDay.title')}
      description={t('crm.myDay.lead', { date: formatDate(new Date()) })}
      actions={
        writable ? (
          <Button variant="primary" icon="plus" onClick={() => setCreating(true)} data-testid="my-day-add">
            {t('crm.card.addActivity')}
          </Button>
        ) : null
      }
    />
  );
  if (error) {
    return (
      <>
        {header}
        <FormError message={errorMessage(error, i18n)} />
      </>
    );
  }
  if (!day) return <PageLoading />;
  const nothing = day.overdue.length + day.today.length + day.upcoming.length === 0;
  const section = (key: 'overdue' | 'today' | 'upcoming', items: Activity[]) => (
    <section className={`panel crm-section crm-day-${key}`} data-testid={`my-day-${key}`}>
      <h2 className="panel-title">
        {t(`crm.myDay.${key}`)}
        <span
          className={`badge ${key === 'overdue' && items.length > 0 ? 'crm-badge-danger' : 'badge-muted'}`}
        >
          {items.length}
        </span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">{t(`crm.myDay.${key}Empty`)}</p>
      ) : (
        <ul className="crm-list">
          {items.map((activity) => (
            <ActivityRow
              key={activity.id}
              activity={activity}
              overdue={key === 'overdue'}
              showClient
              onDone={writable ? () => setDone(activity) : undefined}
            />
          ))}
        </ul>
      )}
    </section>
  );

  return (
    <>
      {header}
      {nothing ? (
        <EmptyState
          icon="check"
          title={t('crm.myDay.emptyTitle')}
          text={t('crm.myDay.emptyText')}
          action={
            <Link className="button button-primary" to="/crm/clients">
              {t('crm.myDay.toClients')}
            </Link>
          }
        />
      ) : (
        <>
          {section('overdue', day.overdue)}
          {section('today', day.today)}
          {section('upcoming', day.upcoming)}
        </>
      )}
      {done ? (
        <DoneDialog
          activity={done}
          onClose={() => setDone(null)}
          onDone={() => {
            notify('success', t('crm.activity.doneSaved'));
            setDone(null);
            setToken((n) => n + 1);
          }}
        />
      ) : null}
      {creating ? (
        <ActivityForm
          onClose={() => setCreating(false)}
          onSaved={() => {
            notify('success', t('crm.activity.created'));
            setCreating(false);
            setToken((n) => n + 1);
          }}
        />
      ) : null}
    </>
  );
}
