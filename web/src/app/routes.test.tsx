import { screen } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderRoute, TEST_SUPABASE_URL } from '../test/render.tsx';

// Every page may read: answer with nothing stored.
const server = setupServer(
  http.get(`${TEST_SUPABASE_URL}/rest/v1/*`, () => HttpResponse.json([])),
  http.get(`${TEST_SUPABASE_URL}/functions/v1/realtime-session`, () =>
    HttpResponse.json({ openai_configured: false }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('routes', () => {
  it.each(['/', '/results', '/compare', '/trends', '/nowhere'])(
    'load %s without router warnings, showing the navigation while the page loads',
    async (path) => {
      const warnings = vi.spyOn(console, 'warn');
      renderRoute(path);
      expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
      // Each page is its own chunk (the trends page brings the charts): give a busy machine time.
      await screen.findByRole('heading', { level: 1 }, { timeout: 10_000 });
      const messages = warnings.mock.calls.map((call) => String(call[0]));
      warnings.mockRestore();
      expect(messages.filter((message) => /HydrateFallback/.test(message))).toEqual([]);
    },
    15_000,
  );
});
