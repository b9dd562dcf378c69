import {
  checkRegressions,
  DEFAULT_REGRESSION_OPTIONS,
  type MeasuredRun,
  type RegressionCheck,
  runsNeeded,
} from '@core/regressions.ts';
import { passedAllChecks } from '@core/statistics.ts';
import type { AppSupabaseClient } from './client.ts';

export interface ModelRegressions {
  interviewer_model: string | null;
  simulated_user_model: string | null;
  check: RegressionCheck;
}

export interface ScenarioRegressions {
  /** Whether any version of the scenario is stored. */
  found: boolean;
  /** One per model pair that has runs. */
  groups: ModelRegressions[];
}

/** Newest runs looked at per scenario: enough for a recent and a baseline window per model pair. */
const RECENT_RUNS = 400;

/**
 * For each interviewer × simulated-user model pair of a scenario (all its
 * versions: a prompt edit that made things worse is what this is for), the
 * newest runs against the ones before them.
 */
export async function getRegressions(
  client: AppSupabaseClient,
  scenarioName: string,
  options = DEFAULT_REGRESSION_OPTIONS,
): Promise<ScenarioRegressions> {
  // run_metrics carries each run's scenario and time: no need to read the wide runs table.
  const [metrics, versions] = await Promise.all([
    client
      .from('run_metrics')
      .select(
        'created_at, interviewer_model, simulated_user_model, first_audio_p50_ms, voice_to_voice_p50_ms, cost_usd, checks_passed, checks_total, scenario:benchmark_scenarios!inner(name)',
      )
      .eq('scenario.name', scenarioName)
      .order('created_at', { ascending: false })
      .limit(RECENT_RUNS),
    client.from('benchmark_scenarios').select('scenario_hash').eq('name', scenarioName).limit(1),
  ]);
  if (metrics.error) throw new Error(metrics.error.message);
  if (versions.error) throw new Error(versions.error.message);

  const groups = new Map<string, { key: [string | null, string | null]; runs: MeasuredRun[] }>();
  for (const row of metrics.data) {
    const id = `${row.interviewer_model}\u0000${row.simulated_user_model}`;
    const group = groups.get(id) ?? {
      key: [row.interviewer_model, row.simulated_user_model],
      runs: [],
    };
    group.runs.push({
      created_at: row.created_at,
      passed: passedAllChecks(row),
      first_audio_p50_ms: row.first_audio_p50_ms,
      voice_to_voice_p50_ms: row.voice_to_voice_p50_ms,
      cost_usd: row.cost_usd === null ? null : Number(row.cost_usd),
    });
    groups.set(id, group);
  }
  return {
    found: versions.data.length > 0,
    groups: [...groups.values()].map(({ key: [interviewer, user], runs }) => ({
      interviewer_model: interviewer,
      simulated_user_model: user,
      check: checkRegressions(runs, options),
    })),
  };
}

/**
 * What to say of a scenario as a whole when there is no model pair to speak
 * of: it does not exist, or it has no measured runs; null otherwise.
 */
export function scenarioVerdict(
  result: ScenarioRegressions,
  options = DEFAULT_REGRESSION_OPTIONS,
): string | null {
  if (!result.found) return 'no such scenario';
  if (result.groups.length === 0) {
    return `not enough runs to compare (0 of ${runsNeeded(options)} needed)`;
  }
  return null;
}
