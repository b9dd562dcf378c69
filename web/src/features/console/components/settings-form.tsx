import { formatLatency } from '@core/format.ts';
import { SCENARIO_DEFAULTS, SCENARIO_LIMITS } from '@core/run-constants.ts';
import type { ScenarioInput } from '@core/scenario.ts';
import type { ChangeEvent } from 'react';
import { AGENTS, type ConsoleSettings, TRANSPORTS, VOICES } from '../settings.ts';

interface Props {
  settings: ConsoleSettings;
  disabled: boolean;
  onChange(settings: ConsoleSettings): void;
}

type Input = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
const text = (event: ChangeEvent<Input>) => event.target.value;
const number = (event: ChangeEvent<Input>) => Number(event.target.value);
/** The option a select chose, typed as one of `options`. */
const chosen = <T extends string>(options: readonly T[], event: ChangeEvent<Input>) =>
  options.find((option) => option === event.target.value);

type Speech = NonNullable<ScenarioInput['simulated_user']['speech']>;

/** A voice-mode scenario's speech in words: how the simulated user speaks and hears. */
function describeSpeech(speech: Speech): string {
  const parts = [
    `voice ${speech.voice}`,
    speech.words_per_minute && `${speech.words_per_minute} words a minute`,
    speech.noise && `${speech.noise.kind} noise at ${speech.noise.level_db} dB SNR`,
    speech.interrupt_after_ms !== undefined &&
      `barges in ${formatLatency(speech.interrupt_after_ms)} into each interviewer turn`,
    `turn detection ${speech.turn_detection?.type ?? 'server_vad'}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

export function SettingsForm({ settings, disabled, onChange }: Props) {
  const { scenario } = settings;
  const { interviewer, simulated_user, termination, offline } = scenario;
  const edit = (changes: Partial<ScenarioInput>) =>
    onChange({ ...settings, scenario: { ...scenario, ...changes } });
  const editTermination = (changes: NonNullable<ScenarioInput['termination']>) =>
    edit({ termination: { ...termination, ...changes } });
  const numberField = (
    limits: keyof typeof SCENARIO_LIMITS,
    label: string,
    value: number,
    onValue: (value: number) => void,
  ) => (
    <label>
      {label}
      <input
        type="number"
        {...SCENARIO_LIMITS[limits]}
        value={value}
        onChange={(event) => onValue(number(event))}
      />
    </label>
  );
  const openai = settings.agents === 'openai';

  return (
    <fieldset className="settings" disabled={disabled}>
      <legend>Run settings</legend>
      <div className="field-row">
        <label className="grow">
          Scenario name
          <input value={scenario.name} onChange={(event) => edit({ name: text(event) })} />
        </label>
      </div>
      <div className="field-row">
        <label>
          Agents
          <select
            value={settings.agents}
            onChange={(event) => {
              const agents = chosen(AGENTS, event);
              if (agents) onChange({ ...settings, agents });
            }}
          >
            <option value="offline">Offline demo agents (no key, no network)</option>
            <option value="openai">OpenAI (Realtime interviewer + simulated user)</option>
          </select>
        </label>
        {openai ? (
          <>
            <label>
              Transport
              <select
                value={settings.transport}
                onChange={(event) => {
                  const transport = chosen(TRANSPORTS, event);
                  if (transport) onChange({ ...settings, transport });
                }}
              >
                <option value="webrtc">WebRTC</option>
                <option value="websocket">WebSocket</option>
              </select>
            </label>
            <label>
              Interviewer model
              <input
                value={interviewer.model ?? SCENARIO_DEFAULTS.interviewerModel}
                onChange={(event) => edit({ interviewer: { ...interviewer, model: text(event) } })}
              />
            </label>
            <label>
              Voice
              <select
                value={interviewer.voice ?? SCENARIO_DEFAULTS.voice}
                onChange={(event) => {
                  const voice = chosen(VOICES, event);
                  if (voice) edit({ interviewer: { ...interviewer, voice } });
                }}
              >
                {VOICES.map((voice) => (
                  <option key={voice}>{voice}</option>
                ))}
              </select>
            </label>
            <label>
              Simulated user model
              <input
                value={simulated_user.model ?? SCENARIO_DEFAULTS.simulatedUserModel}
                onChange={(event) =>
                  edit({ simulated_user: { ...simulated_user, model: text(event) } })
                }
              />
            </label>
          </>
        ) : (
          numberField(
            'offlineQuestions',
            'Questions before the cue',
            offline?.questions ?? SCENARIO_DEFAULTS.offlineQuestions,
            (questions) => edit({ offline: { ...offline, questions } }),
          )
        )}
      </div>
      <div className="field-row">
        {numberField(
          'maxTurns',
          'Max turns',
          termination?.max_turns ?? SCENARIO_DEFAULTS.maxTurns,
          (max_turns) => editTermination({ max_turns }),
        )}
        <label className="grow">
          Termination cue
          <input
            value={termination?.cue ?? SCENARIO_DEFAULTS.terminationCue}
            onChange={(event) => editTermination({ cue: text(event) })}
          />
        </label>
        {numberField(
          'turnTimeoutSeconds',
          'Turn timeout (s)',
          termination?.turn_timeout_seconds ?? SCENARIO_DEFAULTS.turnTimeoutSeconds,
          (turn_timeout_seconds) => editTermination({ turn_timeout_seconds }),
        )}
      </div>
      <div className="prompts">
        <label>
          Interviewer prompt
          <textarea
            rows={6}
            value={interviewer.prompt}
            onChange={(event) => edit({ interviewer: { ...interviewer, prompt: text(event) } })}
          />
        </label>
        <label>
          Simulated user prompt
          <textarea
            rows={6}
            value={simulated_user.persona}
            onChange={(event) =>
              edit({ simulated_user: { ...simulated_user, persona: text(event) } })
            }
          />
        </label>
      </div>
      {simulated_user.speech && (
        <p className="muted">
          Voice mode: the simulated user speaks its replies ({describeSpeech(simulated_user.speech)}
          ), as its scenario file says.
        </p>
      )}
    </fieldset>
  );
}
