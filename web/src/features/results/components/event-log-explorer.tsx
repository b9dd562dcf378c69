import type { EventLogEntry } from '@core/benchmark-run.ts';
import { formatOffset } from '@core/format.ts';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';

const DIRECTIONS = ['client', 'server', 'system'] as const;
type Direction = (typeof DIRECTIONS)[number];

/** Some events the page picked out (a turn's), by their index in the log. */
export interface EventFocus {
  /** What they are, as in "turn 3": shown as "Showing turn 3's events". */
  label: string;
  indices: readonly number[];
}

/**
 * Every saved event, virtualized (50,000 rows stay smooth), filterable by type
 * and direction, expandable to raw JSON. With `focus`, only those events are
 * listed (the filters still apply) until "Show all" calls `onClearFocus`; a new
 * focus clears the filters and scrolls the explorer into view.
 */
export function EventLogExplorer({
  events,
  createdAt,
  focus = null,
  onClearFocus,
}: {
  events: EventLogEntry[];
  createdAt: string;
  focus?: EventFocus | null;
  onClearFocus?: () => void;
}) {
  const start = Date.parse(createdAt);
  const [type, setType] = useState('');
  const [directions, setDirections] = useState<Set<Direction>>(() => new Set(DIRECTIONS));
  const [expanded, setExpanded] = useState<Set<number>>(() => new Set());
  const scroller = useRef<HTMLDivElement>(null);
  const section = useRef<HTMLElement>(null);

  const typeCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const entry of events)
      counts.set(entry.event.type, (counts.get(entry.event.type) ?? 0) + 1);
    return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
  }, [events]);

  const visible = useMemo(() => {
    const shown = (entry: EventLogEntry) =>
      (type === '' || entry.event.type === type) && directions.has(entry.direction);
    if (focus) {
      return [...new Set(focus.indices)]
        .filter((index) => events[index] && shown(events[index]))
        .sort((a, b) => a - b);
    }
    const indices: number[] = [];
    events.forEach((entry, index) => {
      if (shown(entry)) indices.push(index);
    });
    return indices;
  }, [events, type, directions, focus]);

  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 28,
    overscan: 15,
    getItemKey: (row) => visible[row] ?? row,
  });

  useEffect(() => {
    if (!focus) return;
    setType('');
    setDirections(new Set(DIRECTIONS));
    if (scroller.current) scroller.current.scrollTop = 0;
    // jsdom has no scrollIntoView.
    section.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [focus]);

  const toggleDirection = (direction: Direction) => {
    const next = new Set(directions);
    if (next.has(direction)) next.delete(direction);
    else next.add(direction);
    setDirections(next);
  };
  const toggleExpanded = (index: number) => {
    const next = new Set(expanded);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    setExpanded(next);
  };

  return (
    <section ref={section} className="event-log explorer" aria-label="Event log explorer">
      <header>
        <h2>Event log</h2>
        <span className="summary" data-testid="event-count">
          {visible.length === events.length
            ? `${events.length.toLocaleString('en')} events`
            : `${visible.length.toLocaleString('en')} of ${events.length.toLocaleString('en')} events`}
        </span>
      </header>
      {focus && (
        <p className="explorer-focus">
          Showing {focus.label}'s events ({focus.indices.length.toLocaleString('en')}) —{' '}
          <button type="button" className="link" onClick={onClearFocus}>
            Show all
          </button>
        </p>
      )}
      <div className="explorer-filters">
        <label>
          Type
          <select value={type} onChange={(event) => setType(event.target.value)}>
            <option value="">All types</option>
            {typeCounts.map(([name, count]) => (
              <option key={name} value={name}>
                {name} ({count})
              </option>
            ))}
          </select>
        </label>
        {DIRECTIONS.map((direction) => (
          <label key={direction} className="inline">
            <input
              type="checkbox"
              checked={directions.has(direction)}
              onChange={() => toggleDirection(direction)}
            />
            {direction}
          </label>
        ))}
      </div>
      <div ref={scroller} className="event-log-scroller tall">
        <ul
          aria-label="Events"
          className="virtual-list"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const index = visible[item.index] as number;
            const entry = events[index] as EventLogEntry;
            const open = expanded.has(index);
            return (
              <li
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={`event-row-wrap ${entry.direction}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  width: '100%',
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <button
                  type="button"
                  className="event-row"
                  aria-expanded={open}
                  onClick={() => toggleExpanded(index)}
                >
                  <span className="time">{formatOffset(Date.parse(entry.timestamp) - start)}</span>
                  <span className="direction">{entry.direction}</span>
                  <span className="type">{entry.event.type}</span>
                </button>
                {open && <pre className="raw-event">{JSON.stringify(entry.event, null, 2)}</pre>}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
