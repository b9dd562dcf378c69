import type { AppSupabaseClient } from '@data/client.ts';
import type { QueryClient } from '@tanstack/react-query';
import type { RouteObject } from 'react-router-dom';
import { runQueryOptions, runsQueryOptions } from '../data/runs.ts';
import { parseFilters } from '../lib/run-filters.ts';
import { Layout, LayoutLoading, NotFoundPage } from './layout.tsx';

const loadResultsPage = async () =>
  (await import('../features/results/pages/results-page.tsx')).ResultsPage;
const loadRunDetailPage = async () =>
  (await import('../features/results/pages/run-detail-page.tsx')).RunDetailPage;

/**
 * Each page is its own chunk, and the results pages start their query in the
 * route's loader, so data and code load side by side (render as you fetch).
 * Loaders never wait: the pages show their own loading states. Those routes
 * load only their Component lazily (`lazy: { Component }`): with a `lazy`
 * function the router would wait for the chunk before running the loader.
 */
export function createRoutes(queryClient: QueryClient, supabase: AppSupabaseClient): RouteObject[] {
  return [
    {
      element: <Layout />,
      HydrateFallback: LayoutLoading,
      children: [
        {
          path: '/',
          lazy: async () => ({
            Component: (await import('../features/console/console-page.tsx')).ConsolePage,
          }),
        },
        {
          path: '/results',
          loader: ({ request }) => {
            const filters = parseFilters(new URL(request.url).searchParams);
            void queryClient.prefetchInfiniteQuery(runsQueryOptions(supabase, filters));
            return null;
          },
          lazy: { Component: loadResultsPage },
        },
        {
          path: '/results/:runId',
          loader: ({ params }) => {
            void queryClient.prefetchQuery(runQueryOptions(supabase, params.runId ?? ''));
            return null;
          },
          lazy: { Component: loadRunDetailPage },
        },
        {
          path: '/compare',
          lazy: async () => ({
            Component: (await import('../features/compare/compare-page.tsx')).ComparePage,
          }),
        },
        {
          path: '/trends',
          lazy: async () => ({
            Component: (await import('../features/trends/trends-page.tsx')).TrendsPage,
          }),
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ];
}
