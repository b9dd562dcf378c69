import { SCENARIO_LIMITS } from '@core/run-constants.ts';
import type { z } from 'zod';

/** Set in a custom issue's `params` when its message names the fields in their labels. */
export const SELF_DESCRIBED = 'selfDescribed';

interface Field {
  label: string;
  /** Numeric fields: the bounds to state, and their unit. */
  range?: { min: number; max: number };
  unit?: string;
}

/** The console's fields, by the scenario path they fill. */
const FIELDS: Record<string, Field> = {
  name: { label: 'Scenario name' },
  description: { label: 'Scenario description' },
  tags: { label: 'Tags' },
  'interviewer.prompt': { label: 'Interviewer prompt' },
  'interviewer.model': { label: 'Interviewer model' },
  'interviewer.voice': { label: 'Voice' },
  'simulated_user.persona': { label: 'Simulated user prompt' },
  'simulated_user.model': { label: 'Simulated user model' },
  'simulated_user.speech': { label: 'Voice mode' },
  'simulated_user.speech.interrupt_after_ms': { label: 'Voice mode: interrupt after' },
  'termination.cue': { label: 'Termination cue' },
  'termination.max_turns': { label: 'Max turns', range: SCENARIO_LIMITS.maxTurns },
  'termination.turn_timeout_seconds': {
    label: 'Turn timeout',
    range: SCENARIO_LIMITS.turnTimeoutSeconds,
    unit: 'seconds',
  },
  'offline.questions': {
    label: 'Questions before the cue',
    range: SCENARIO_LIMITS.offlineQuestions,
  },
};

/** One issue in the field's own terms: "Max turns must be between 1 and 1000". */
export function describeSettingsIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  const field = FIELDS[path];
  const label = field?.label ?? (path || 'Settings');
  // A rule across fields says it all itself, in the fields' labels.
  if (issue.code === 'custom' && issue.params?.[SELF_DESCRIBED]) return issue.message;
  if (field?.range) {
    const { min, max } = field.range;
    const unit = field.unit ? ` ${field.unit}` : '';
    const whole = issue.code === 'too_small' || issue.code === 'too_big' ? '' : 'a whole number ';
    return `${label} must be ${whole}between ${min} and ${max}${unit}`;
  }
  if (issue.code === 'too_small' && issue.origin === 'string' && issue.minimum === 1) {
    return `${label} must not be empty`;
  }
  if (issue.code === 'too_big' && issue.origin === 'string') {
    return `${label} must be at most ${issue.maximum} characters`;
  }
  if (issue.code === 'invalid_value') return `${label} must be one of ${issue.values.join(', ')}`;
  return `${label}: ${issue.message}`;
}

/** Every issue, each once (a field can fail more than one rule), joined into a sentence list. */
export function describeSettingsIssues(issues: readonly z.core.$ZodIssue[]): string {
  return [...new Set(issues.map(describeSettingsIssue))].join('; ');
}
