import type { Scenario } from '@core/scenario.ts';
import { sessionLimitIssue } from '@core/session-limit.ts';
import type { BenchmarkConfig } from './benchmarking-service.ts';
import { OFFLINE_MODEL, type OfflinePacing, offlinePacingLabels } from './offline-agents.ts';

/** Which agents play the scenario: OpenAI's models, or the offline demo agents. */
export type AgentChoice = { agents: 'openai' } | { agents: 'offline'; pacing: OfflinePacing };

/**
 * What BenchmarkingService needs to run `scenario`; the console and the
 * headless runner both go through here, so their runs are alike. What the
 * offline agents say comes from the scenario (its version); how they are
 * paced is recorded with the run. A scenario whose run could outlast the
 * Realtime session is refused for the OpenAI agents (core/session-limit.ts).
 */
export function benchmarkConfigFor(scenario: Scenario, choice: AgentChoice): BenchmarkConfig {
  const offline = choice.agents === 'offline';
  const tooLong = offline ? null : sessionLimitIssue(scenario.termination);
  if (tooLong) throw new SessionLimitError(tooLong.message);
  return {
    interviewerPrompt: scenario.interviewer.prompt,
    simulatedUserPrompt: scenario.simulated_user.persona,
    model: offline ? OFFLINE_MODEL : scenario.interviewer.model,
    voice: scenario.interviewer.voice,
    maxTurns: scenario.termination.max_turns,
    terminationCue: scenario.termination.cue,
    turnTimeoutMs: scenario.termination.turn_timeout_seconds * 1000,
    labels: offline
      ? {
          agents: 'offline',
          simulated_user_model: OFFLINE_MODEL,
          ...offlinePacingLabels(choice.pacing),
        }
      : { agents: 'openai', simulated_user_model: scenario.simulated_user.model },
    scenario,
  };
}

/** A scenario the OpenAI agents cannot run: its run could outlast the Realtime session. */
export class SessionLimitError extends Error {
  override name = 'SessionLimitError';
}
