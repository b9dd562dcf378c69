import { createAppSupabaseClient } from '@data/client.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { AppProviders } from './app/providers.tsx';
import { createQueryClient } from './app/query-client.ts';
import { createRoutes } from './app/routes.tsx';
import { env } from './lib/env.ts';
import './app/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

const queryClient = createQueryClient();
const supabase = createAppSupabaseClient(env.VITE_SUPABASE_URL, env.VITE_SUPABASE_PUBLISHABLE_KEY);
const router = createBrowserRouter(createRoutes(queryClient, supabase));

createRoot(root).render(
  <StrictMode>
    <AppProviders
      queryClient={queryClient}
      supabase={supabase}
      functions={{
        functionsUrl: `${env.VITE_SUPABASE_URL.replace(/\/$/, '')}/functions/v1`,
        anonKey: env.VITE_SUPABASE_PUBLISHABLE_KEY,
      }}
    >
      <RouterProvider router={router} />
    </AppProviders>
  </StrictMode>,
);
