import { useEffect, useRef } from 'react';

/** Loads the next page when scrolled into view (where IntersectionObserver exists), or on click. */
export function LoadMore({ onLoad, loading }: { onLoad(): void; loading: boolean }) {
  const button = useRef<HTMLButtonElement>(null);
  const latest = useRef(onLoad);
  latest.current = onLoad;
  useEffect(() => {
    const element = button.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) latest.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return (
    <button ref={button} type="button" onClick={onLoad} disabled={loading}>
      {loading ? 'Loading…' : 'Load older runs'}
    </button>
  );
}
