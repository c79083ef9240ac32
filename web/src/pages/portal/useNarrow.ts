import { useEffect, useState } from 'react';

/** Phones: below Ant Design's `sm` breakpoint (576 px), wide tables become stacked cards. */
export const NARROW_QUERY = '(max-width: 575.98px)';

const matches = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(NARROW_QUERY).matches;

/** True while the viewport is narrower than 576 px; follows rotation and resizing. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(matches);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const mq = window.matchMedia(NARROW_QUERY);
    const onChange = () => setNarrow(mq.matches);
    onChange();
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return narrow;
}
