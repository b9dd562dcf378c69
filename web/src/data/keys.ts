import type { RunFilters } from '@data/run-filters.ts';

export const runKeys = {
  all: ['runs'] as const,
  lists: () => [...runKeys.all, 'list'] as const,
  list: (filters: RunFilters, pageSize: number) =>
    [...runKeys.lists(), { ...filters, pageSize }] as const,
  details: () => [...runKeys.all, 'detail'] as const,
  detail: (runId: string) => [...runKeys.details(), runId] as const,
  events: (runId: string) => [...runKeys.detail(runId), 'events'] as const,
  audio: (runId: string) => [...runKeys.detail(runId), 'audio'] as const,
  audioFile: (runId: string) => [...runKeys.audio(runId), 'file'] as const,
};

export const scenarioKeys = {
  all: ['scenarios'] as const,
  versions: () => [...scenarioKeys.all, 'versions'] as const,
};

/** Apart from scenarioKeys: a saved run changes the stored versions, never a hash. */
export const scenarioHashKeys = {
  of: (canonical: string | null) => ['scenario-hash', canonical] as const,
};

export const comparisonKeys = {
  all: ['comparison'] as const,
  scenario: (scenarioName: string) => [...comparisonKeys.all, scenarioName] as const,
};

export const trendKeys = {
  all: ['trends'] as const,
  daily: (scenarioName: string, from: string) =>
    [...trendKeys.all, 'daily', scenarioName, from] as const,
  regressions: (scenarioName: string) => [...trendKeys.all, 'regressions', scenarioName] as const,
};

export const judgementKeys = {
  all: ['judgements'] as const,
  run: (runId: string) => [...judgementKeys.all, runId] as const,
};

export const agentStatusKeys = {
  all: ['agent-status'] as const,
  endpoint: (functionsUrl: string) => [...agentStatusKeys.all, functionsUrl] as const,
};
