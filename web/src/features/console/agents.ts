import type { Scenario } from '@core/scenario.ts';
import { createAgents } from '@engine/agents.ts';
import type { BenchmarkAgents, BenchmarkConfig } from '@engine/benchmarking-service.ts';
import type { FunctionsEndpoint } from '@engine/functions-client.ts';
import { newOfflineSeed, type OfflinePacing } from '@engine/offline-agents.ts';
import { benchmarkConfigFor } from '@engine/scenario-config.ts';
import type { ConsoleSettings } from './settings.ts';

export interface ConsoleRun {
  config: BenchmarkConfig;
  agents: BenchmarkAgents;
}

/** The run these settings start: its config and its agents (offline runs get a fresh seed). */
export function prepareRun(
  settings: ConsoleSettings,
  scenario: Scenario,
  endpoint: FunctionsEndpoint,
  audioElement?: HTMLAudioElement,
  pacing: OfflinePacing = { seed: newOfflineSeed() },
): ConsoleRun {
  if (settings.agents === 'offline') {
    return {
      config: benchmarkConfigFor(scenario, { agents: 'offline', pacing }),
      agents: createAgents(scenario, { kind: 'offline', pacing }),
    };
  }
  return {
    config: benchmarkConfigFor(scenario, { agents: 'openai' }),
    agents: createAgents(scenario, {
      kind: 'openai',
      endpoint,
      transport: settings.transport,
      audioElement,
    }),
  };
}
