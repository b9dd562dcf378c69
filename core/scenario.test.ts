import { describe, expect, it } from 'vitest';
import { type Scenario, scenarioHash, scenarioSchema } from './scenario.ts';
import { parseScenarioYaml, scenarioToYaml } from './scenario-yaml.ts';

const FILE = `# A support intake scenario
name: Support intake
description: Collect the details of a broken order.
interviewer:
  prompt: |
    You are a support agent.
    Ask for the order number first.
  model: gpt-realtime
  voice: coral
simulated_user:
  persona: You are Lee, annoyed that the parcel arrived damaged.
termination:
  max_turns: 12
tags: [support, intake]
`;

/** Same content: keys reordered, comments and blank lines changed, flow vs block style, `|-` vs `|`. */
const REFORMATTED = `tags:
  - support
  - intake


termination: { max_turns: 12 }   # shorter runs
simulated_user:
    persona: "You are Lee, annoyed that the parcel arrived damaged."
interviewer:
    voice: coral
    model: gpt-realtime
    prompt: |-
        You are a support agent.
        Ask for the order number first.
description: Collect the details of a broken order.
name: Support intake
`;

async function hashOf(source: string): Promise<string> {
  const parsed = await parseScenarioYaml(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.hash;
}

describe('scenario versions', () => {
  it('get one hash whatever the key order, comments, whitespace or scalar style', async () => {
    const hash = await hashOf(FILE);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await hashOf(REFORMATTED)).toBe(hash);
    expect(await hashOf(JSON.stringify(scenarioSchema.parse((await parse(FILE)).scenario)))).toBe(
      hash,
    );
  });

  it('get one hash whether a default is written out or left out', async () => {
    const explicit = FILE.replace(
      'termination:\n  max_turns: 12',
      'termination:\n  max_turns: 12\n  cue: that concludes our interview\n  turn_timeout_seconds: 60',
    );
    expect(explicit).not.toBe(FILE);
    expect(await hashOf(explicit)).toBe(await hashOf(FILE));
  });

  it.each([
    ['the interviewer prompt', FILE.replace('order number first', 'order number last')],
    ['the persona', FILE.replace('annoyed', 'delighted')],
    ['a model', FILE.replace('model: gpt-realtime', 'model: gpt-realtime-mini')],
    ['the voice', FILE.replace('voice: coral', 'voice: sage')],
    ['the turn limit', FILE.replace('max_turns: 12', 'max_turns: 13')],
    ['a tag', FILE.replace('intake]', 'triage]')],
    ['a line break inside a prompt', FILE.replace('agent.\n    Ask', 'agent. Ask')],
  ])('get a new hash when %s changes', async (_change, changed) => {
    expect(changed).not.toBe(FILE);
    expect(await hashOf(changed)).not.toBe(await hashOf(FILE));
  });

  it('keep the hash they had before scenarios could carry an offline script', async () => {
    // Pinned: stored versions and their runs must not move when the schema grows.
    expect(await hashOf(FILE)).toBe(
      '5c62f17fdf29000f103281eb388c5660bfff6cec23bd56a9bf077a464e4e14a6',
    );
    expect(await hashOf(`${FILE}offline: { questions: 3 }\n`)).toBe(await hashOf(FILE));
    expect(await hashOf(`${FILE}offline: {}\n`)).toBe(await hashOf(FILE));
  });

  it('count the offline questions as part of the version, however they are written', async () => {
    const three = await hashOf(FILE);
    const fifty = await hashOf(`${FILE}offline: { questions: 50 }\n`);
    expect(fifty).not.toBe(three);
    const script = `${FILE}offline:\n  interviewer: [What is your order number?, What broke?]\n`;
    expect(await hashOf(script)).toBe(
      await hashOf(script.replace('offline:\n', 'offline:\n  questions: 2\n')),
    );
    expect(await hashOf(script)).not.toBe(
      await hashOf(script.replace('offline:\n', 'offline:\n  questions: 3\n')),
    );
    expect(await hashOf(script)).not.toBe(await hashOf(script.replace('What broke', 'What is')));
    const { scenario } = await parse(script);
    expect(scenario.offline).toEqual({
      questions: 2,
      interviewer: ['What is your order number?', 'What broke?'],
    });
  });

  it.each([
    ['a plain scenario', FILE],
    [
      'one with an offline script',
      `${FILE}offline:\n  interviewer: [What broke?]\n  closing: Bye now.\n  simulated_user: [The lamp.]\n`,
    ],
  ])('survive a round trip through the YAML the console downloads: %s', async (_kind, file) => {
    const { scenario, hash } = await parse(file);
    const written = scenarioToYaml(scenario);
    expect(written).toMatch(/^# yaml-language-server: \$schema=/);
    expect(await hashOf(written)).toBe(hash);
    expect(await scenarioHash(scenario)).toBe(hash);
  });
});

const VOICE = FILE.replace(
  'persona: You are Lee, annoyed that the parcel arrived damaged.\n',
  `persona: You are Lee, annoyed that the parcel arrived damaged.
  speech:
    mode: voice
    voice: ash
    words_per_minute: 170
    noise: { kind: pink, level_db: 12.5 }
    interrupt_after_ms: 1500
    turn_detection: { type: server_vad, silence_duration_ms: 700, threshold: 0.6 }
`,
);

describe('voice mode (simulated_user.speech)', () => {
  it('is read from YAML with every setting as written and no defaults added', async () => {
    expect(VOICE).not.toBe(FILE);
    const { scenario } = await parse(VOICE);
    expect(scenario.simulated_user.speech).toEqual({
      mode: 'voice',
      voice: 'ash',
      words_per_minute: 170,
      noise: { kind: 'pink', level_db: 12.5 },
      interrupt_after_ms: 1500,
      turn_detection: { type: 'server_vad', silence_duration_ms: 700, threshold: 0.6 },
    });
    const minimal = await parse(
      FILE.replace('damaged.\n', 'damaged.\n  speech: { mode: voice, voice: sage }\n'),
    );
    expect(minimal.scenario.simulated_user.speech).toEqual({ mode: 'voice', voice: 'sage' });
  });

  it('leaves text scenarios without it, so their version does not move', async () => {
    const { scenario, hash } = await parse(FILE);
    expect('speech' in scenario.simulated_user).toBe(false);
    expect(hash).toBe('5c62f17fdf29000f103281eb388c5660bfff6cec23bd56a9bf077a464e4e14a6');
  });

  it.each([
    ['the voice', VOICE.replace('voice: ash', 'voice: echo')],
    ['the speaking rate', VOICE.replace('170', '171')],
    ['the noise level', VOICE.replace('12.5', '12')],
    ['the noise kind', VOICE.replace('kind: pink', 'kind: white')],
    ['the barge-in delay', VOICE.replace('1500', '1400')],
    ['the turn detection', VOICE.replace('silence_duration_ms: 700', 'silence_duration_ms: 600')],
  ])('is part of the version: %s', async (_change, changed) => {
    expect(changed).not.toBe(VOICE);
    expect(await hashOf(changed)).not.toBe(await hashOf(VOICE));
    expect(await hashOf(VOICE)).not.toBe(await hashOf(FILE));
  });

  it('takes semantic VAD with its own fields only', async () => {
    const semantic = VOICE.replace(
      '{ type: server_vad, silence_duration_ms: 700, threshold: 0.6 }',
      '{ type: semantic_vad, eagerness: low, interrupt_response: false }',
    );
    expect((await parse(semantic)).scenario.simulated_user.speech?.turn_detection).toEqual({
      type: 'semantic_vad',
      eagerness: 'low',
      interrupt_response: false,
    });
    const mixed = await parseScenarioYaml(
      VOICE.replace('{ type: server_vad,', '{ type: semantic_vad,'),
    );
    expect(mixed.ok).toBe(false);
    if (mixed.ok) return;
    expect(mixed.message).toMatch(/simulated_user\.speech\.turn_detection/);
  });

  it.each([
    [
      'a voice the API does not have',
      VOICE.replace('voice: ash', 'voice: robot'),
      'simulated_user.speech.voice',
    ],
    [
      'a speaking rate out of bounds',
      VOICE.replace('170', '900'),
      'simulated_user.speech.words_per_minute',
    ],
    ['a fractional rate', VOICE.replace('170', '170.5'), 'simulated_user.speech.words_per_minute'],
    [
      'noise of a kind that is not generated',
      VOICE.replace('kind: pink', 'kind: babble'),
      'simulated_user.speech.noise.kind',
    ],
    [
      'a noise level out of bounds',
      VOICE.replace('12.5', '80'),
      'simulated_user.speech.noise.level_db',
    ],
    [
      'a negative barge-in delay',
      VOICE.replace('1500', '-1'),
      'simulated_user.speech.interrupt_after_ms',
    ],
    ['an unknown mode', VOICE.replace('mode: voice', 'mode: text'), 'simulated_user.speech.mode'],
    ['a misspelt key', VOICE.replace('words_per_minute', 'wpm'), 'simulated_user.speech'],
    [
      'a VAD threshold above 1',
      VOICE.replace('threshold: 0.6', 'threshold: 2'),
      'simulated_user.speech.turn_detection.threshold',
    ],
  ])('refuses %s, naming the field', async (_what, source, path) => {
    const parsed = await parseScenarioYaml(source);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((issue) => issue.path)).toContain(path);
    expect(parsed.issues[0]?.line).toEqual(expect.any(Number));
  });

  it('takes the voice checks only in voice mode, naming the check otherwise', async () => {
    const checks =
      'checks:\n  max_voice_to_voice_ms: 1200\n  max_wer: 0.1\n  max_false_turns: 0\n  max_missed_turns: 1\n';
    const voice = await parse(`${VOICE}${checks}`);
    expect(voice.scenario.checks).toEqual({
      max_voice_to_voice_ms: 1200,
      max_wer: 0.1,
      max_false_turns: 0,
      max_missed_turns: 1,
    });
    const text = await parseScenarioYaml(`${FILE}${checks}`);
    expect(text.ok).toBe(false);
    if (text.ok) return;
    expect(text.issues.map((issue) => issue.path)).toEqual([
      'checks.max_voice_to_voice_ms',
      'checks.max_wer',
      'checks.max_false_turns',
      'checks.max_missed_turns',
    ]);
    expect(text.message).toMatch(/set simulated_user\.speech/);
    const overOne = await parseScenarioYaml(`${VOICE}checks: { max_wer: 1.5 }\n`);
    expect(overOne.ok || overOne.issues[0]?.path).toBe('checks.max_wer');
  });

  it('survives a round trip through the YAML the console downloads', async () => {
    const { scenario, hash } = await parse(VOICE);
    expect(await hashOf(scenarioToYaml(scenario))).toBe(hash);
  });
});

