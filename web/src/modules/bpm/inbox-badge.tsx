// Background work beside every page: keeps the inbox count fresh every 20 s while the tab is
// visible, and at once when the tab comes back into view.
import { useEffect } from 'react';
import { setNavBadge } from '../../app/nav-badges';
import { INBOX_PATH, refreshInboxCount } from './inbox-count';

export const INBOX_POLL_MS = 20_000;

export default function InboxBadge() {
  useEffect(() => {
    void refreshInboxCount();
    const timer = window.setInterval(() => {
      // A hidden tab asks nothing: a count nobody sees is not worth a request.
      if (!document.hidden) void refreshInboxCount();
    }, INBOX_POLL_MS);
    const onVisible = () => {
      if (!document.hidden) void refreshInboxCount();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      setNavBadge(INBOX_PATH, null);
    };
  }, []);
  return null;
}
