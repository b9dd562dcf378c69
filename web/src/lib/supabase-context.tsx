import type { AppSupabaseClient } from '@data/client.ts';
import { createContext, type ReactNode, useContext } from 'react';

const SupabaseContext = createContext<AppSupabaseClient | null>(null);

export function SupabaseProvider({
  client,
  children,
}: {
  client: AppSupabaseClient;
  children: ReactNode;
}) {
  return <SupabaseContext.Provider value={client}>{children}</SupabaseContext.Provider>;
}

export function useSupabase(): AppSupabaseClient {
  const client = useContext(SupabaseContext);
  if (!client) throw new Error('useSupabase must be used inside <SupabaseProvider>');
  return client;
}
