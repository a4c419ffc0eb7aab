import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { getLocale, type Locale, setLocale } from '../i18n/i18n';
import { ApiError, api, setUnauthenticatedHandler } from './api';
import { hasPermission, type User } from './types';

type Status = 'loading' | 'ready' | 'offline';

export type Session = {
  /** The signed-in user, or null on the sign-in page. */
  user: User | null;
  status: Status;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Replaces the user after the API changed it (PATCH /api/auth/me). */
  setUser(user: User): void;
  /** Switches the language now and, when signed in, remembers it on the server. */
  changeLocale(locale: Locale): Promise<void>;
  can(permission: string | null): boolean;
  retry(): void;
};

const SessionContext = createContext<Session | null>(null);

/** The session of this browser tab: who is signed in and in which language. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUserState] = useState<User | null>(null);
  const [status, setStatus] = useState<Status>('loading');
  const [attempt, setAttempt] = useState(0);

  // The user comes in with their language: the shell appears once its texts are here, never in
  // the sign-in page's language first. If they cannot be fetched, the page keeps the one it shows.
  const adopt = useCallback(async (next: User) => {
    await setLocale(next.locale).catch(() => undefined);
    setUserState(next);
  }, []);

  const setUser = useCallback((next: User) => void adopt(next), [adopt]);

  // Who is signed in: the cookie is HttpOnly, so only the API can tell.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the check on retry.
  useEffect(() => {
    const controller = new AbortController();
    setStatus('loading');
    api<{ user: User }>('GET', '/api/auth/me', undefined, { signal: controller.signal })
      .then(async ({ user: me }) => {
        await adopt(me);
        setStatus('ready');
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) {
          setUserState(null);
          setStatus('ready');
        } else {
          setStatus('offline');
        }
      });
    return () => controller.abort();
  }, [attempt, adopt]);

  useEffect(() => {
    setUnauthenticatedHandler(() => setUserState(null));
    return () => setUnauthenticatedHandler(null);
  }, []);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const { user: me } = await api<{ user: User }>('POST', '/api/auth/login', { email, password });
      await adopt(me);
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await api<void>('POST', '/api/auth/logout');
    } finally {
      setUserState(null);
    }
  }, []);

  const changeLocale = useCallback(
    async (locale: Locale) => {
      const previous = getLocale();
      await setLocale(locale);
      if (!user || user.locale === locale) return;
      try {
        const { user: me } = await api<{ user: User }>('PATCH', '/api/auth/me', { locale });
        setUserState(me);
      } catch (error) {
        await setLocale(previous);
        throw error;
      }
    },
    [user],
  );

  const value = useMemo<Session>(
    () => ({
      user,
      status,
      signIn,
      signOut,
      setUser,
      changeLocale,
      can: (permission) => hasPermission(user, permission),
      retry: () => setAttempt((n) => n + 1),
    }),
    [user, status, signIn, signOut, setUser, changeLocale],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
