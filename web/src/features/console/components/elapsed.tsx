import { useEffect, useState } from 'react';

/** Time since `startedAt`, ticking while the run is live and frozen at `endedAt`. */
export function Elapsed({
  startedAt,
  endedAt,
}: {
  startedAt: number | null;
  endedAt: number | null;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (startedAt === null || endedAt !== null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [startedAt, endedAt]);
  if (startedAt === null) return <span>0:00</span>;
  const seconds = Math.max(0, Math.floor(((endedAt ?? now) - startedAt) / 1000));
  return (
    <span>
      {Math.floor(seconds / 60)}:{String(seconds % 60).padStart(2, '0')}
    </span>
  );
}
