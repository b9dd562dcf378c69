import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => {
  if (typeof document !== 'undefined') cleanup();
});

// jsdom does no layout: give the virtualized scrollers a viewport so they render rows.
if (typeof HTMLElement !== 'undefined') {
  for (const [property, size] of [
    ['clientHeight', 600],
    ['clientWidth', 800],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, property, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('event-log-scroller') ? size : 0;
      },
    });
  }
}
