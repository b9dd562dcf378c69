import type { EventLogEntry } from '@core/benchmark-run.ts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';

interface Props {
  /** Reads the live log; `count` changes whenever it grows. */
  getEntries(): readonly EventLogEntry[];
  count: number;
  startedAt: number | null;
}

const ROW_HEIGHT = 26;

/** Every event of the run, virtualized so thousands of rows stay cheap; follows the tail unless scrolled up. */
export function EventLogPanel({ getEntries, count, startedAt }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    if (follow && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, follow, virtualizer]);

  const entries = getEntries();
  return (
    <section className="event-log" aria-label="Event log">
      <header>
        <h2>Event log</h2>
        <span className="summary">{count} events</span>
        <label className="follow">
          <input
            type="checkbox"
            checked={follow}
            onChange={(event) => setFollow(event.target.checked)}
          />
          Follow
        </label>
      </header>
      <div ref={scroller} className="event-log-scroller" role="log">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const entry = entries[item.index];
            if (!entry) return null;
            const offset = startedAt ? Date.parse(entry.timestamp) - startedAt : 0;
            return (
              <div
                key={item.key}
                className={`event-row ${entry.direction}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  transform: `translateY(${item.start}px)`,
                  height: ROW_HEIGHT,
                }}
              >
                <span className="time">{(offset / 1000).toFixed(2)}s</span>
                <span className="direction">{entry.direction}</span>
                <span className="type">{entry.event.type}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