describe('scenario files with mistakes', () => {
  it('report YAML syntax errors with line and column', async () => {
    const parsed = await parseScenarioYaml('name: Support intake\ninterviewer:\n  prompt: a: b\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe('invalid_yaml');
    expect(parsed.issues[0]).toMatchObject({ line: 3, column: expect.any(Number) });
    expect(parsed.message).toMatch(/^line 3, column \d+: /);
  });

  it('report duplicate keys as syntax errors', async () => {
    const parsed = await parseScenarioYaml(`${FILE}name: Another name\n`);
    expect(parsed.ok || parsed.code).toBe('invalid_yaml');
  });

  it('name the field and its position for schema errors', async () => {
    const parsed = await parseScenarioYaml(
      FILE.replace('voice: coral', 'voice: robot').replace('max_turns: 12', 'max_turns: 0'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe('invalid_scenario');
    expect(parsed.issues).toEqual([
      expect.objectContaining({ path: 'interviewer.voice', line: 9, column: 10 }),
      expect.objectContaining({ path: 'termination.max_turns', line: 13, column: 14 }),
    ]);
  });

  it('point at a misspelt key instead of ignoring it', async () => {
    const parsed = await parseScenarioYaml(FILE.replace('persona:', 'persona_prompt:'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = parsed.issues.map((issue) => `${issue.path}@${issue.line}`);
    expect(paths).toEqual(['simulated_user.persona@11', 'simulated_user@11']);
    expect(parsed.message).toMatch(/Unrecognized key: "persona_prompt"/);
  });

  it('name the offline field at fault', async () => {
    const parsed = await parseScenarioYaml(
      `${FILE}offline:\n  questions: 51\n  simulated_user: []\n  lines: [Hi]\n`,
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues.map((issue) => issue.path)).toEqual([
      'offline.questions',
      'offline.simulated_user',
      'offline',
    ]);
  });

  it('refuse a file that is not a mapping', async () => {
    for (const source of ['', '- a\n- b\n', 'just text']) {
      const parsed = await parseScenarioYaml(source);
      expect(parsed.ok).toBe(false);
    }
  });
});

async function parse(source: string): Promise<{ scenario: Scenario; hash: string }> {
  const parsed = await parseScenarioYaml(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed;
}
