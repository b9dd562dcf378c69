import { SCENARIO_LIMITS } from '@core/run-constants.ts';
import type { ChangeEvent } from 'react';
import { type ConsoleSettings, type NumberSetting, VOICES } from '../settings.ts';

interface Props {
  settings: ConsoleSettings;
  disabled: boolean;
  onChange(settings: ConsoleSettings): void;
}

export function SettingsForm({ settings, disabled, onChange }: Props) {
  const set =
    <K extends keyof ConsoleSettings>(key: K) =>
    (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
      const { value } = event.target;
      const next = event.target.type === 'number' ? Number(value) : value;
      onChange({ ...settings, [key]: next });
    };
  const numberField = (key: NumberSetting, label: string) => (
    <label>
      {label}
      <input type="number" {...SCENARIO_LIMITS[key]} value={settings[key]} onChange={set(key)} />
    </label>
  );
  const openai = settings.agents === 'openai';

  return (
    <fieldset className="settings" disabled={disabled}>
      <legend>Run settings</legend>
      <div className="field-row">
        <label className="grow">
          Scenario name
          <input value={settings.scenarioName} onChange={set('scenarioName')} />
        </label>
      </div>
      <div className="field-row">
        <label>
          Agents
          <select value={settings.agents} onChange={set('agents')}>
            <option value="offline">Offline demo agents (no key, no network)</option>
            <option value="openai">OpenAI (Realtime interviewer + text simulated user)</option>
          </select>
        </label>
        {openai ? (
          <>
            <label>
              Transport
              <select value={settings.transport} onChange={set('transport')}>
                <option value="webrtc">WebRTC</option>
                <option value="websocket">WebSocket</option>
              </select>
            </label>
            <label>
              Interviewer model
              <input value={settings.interviewerModel} onChange={set('interviewerModel')} />
            </label>
            <label>
              Voice
              <select value={settings.voice} onChange={set('voice')}>
                {VOICES.map((voice) => (
                  <option key={voice}>{voice}</option>
                ))}
              </select>
            </label>
            <label>
              Simulated user model
              <input value={settings.simulatedUserModel} onChange={set('simulatedUserModel')} />
            </label>
          </>
        ) : (
          numberField('offlineQuestions', 'Questions before the cue')
        )}
      </div>
      <div className="field-row">
        {numberField('maxTurns', 'Max turns')}
        <label className="grow">
          Termination cue
          <input value={settings.terminationCue} onChange={set('terminationCue')} />
        </label>
        {numberField('turnTimeoutSeconds', 'Turn timeout (s)')}
      </div>
      <div className="prompts">
        <label>
          Interviewer prompt
          <textarea
            rows={6}
            value={settings.interviewerPrompt}
            onChange={set('interviewerPrompt')}
          />
        </label>
        <label>
          Simulated user prompt
          <textarea
            rows={6}
            value={settings.simulatedUserPrompt}
            onChange={set('simulatedUserPrompt')}
          />
        </label>
      </div>
    </fieldset>
  );
}
