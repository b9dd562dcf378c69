import { createAppSupabaseClient } from '@data/client.ts';
import { render } from '@testing-library/react';
import { StrictMode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { AppProviders } from '../app/providers.tsx';
import { createQueryClient } from '../app/query-client.ts';
import { createRoutes } from '../app/routes.tsx';

export const TEST_SUPABASE_URL = 'http://supabase.test';
export const TEST_ANON_KEY = 'test-anon-key';

/**
 * Renders the app's routes at `path` with a fresh QueryClient (no retries),
 * talking to `apiUrl` (msw's fake host unless a real stack is given).
 */
export function renderRoute(
  path: string,
  {
    apiUrl = TEST_SUPABASE_URL,
    anonKey = TEST_ANON_KEY,
  }: { apiUrl?: string; anonKey?: string } = {},
): ReturnType<typeof render> & { router: ReturnType<typeof createMemoryRouter> } {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const supabase = clientFor(apiUrl, anonKey);
  const router = createMemoryRouter(createRoutes(queryClient, supabase), {
    initialEntries: [path],
  });
  const rendered = render(
    <StrictMode>
      <AppProviders
        queryClient={queryClient}
        supabase={supabase}
        functions={{ functionsUrl: `${apiUrl}/functions/v1`, anonKey }}
      >
        <RouterProvider router={router} />
      </AppProviders>
    </StrictMode>,
  );
  return { ...rendered, router };
}

/** One client per URL and module, as the app has one for its lifetime. */
const clients = new Map<string, ReturnType<typeof createAppSupabaseClient>>();
function clientFor(apiUrl: string, anonKey: string) {
  const key = `${apiUrl}|${anonKey}`;
  let client = clients.get(key);
  if (!client) {
    client = createAppSupabaseClient(apiUrl, anonKey);
    clients.set(key, client);
  }
  return client;
}
