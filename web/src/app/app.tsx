import { useI18n } from '../i18n/i18n';
import { SignInPage } from '../modules/auth/sign-in-page';
import { ErrorBoundary } from './error-boundary';
import { Icon } from './icons';
import { SessionProvider, useSession } from './session';
import { Shell } from './shell';
import { Button, NotifyProvider, PageLoading } from './ui';

function Offline() {
  const { t } = useI18n();
  const { retry } = useSession();
  return (
    <div className="crash" role="alert">
      <Icon name="alert" size={28} />
      <h2>{t('offline.title')}</h2>
      <p>{t('offline.text')}</p>
      <Button variant="primary" icon="refresh" onClick={retry}>
        {t('offline.retry')}
      </Button>
    </div>
  );
}

function Screen() {
  const { status, user } = useSession();
  if (status === 'loading') return <PageLoading />;
  if (status === 'offline') return <Offline />;
  return user ? <Shell /> : <SignInPage />;
}

/** The whole app: the sign-in page until someone signs in, then the shell. */
export function App() {
  return (
    <ErrorBoundary>
      <NotifyProvider>
        <SessionProvider>
          <Screen />
        </SessionProvider>
      </NotifyProvider>
    </ErrorBoundary>
  );
}
