// Reads one record a task is about. A record the reader may not see (403) or that is gone (404) is
// no error: its card is left out, as if the task did not name it.
import { useEffect, useState } from 'react';
import { ApiError, api } from '../../app/api';

export type AboutRecord<T> =
  | { status: 'loading' }
  | { status: 'hidden' }
  | { status: 'failed'; error: unknown }
  | { status: 'ready'; record: T };

export function useAboutRecord<T>(path: string): AboutRecord<T> {
  const [state, setState] = useState<AboutRecord<T>>({ status: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    api<T>('GET', path, undefined, { signal: controller.signal })
      .then((record) => setState({ status: 'ready', record }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const unseen = error instanceof ApiError && (error.status === 403 || error.status === 404);
        setState(unseen ? { status: 'hidden' } : { status: 'failed', error });
      });
    return () => controller.abort();
  }, [path]);
  return state;
}
