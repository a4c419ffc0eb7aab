import { useEffect, useState } from 'react';

/** The width below which the layout turns to a phone's (styles.css uses the same). */
export const PHONE_QUERY = '(max-width: 640px)';

/** Whether the window is phone-wide now; follows rotation and resizing. */
export function useNarrowScreen(): boolean {
  const [narrow, setNarrow] = useState(() => globalThis.matchMedia?.(PHONE_QUERY).matches ?? false);
  useEffect(() => {
    const media = globalThis.matchMedia?.(PHONE_QUERY);
    if (!media) return;
    const update = () => setNarrow(media.matches);
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return narrow;
}
