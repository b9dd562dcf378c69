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

/** Bounds of the voice-mode settings (`simulated_user.speech`). */
export const SPEECH_LIMITS = {
  wordsPerMinute: { min: 60, max: 300 },
  /** Signal-to-noise ratio of the speech over the added noise, in dB. */
  noiseLevelDb: { min: -10, max: 60 },
  interruptAfterMs: { min: 0, max: 60_000 },
  prefixPaddingMs: { min: 0, max: 2000 },
  silenceDurationMs: { min: 100, max: 5000 },
  idleTimeoutMs: { min: 5000, max: 30_000 },
} as const;

/** Noise that can be generated from a seed alone, offline as with OpenAI (no recorded samples). */
export const NOISE_KINDS = ['white', 'pink'] as const;

const limitedInt = (key: keyof typeof SPEECH_LIMITS) =>
  z.int().min(SPEECH_LIMITS[key].min).max(SPEECH_LIMITS[key].max);

const interruptResponse = z
  .boolean()
  .optional()
  .describe(
    "Whether the interviewer's response is cancelled when the user starts speaking (the API's default: true).",
  );

/**
 * The interviewer session's `audio.input.turn_detection`, named as the GA
 * Realtime API names it. Fields left out are the API's defaults; they are not
 * filled in here, so a scenario's version does not move when OpenAI changes one.
 */
const turnDetectionSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('server_vad'),
      threshold: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe('Activation threshold of the voice-activity detector, 0–1 (API default 0.5).'),
      prefix_padding_ms: limitedInt('prefixPaddingMs')
        .optional()
        .describe('Audio kept before detected speech, ms (API default 300).'),
      silence_duration_ms: limitedInt('silenceDurationMs')
        .optional()
        .describe("Silence that ends the user's turn, ms (API default 500)."),
      idle_timeout_ms: limitedInt('idleTimeoutMs')
        .optional()
        .describe('The interviewer speaks up after this long without user speech, ms.'),
      interrupt_response: interruptResponse,
    }),
    z.strictObject({
      type: z.literal('semantic_vad'),
      eagerness: z
        .enum(['low', 'medium', 'high', 'auto'])
        .optional()
        .describe('How soon the model decides the user finished (API default auto = medium).'),
      interrupt_response: interruptResponse,
    }),
  ])
  .describe(
    "How the interviewer decides the user finished speaking (the session's audio.input.turn_detection).",
  );

/**
 * Voice mode: the simulated user's replies are spoken and streamed into the
 * interviewer's session as input audio. Without it the replies are sent as text.
 */
const speechSchema = z.strictObject({
  mode: z.literal('voice').describe('The simulated user speaks its replies.'),
  voice: z.enum(VOICES).describe("The simulated user's voice."),
  words_per_minute: limitedInt('wordsPerMinute')
    .optional()
    .describe("Speaking rate (default: the speech model's own)."),
  noise: z
    .strictObject({
      kind: z
        .enum(NOISE_KINDS)
        .describe('Generated noise, mixed into the audio the interviewer receives.'),
      level_db: z
        .number()
        .min(SPEECH_LIMITS.noiseLevelDb.min)
        .max(SPEECH_LIMITS.noiseLevelDb.max)
        .describe('Signal-to-noise ratio in dB: speech power over noise power (lower is noisier).'),
    })
    .optional()
    .describe('Background noise under the whole input stream, speech and pauses alike.'),
  interrupt_after_ms: limitedInt('interruptAfterMs')
    .optional()
    .describe(
      "The user barges in this long after the interviewer's audio starts (default: waits for the interviewer to finish).",
    ),
  turn_detection: turnDetectionSchema.optional(),
});

/**
 * A benchmark scenario: what the interviewer and the simulated user are told,
 * with which models, and when a run ends. Objects are strict so that a
 * misspelt key is an error rather than a silently different version.
 */
export const scenarioSchema = z
  .strictObject({
    name: required(200).describe('Shown in the console and on /results; versions share it.'),
    description: text(2000).default('').describe('What this scenario tests.'),
    interviewer: z.strictObject({
      prompt: required(MAX_PROMPT_CHARS).describe('Instructions of the Realtime interviewer.'),
      model: required(100).default(SCENARIO_DEFAULTS.interviewerModel),
      voice: z.enum(VOICES).default(SCENARIO_DEFAULTS.voice),
    }),
    simulated_user: z.strictObject({
      persona: required(MAX_PROMPT_CHARS).describe(
        'Who the simulated user is and how they answer.',
      ),
      model: required(100).default(SCENARIO_DEFAULTS.simulatedUserModel),
      // Optional and without a default, so text-mode scenarios keep their version hash.
      speech: speechSchema
        .optional()
        .describe('Voice mode: the replies are spoken into the interviewer session. Absent: text.'),
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
        max_voice_to_voice_ms: z
          .int()
          .min(1)
          .optional()
          .describe(
            "Voice mode: upper bound for the p95 time from the end of the user's speech to the first audio of the answer.",
          ),
        max_wer: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe(
            "Voice mode: upper bound for the run's word error rate of what the interviewer heard (0–1).",
          ),
        max_false_turns: z
          .int()
          .min(0)
          .optional()
          .describe(
            'Voice mode: most user utterances the interviewer may start answering mid-speech.',
          ),
        max_missed_turns: z
          .int()
          .min(0)
          .optional()
          .describe(
            'Voice mode: most user utterances the interviewer may leave unanswered (5 s after the speech ends).',
          ),
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
  })
  .superRefine((scenario, ctx) => {
    if (scenario.simulated_user.speech) return;
    for (const key of VOICE_CHECKS) {
      if (scenario.checks?.[key] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['checks', key],
          message: `${key} measures voice runs: set simulated_user.speech (mode: voice) or remove it`,
        });
      }
    }
  });

/** The checks only a voice run can be measured against. */
const VOICE_CHECKS = [
  'max_voice_to_voice_ms',
  'max_wer',
  'max_false_turns',
  'max_missed_turns',
] as const;

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
