// Reminders: while someone with CRM rights is signed in, asks GET /api/crm/reminders?since=
// every 30 s and shows one toast per activity that fell due, with a link to it. The shell
// mounts it once beside every page (BACKGROUND in web/src/modules/index.ts).
import { useEffect, useRef, useState } from 'react';
import { api } from '../../app/api';
import { Icon } from '../../app/icons';
import { Link } from '../../app/router';
import { useI18n } from '../../i18n/i18n';
import { type Activity, CRM } from './api';
import { ActivityTypeBadge } from './parts';

export const REMINDER_INTERVAL_MS = 30_000;
const SHOWN_AT_MOST = 4;

/** The reminders that are new: not shown before, newest last, at most `limit`. */
export function newReminders(
  items: Activity[],
  shown: ReadonlySet<string>,
  limit = SHOWN_AT_MOST,
): Activity[] {
  return items.filter((a) => !a.done && !shown.has(a.id)).slice(-limit);
}

function Reminders() {
  const { t, formatDateTime } = useI18n();
  const [items, setItems] = useState<Activity[]>([]);
  const shown = useRef(new Set<string>());
  const since = useRef<string>(new Date(Date.now() - REMINDER_INTERVAL_MS).toISOString());

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      try {
        if (stopped) return;
        const asked = new Date().toISOString();
        const answer = await api<{ items: Activity[]; now?: string }>('GET', `${CRM}/reminders`, undefined, {
          query: { since: since.current },
        });
        // The server's clock, when it tells it, so that a browser clock that is off loses nothing.
        since.current = answer.now ?? asked;
        const fresh = newReminders(answer.items, shown.current);
        if (fresh.length === 0 || stopped) return;
        for (const activity of fresh) shown.current.add(activity.id);
        setItems((list) => [...list, ...fresh].slice(-SHOWN_AT_MOST));
      } catch {
        // The next tick tries again; a lost session is handled by the app.
      }
    };
    // The first look comes soon after sign-in, then every 30 s.
    const first = window.setTimeout(() => void tick(), 3_000);
    const timer = window.setInterval(() => void tick(), REMINDER_INTERVAL_MS);
    return () => {
      stopped = true;
      window.clearTimeout(first);
      window.clearInterval(timer);
    };
  }, []);

  if (items.length === 0) return null;
  const dismiss = (id: string) => setItems((list) => list.filter((a) => a.id !== id));
  return (
    <div className="crm-reminders" aria-live="polite" data-testid="crm-reminders">
      {items.map((activity) => (
        <div key={activity.id} className="crm-reminder" role="status" data-testid="crm-reminder">
          <div className="crm-reminder-head">
            <Icon name="alert" size={16} />
            <strong>{t('crm.reminder.title')}</strong>
            <button
              type="button"
              className="icon-button"
              onClick={() => dismiss(activity.id)}
              aria-label={t('common.close')}
            >
              <Icon name="close" size={14} />
            </button>
          </div>
          <div className="crm-reminder-body">
            <ActivityTypeBadge type={activity.type} />
            <span className="crm-wrap">{activity.subject}</span>
          </div>
          <div className="small crm-reminder-meta">
            {t('crm.reminder.due', { time: formatDateTime(activity.dueAt) })}
            {activity.clientId ? (
              <>
                {' · '}
                <Link
                  to={`/crm/clients/${encodeURIComponent(activity.clientId)}`}
                  onClick={() => dismiss(activity.id)}
                >
                  {activity.clientName ?? t('crm.reminder.open')}
                </Link>
              </>
            ) : (
              <>
                {' · '}
                <Link to="/crm/my-day" onClick={() => dismiss(activity.id)}>
                  {t('crm.reminder.open')}
                </Link>
              </>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}

export default Reminders;
