import canonicalize from 'canonicalize';
import { z } from 'zod';
import { canonicalHash } from './hash.ts';
import {
  MAX_PROMPT_CHARS,
  SCENARIO_DEFAULTS,
  SCENARIO_LIMITS,
  shortHash,
  VOICES,
} from './run-constants.ts';

export { MAX_PROMPT_CHARS };

/** Largest scenario upload `upsert-scenario` accepts (bytes). */
export const MAX_SCENARIO_BYTES = 256 * 1024;

/** Surrounding whitespace is not part of a prompt: `|` and `|-` blocks give the same version. */
const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => text(max).min(1);
const bounded = (key: keyof typeof SCENARIO_LIMITS, fallback: number) =>
  z.int().min(SCENARIO_LIMITS[key].min).max(SCENARIO_LIMITS[key].max).default(fallback);

const OFFLINE_LINE_CHARS = 2000;
const offlineLines = (what: string) =>
  z
    .array(required(OFFLINE_LINE_CHARS))
    .min(1)
    .max(SCENARIO_LIMITS.offlineQuestions.max)
    .optional()
    .describe(what);

/**
 * The offline script. Canonical form: `questions` is always written out when
 * the block is there, and a block that only restates the default (3 questions
 * of the built-in script) is no block at all, so equal behaviour is one version
 * and scenarios written before this block existed keep their hash.
 */
const offlineSchema = z
  .strictObject({
    questions: z
      .int()
      .min(SCENARIO_LIMITS.offlineQuestions.min)
      .max(SCENARIO_LIMITS.offlineQuestions.max)
      .optional()
      .describe(
        `Questions asked before the closing line (default: as many as \`interviewer\` lines, or ${SCENARIO_DEFAULTS.offlineQuestions}).`,
      ),
    interviewer: offlineLines(
      "The offline interviewer's questions, in order; repeated when `questions` asks for more.",
    ),
    closing: required(OFFLINE_LINE_CHARS)
      .optional()
      .describe(
        "The offline interviewer's last line, said when the questions are done; it should contain the termination cue. Default: a thank-you ending with the cue.",
      ),
    simulated_user: offlineLines(
      "The offline simulated user's replies, in order; repeated when the talk is longer.",
    ),
  })
  .transform((offline) => {
    const questions =
      offline.questions ?? offline.interviewer?.length ?? SCENARIO_DEFAULTS.offlineQuestions;
    const onlyQuestions = Object.keys(offline).every((key) => key === 'questions');
    return onlyQuestions && questions === SCENARIO_DEFAULTS.offlineQuestions
      ? undefined
      : { ...offline, questions };
  });

/**
 * A benchmark scenario: what the interviewer and the simulated user are told,
 * with which models, and when a run ends. Objects are strict so that a
 * misspelt key is an error rather than a silently different version.
 */
export const scenarioSchema = z.strictObject({
  name: required(200).describe('Shown in the console and on /results; versions share it.'),
  description: text(2000).default('').describe('What this scenario tests.'),
  interviewer: z.strictObject({
    prompt: required(MAX_PROMPT_CHARS).describe('Instructions of the Realtime interviewer.'),
    model: required(100).default(SCENARIO_DEFAULTS.interviewerModel),
    voice: z.enum(VOICES).default(SCENARIO_DEFAULTS.voice),
  }),
  simulated_user: z.strictObject({
    persona: required(MAX_PROMPT_CHARS).describe('Who the simulated user is and how they answer.'),
    model: required(100).default(SCENARIO_DEFAULTS.simulatedUserModel),
  }),
  termination: z
    .strictObject({
      cue: required(500)
        .default(SCENARIO_DEFAULTS.terminationCue)
        .describe('A phrase the interviewer says to end the run (case and punctuation ignored).'),
      max_turns: bounded('maxTurns', SCENARIO_DEFAULTS.maxTurns).describe(
        'Most utterances of either side before the run ends with max_turns.',
      ),
      turn_timeout_seconds: bounded('turnTimeoutSeconds', SCENARIO_DEFAULTS.turnTimeoutSeconds),
    })
    .prefault({}),
  tags: z.array(required(50)).max(20).default([]),
  // Optional and without defaults, so a scenario without checks keeps its version hash.
  checks: z
    .strictObject({
      must_mention: z
        .array(required(200))
        .max(50)
        .optional()
        .describe('Phrases the interviewer must say (case and punctuation ignored).'),
      must_not_mention: z
        .array(required(200))
        .max(50)
        .optional()
        .describe('Phrases the interviewer must never say.'),
      ended_by: z
        .enum(['cue', 'max_turns', 'user_ended'])
        .optional()
        .describe('How the run must end: cue = the termination cue or the end_interview tool.'),
      max_turns: z.int().min(1).max(SCENARIO_LIMITS.maxTurns.max).optional(),
      max_time_to_first_audio_ms: z
        .int()
        .min(1)
        .optional()
        .describe('Upper bound for the p95 time from a turn request to its first audio.'),
      max_cost_usd: z.number().positive().optional(),
    })
    .optional()
    .describe('Pass/fail checks every run of this scenario gets, computed when it is saved.'),
  rubric: z
    .strictObject({
      criteria: z
        .array(
          z.strictObject({
            name: required(100),
            description: required(2000).describe('What the judge looks for.'),
            weight: z.number().positive().max(100).default(1),
          }),
        )
        .min(1)
        .max(20),
      scale: z
        .strictObject({ min: z.int().min(0).default(1), max: z.int().max(100).default(5) })
        .prefault({})
        .refine((scale) => scale.max > scale.min, 'scale.max must be above scale.min'),
    })
    .refine(
      (rubric) => new Set(rubric.criteria.map((c) => c.name)).size === rubric.criteria.length,
      'criteria names must be distinct',
    )
    .optional()
    .describe("What the LLM judge scores each run on (judge-run, the runner's --judge)."),
  offline: offlineSchema
    .optional()
    .describe(
      'How the offline demo agents (no key, no network) play this scenario. Part of the version: it changes what offline runs say.',
    ),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** RFC 8785 canonical JSON of the parsed scenario: key order and file formatting do not matter. */
export function canonicalScenario(scenario: Scenario): string {
  const canonical = canonicalize(scenario);
  if (canonical === undefined) throw new Error('scenario cannot be canonicalised');
  return canonical;
}

/** The version id: sha256 (hex) of the canonical content, defaults applied. */
export const scenarioHash = (scenario: Scenario): Promise<string> => canonicalHash(scenario);

/** How many questions the offline interviewer asks before its closing line. */
export const offlineQuestionCount = (scenario: Pick<Scenario, 'offline'>): number =>
  scenario.offline?.questions ?? SCENARIO_DEFAULTS.offlineQuestions;

export { shortHash };
