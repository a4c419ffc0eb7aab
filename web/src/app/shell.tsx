import { type ComponentType, type LazyExoticComponent, lazy, Suspense, useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { BACKGROUND, MODULES, type ModuleEntry, SECTIONS } from '../modules';
import { ErrorBoundary } from './error-boundary';
import { errorMessage } from './errors';
import { BrandMark, Icon } from './icons';
import { LanguageSelect } from './language-select';
import { useNavBadge } from './nav-badges';
import { isUnder, Link, navigate, useLocation } from './router';
import { useSession } from './session';
import { Button, EmptyState, PageLoading, useNotify } from './ui';

const PAGES = new Map<string, LazyExoticComponent<ComponentType>>(
  MODULES.map((entry) => [entry.path, lazy(entry.load)]),
);

const BACKGROUND_WORK = BACKGROUND.map((entry) => ({
  permission: entry.permission,
  Component: lazy(entry.load),
}));

/** Mounts each module's background work the user has the right to, once, beside the page. */
function BackgroundWork() {
  const { can } = useSession();
  return (
    <>
      {BACKGROUND_WORK.filter((work) => can(work.permission)).map(({ permission, Component }) => (
        <ErrorBoundary key={permission} resetKey={permission}>
          <Suspense fallback={null}>
            <Component />
          </Suspense>
        </ErrorBoundary>
      ))}
    </>
  );
}

/** The entries a user may open, in registry order. */
export function useVisibleModules(): ModuleEntry[] {
  const { can } = useSession();
  return MODULES.filter((entry) => can(entry.permission));
}

function initials(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase() ?? '');
  return letters.join('') || '?';
}

function NavLink({ entry, active }: { entry: ModuleEntry; active: boolean }) {
  const { t } = useI18n();
  const badge = useNavBadge(entry.path);
  return (
    <li>
      <Link
        to={entry.path}
        className={`nav-link${active ? ' nav-link-active' : ''}`}
        aria-current={active ? 'page' : undefined}
        data-testid={`nav-${entry.path}`}
      >
        {entry.icon ? <Icon name={entry.icon} /> : null}
        <span>{t(entry.labelKey)}</span>
        {badge > 0 ? (
          <span className="nav-badge" data-testid={`nav-badge-${entry.path}`}>
            {badge > 99 ? '99+' : badge}
          </span>
        ) : null}
      </Link>
    </li>
  );
}

function Navigation({ current }: { current: ModuleEntry | undefined }) {
  const { t } = useI18n();
  const visible = useVisibleModules();
  const top = visible.filter((entry) => !entry.section);
  return (
    <nav className="nav" aria-label={t('nav.label')}>
      <ul className="nav-list">
        {top.map((entry) => (
          <NavLink key={entry.path} entry={entry} active={entry === current} />
        ))}
      </ul>
      {SECTIONS.map((section) => {
        const entries = visible.filter((entry) => entry.section === section.id);
        if (entries.length === 0) return null;
        return (
          <div key={section.id} className="nav-section" data-testid={`nav-section-${section.id}`}>
            <h2 className="nav-section-title">{t(section.labelKey)}</h2>
            <ul className="nav-list">
              {entries.map((entry) => (
                <NavLink key={entry.path} entry={entry} active={entry === current} />
              ))}
            </ul>
          </div>
        );
      })}
    </nav>
  );
}

function findEntry(pathname: string): ModuleEntry | undefined {
  return MODULES.filter((entry) => isUnder(pathname, entry.path)).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
}

function Forbidden() {
  const { t } = useI18n();
  return (
    <EmptyState
      page
      icon="lock"
      title={t('forbidden.title')}
      text={t('forbidden.text')}
      action={
        <Link className="button button-primary" to="/">
          {t('notFound.home')}
        </Link>
      }
    />
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <EmptyState
      page
      icon="search"
      title={t('notFound.title')}
      text={t('notFound.text')}
      action={
        <Link className="button button-primary" to="/">
          {t('notFound.home')}
        </Link>
      }
    />
  );
}

/** The frame around every page once signed in: navigation, user, language, sign-out. */
export function Shell() {
  const i18n = useI18n();
  const { t } = i18n;
  const { user, signOut, can } = useSession();
  const notify = useNotify();
  const { pathname } = useLocation();
  const [navOpen, setNavOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page closes the menu on narrow screens.
  useEffect(() => setNavOpen(false), [pathname]);

  if (!user) return null;
  const entry = findEntry(pathname);
  const Page = entry ? PAGES.get(entry.path) : undefined;
  const allowed = entry ? can(entry.permission) : false;

  const handleSignOut = () => {
    setSigningOut(true);
    signOut()
      .then(() => navigate('/', { replace: true }))
      .catch((error: unknown) => {
        notify('error', errorMessage(error, i18n));
        setSigningOut(false);
      });
  };

  return (
    <div className={`shell${navOpen ? ' shell-nav-open' : ''}`}>
      <aside className="sidebar" id="sidebar">
        <div className="brand">
          <BrandMark />
          <span className="brand-name">{t('app.name')}</span>
          <button
            type="button"
            className="icon-button sidebar-close"
            onClick={() => setNavOpen(false)}
            aria-label={t('nav.close')}
          >
            <Icon name="close" />
          </button>
        </div>
        <Navigation current={entry && allowed ? entry : undefined} />
        <div className="sidebar-footer">
          <span className="sidebar-user">{user.name}</span>
          <span className="sidebar-email">{user.email}</span>
        </div>
      </aside>
      <div className="sidebar-backdrop" onClick={() => setNavOpen(false)} aria-hidden="true" />
      <div className="main">
        <header className="topbar">
          <button
            type="button"
            className="icon-button menu-button"
            onClick={() => setNavOpen(true)}
            aria-expanded={navOpen}
            aria-controls="sidebar"
            aria-label={t('nav.open')}
            data-testid="menu-button"
          >
            <Icon name="menu" />
          </button>
          <div className="topbar-spacer" />
          <LanguageSelect compact />
          <Link to="/profile" className="topbar-user" title={t('nav.profile')}>
            <span className="avatar" aria-hidden="true">
              {initials(user.name)}
            </span>
            <span className="topbar-user-name" data-testid="user-name">
              {user.name}
            </span>
          </Link>
          <Button
            variant="ghost"
            icon="logout"
            busy={signingOut}
            onClick={handleSignOut}
            data-testid="sign-out"
            className="sign-out"
            aria-label={t('auth.signOut')}
          >
            <span className="sign-out-text">{t('auth.signOut')}</span>
          </Button>
        </header>
        <main className="content" id="content">
          <ErrorBoundary resetKey={entry?.path ?? pathname}>
            {!entry || !Page ? (
              <NotFound />
            ) : !allowed ? (
              <Forbidden />
            ) : (
              <Suspense fallback={<PageLoading />}>
                <Page />
              </Suspense>
            )}
          </ErrorBoundary>
        </main>
        <BackgroundWork />
      </div>
    </div>
  );
}
