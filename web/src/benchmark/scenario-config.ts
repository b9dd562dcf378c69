import type { Scenario } from '../../../supabase/functions/_shared/scenario.ts';
import type { BenchmarkConfig } from './benchmarking-service.ts';

/** Which agents play the scenario: OpenAI's models, or the offline demo agents. */
export type AgentChoice = { agents: 'openai' } | { agents: 'offline'; offlineQuestions: number };

/**
 * What BenchmarkingService needs to run `scenario`; the console and the
 * headless runner both go through here, so their runs are alike.
 */
export function benchmarkConfigFor(scenario: Scenario, choice: AgentChoice): BenchmarkConfig {
  const offline = choice.agents === 'offline';
  return {
    interviewerPrompt: scenario.interviewer.prompt,
    simulatedUserPrompt: scenario.simulated_user.persona,
    model: offline ? 'offline-interviewer' : scenario.interviewer.model,
    voice: scenario.interviewer.voice,
    maxTurns: scenario.termination.max_turns,
    terminationCue: scenario.termination.cue,
    turnTimeoutMs: scenario.termination.turn_timeout_seconds * 1000,
    labels: offline
      ? { agents: 'offline', offline_questions: choice.offlineQuestions }
      : { agents: 'openai', simulated_user_model: scenario.simulated_user.model },
    scenario,
  };
}
