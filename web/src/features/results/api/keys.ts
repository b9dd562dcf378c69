import type { RunFilters } from '../filters.ts';

export const runKeys = {
  all: ['runs'] as const,
  lists: () => [...runKeys.all, 'list'] as const,
  list: (filters: RunFilters, pageSize: number) =>
    [...runKeys.lists(), { ...filters, pageSize }] as const,
  details: () => [...runKeys.all, 'detail'] as const,
  detail: (runId: string) => [...runKeys.details(), runId] as const,
  events: (runId: string) => [...runKeys.detail(runId), 'events'] as const,
};
