// The inbox count beside "Tasks" in the navigation: read from GET /tasks?limit=0 when asked.
import { setNavBadge } from '../../app/nav-badges';
import { countTasks } from './api';

export const INBOX_PATH = '/bpm/tasks';

/** Reads the count again and shows it; called by the poller and after a task changes hands. */
export async function refreshInboxCount(): Promise<void> {
  try {
    setNavBadge(INBOX_PATH, await countTasks());
  } catch {
    // The next poll tries again; a lost session is handled by the app.
  }
}
