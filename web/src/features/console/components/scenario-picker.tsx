import { formatUtc } from '@core/format.ts';
import { shortHash } from '@core/run-constants.ts';
import type { Scenario } from '@core/scenario.ts';
import {
  groupByName,
  type ScenarioVersion,
  STALE_AFTER_DAYS,
  staleness,
} from '@data/get-scenario-versions.ts';
import { useEffect, useEffectEvent, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useScenarioVersions } from '../../../data/scenarios.ts';
import { downloadScenario } from '../../../lib/download-scenario.ts';

const AD_HOC = 'ad-hoc';

interface Props {
  /** The scenario the current settings describe, or null when they are not a valid one. */
  scenario: Scenario | null;
  /** Its version hash, once computed. */
  hash: string | undefined;
  disabled: boolean;
  onPick(scenario: Scenario): void;
}

const lastRun = (version: ScenarioVersion) =>
  version.last_run_at ? `last run ${formatUtc(version.last_run_at)}` : 'never run';
const staleMark = (group: ScenarioVersion[]) =>
  staleness(group).stale ? ` · no run in ${STALE_AFTER_DAYS} days` : '';

/**
 * Pick a stored scenario version to fill the settings, or edit them ad hoc:
 * any edit makes a new version, shown by its hash before the run starts.
 */
export function ScenarioPicker({ scenario, hash, disabled, onPick }: Props) {
  const versions = useScenarioVersions();
  // "Run again" links open the console with ?scenario=<hash>: pick that version once it is loaded.
  const [params, setParams] = useSearchParams();
  const requested = params.get('scenario');
  const handled = useRef<string | null>(null);
  // The parent passes a new onPick on every render: an effect depending on it would pick again
  // after each pick, faster than the link can be removed from the URL.
  const pickRequested = useEffectEvent((content: Scenario) => onPick(content));
  useEffect(() => {
    if (!requested || disabled || handled.current === requested) return;
    const version = versions.data?.find((v) => v.scenario_hash === requested);
    if (!version) return;
    handled.current = requested;
    pickRequested(version.content);
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('scenario');
        return next;
      },
      { replace: true },
    );
  }, [versions.data, requested, disabled, setParams]);
  const stored = versions.data?.find((version) => version.scenario_hash === hash);
  const groups = groupByName(versions.data ?? []);

  return (
    <div className="field-row scenario-picker">
      <label className="grow">
        Scenario
        <select
          value={stored ? stored.scenario_hash : AD_HOC}
          disabled={disabled}
          onChange={(event) => {
            const picked = versions.data?.find((v) => v.scenario_hash === event.target.value);
            if (picked) onPick(picked.content);
          }}
        >
          <option value={AD_HOC}>Edited settings (ad hoc)</option>
          {[...groups].map(([name, group]) => (
            <optgroup key={name} label={`${name}${staleMark(group)}`}>
              {group.map((version) => (
                <option key={version.scenario_hash} value={version.scenario_hash}>
                  {`${name} · ${shortHash(version.scenario_hash)} · ${lastRun(version)}`}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
      <p className="scenario-version" aria-live="polite">
        {hash ? (
          <>
            Version <code title={hash}>{shortHash(hash)}</code>
            {stored ? ' (stored)' : ' (new: stored with its first run)'}
          </>
        ) : (
          'Version: fix the settings to get one'
        )}
      </p>
      <button
        type="button"
        className="secondary"
        disabled={!scenario}
        onClick={() => scenario && void downloadScenario(scenario)}
      >
        Save as scenario
      </button>
      {versions.isError && (
        <p className="notice error" role="alert">
          Could not load the stored scenarios: {versions.error.message}
        </p>
      )}
    </div>
  );
}
