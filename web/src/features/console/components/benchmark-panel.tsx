import { isRunActive } from '@engine/benchmarking-service.ts';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ModelLifecycleNotice } from '../../../components/model-lifecycle-notice.tsx';
import { useAgentStatus } from '../../../data/agent-status.ts';
import { useScenarioHash } from '../../../data/scenarios.ts';
import { downloadJson } from '../../../lib/download.ts';
import { useBenchmarkRuntime, useBenchmarkSnapshot } from '../../../lib/runtime-context.tsx';
import { prepareRun } from '../agents.ts';
import { type ConsoleSettings, checkScenario, defaultSettings } from '../settings.ts';
import { describeSettingsIssues } from '../settings-issues.ts';
import { loadSettings, saveSettings } from '../settings-storage.ts';
import { EventLogPanel } from './event-log-panel.tsx';
import { LiveTranscript } from './live-transcript.tsx';
import { PendingSaves } from './pending-saves.tsx';
import { RunStatus } from './run-status.tsx';
import { ScenarioPicker } from './scenario-picker.tsx';
import { SettingsForm } from './settings-form.tsx';

/** The console: settings, Start Run / End Run / View Results, live transcript, status and event log. */
export function BenchmarkPanel() {
  const { service, endpoint } = useBenchmarkRuntime();
  const snapshot = useBenchmarkSnapshot();
  const agentStatus = useAgentStatus();
  const navigate = useNavigate();
  const audio = useRef<HTMLAudioElement>(null);
  const [settings, setSettings] = useState<ConsoleSettings | null>(() => loadSettings());

  // Without saved settings, default to OpenAI only when the functions have a key.
  useEffect(() => {
    if (settings || agentStatus.isPending) return;
    setSettings(defaultSettings(agentStatus.data?.openaiConfigured ? 'openai' : 'offline'));
  }, [settings, agentStatus.isPending, agentStatus.data]);

  const checked = useMemo(() => (settings ? checkScenario(settings) : null), [settings]);
  const scenario = checked?.success ? checked.data : null;
  const scenarioHash = useScenarioHash(scenario);
  const busy = isRunActive(snapshot.status);
  const openaiMissing =
    settings?.agents === 'openai' && agentStatus.data?.openaiConfigured === false;

  const update = (next: ConsoleSettings) => {
    setSettings(next);
    saveSettings(next);
  };
  const start = () => {
    if (!settings || !scenario) return;
    const { config, agents } = prepareRun(settings, scenario, endpoint, audio.current ?? undefined);
    void service.start(config, agents);
  };

  return (
    <section aria-labelledby="console-heading" className="console">
      <header className="page-header">
        <h1 id="console-heading">Benchmark console</h1>
        <div className="controls">
          <button type="button" onClick={start} disabled={busy || !scenario || openaiMissing}>
            Start Run
          </button>
          <button
            type="button"
            onClick={() => service.end()}
            disabled={!busy || snapshot.status === 'ending'}
          >
            End Run
          </button>
          <button type="button" className="secondary" onClick={() => navigate('/results')}>
            View Results
          </button>
        </div>
      </header>

      {settings?.agents === 'offline' && (
        <p className="notice">
          Offline demo agents: a scripted local interviewer and simulated user, no OpenAI calls.
          Runs are saved like real ones.
        </p>
      )}
      {openaiMissing && (
        <p className="notice error" role="alert">
          No OpenAI key is configured for the edge functions. Set <code>OPENAI_API_KEY</code> in{' '}
          <code>.env</code> and restart <code>npm start</code> (or{' '}
          <code>supabase secrets set OPENAI_API_KEY=…</code> on a hosted project), or choose the
          offline demo agents.
        </p>
      )}

      {settings ? (
        <>
          <ScenarioPicker
            scenario={scenario}
            hash={scenarioHash}
            disabled={busy}
            onPick={(picked) => update({ ...settings, scenario: picked })}
          />
          {checked && !checked.success && (
            <p className="notice error" role="alert">
              Fix the settings to start a run: {describeSettingsIssues(checked.error.issues)}
            </p>
          )}
          {settings.agents === 'openai' && scenario && (
            <ModelLifecycleNotice
              models={[scenario.interviewer.model, scenario.simulated_user.model]}
              reported={agentStatus.data?.shutdownDates}
            />
          )}
          <SettingsForm settings={settings} disabled={busy} onChange={update} />
        </>
      ) : (
        <p role="status">Loading settings…</p>
      )}

      <RunStatus
        snapshot={snapshot}
        onDownload={() => {
          const run = service.getLastRun();
          if (run) downloadJson(`run-${run.run_id}.json`, run);
        }}
      />
      <PendingSaves />

      <div className="live">
        <section aria-label="Conversation" className="conversation">
          <h2>Conversation</h2>
          <LiveTranscript rows={snapshot.transcript} />
        </section>
        <EventLogPanel
          getEntries={() => service.getEventLog()}
          count={snapshot.eventCount}
          startedAt={snapshot.startedAt}
        />
      </div>
      {/* biome-ignore lint/a11y/useMediaCaption: the interviewer's synthetic voice; its transcript is shown above. */}
      <audio ref={audio} autoPlay hidden />
    </section>
  );
}
