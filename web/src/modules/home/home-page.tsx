import { lazy, Suspense } from 'react';
import { ErrorBoundary } from '../../app/error-boundary';
import { Icon } from '../../app/icons';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { useVisibleModules } from '../../app/shell';
import { PageHeader } from '../../app/ui';
import { useI18n } from '../../i18n/i18n';
import { ATTENTION } from '../index';

const ATTENTION_PARTS = ATTENTION.map((entry) => ({
  permission: entry.permission,
  Component: lazy(entry.load),
}));

/** The welcome page: greets the user and lists what they can open, one line each. */
export default function HomePage() {
  const { t, formatDate } = useI18n();
  const { user, can } = useSession();
  const attention = ATTENTION_PARTS.filter((part) => can(part.permission));
  const cards = useVisibleModules().filter((entry) => entry.descriptionKey);
  if (!user) return null;

  return (
    <>
      <PageHeader
        title={t('home.greeting', { name: user.name })}
        description={t('home.today', { date: formatDate(new Date()) })}
      />
      {attention.length > 0 ? (
        <section className="attention-section" aria-labelledby="attention-title">
          <h2 className="section-title" id="attention-title">
            {t('home.attentionTitle')}
          </h2>
          {/* Empty when nothing waits: the parts show only counts above zero. */}
          <ul className="attention-list" data-testid="home-attention">
            {attention.map(({ permission, Component }) => (
              <ErrorBoundary key={permission} resetKey={permission}>
                <Suspense fallback={null}>
                  <Component />
                </Suspense>
              </ErrorBoundary>
            ))}
          </ul>
        </section>
      ) : null}
      <h2 className="section-title">{t('home.modulesTitle')}</h2>
      <ul className="cards" data-testid="home-cards">
        {cards.map((entry) => (
          <li key={entry.path}>
            <Link to={entry.path} className="card card-link">
              <span className="card-icon">{entry.icon ? <Icon name={entry.icon} size={22} /> : null}</span>
              <span className="card-text">
                <span className="card-title">{t(entry.labelKey)}</span>
                {entry.descriptionKey ? (
                  <span className="card-description">{t(entry.descriptionKey)}</span>
                ) : null}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
