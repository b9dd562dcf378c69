import { formatUtc } from '@core/format.ts';
import { shortHash } from '@core/run-constants.ts';
import type { ScenarioVersion } from '@data/get-scenario-versions.ts';
import { useState } from 'react';
import { diffScenarios } from '../lib/scenario-diff.ts';

const MARK = { same: ' ', added: '+', removed: '-' } as const;

interface Props {
  current: Pick<ScenarioVersion, 'scenario_hash' | 'content'>;
  /** Other versions of the same scenario, newest first. */
  others: readonly ScenarioVersion[];
}

/** Compares a run's scenario version with another version of the same scenario. */
export default function ScenarioDiffView({ current, others }: Props) {
  const [otherHash, setOtherHash] = useState(others[0]?.scenario_hash ?? '');
  const other = others.find((version) => version.scenario_hash === otherHash);
  if (others.length === 0) {
    return <p className="muted">This is the only version of this scenario.</p>;
  }
  const lines = other ? diffScenarios(other.content, current.content) : [];
  return (
    <div className="scenario-diff">
      <label>
        Compare with version
        <select value={otherHash} onChange={(event) => setOtherHash(event.target.value)}>
          {others.map((version) => (
            <option key={version.scenario_hash} value={version.scenario_hash}>
              {`${shortHash(version.scenario_hash)} · ${formatUtc(version.created_at)}`}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">
        Lines marked − are only in {shortHash(otherHash)}; + only in this run's version{' '}
        {shortHash(current.scenario_hash)}.
      </p>
      {/* One text line per diff line, so the diff reads and copies as a diff without styles. */}
      <pre className="diff">
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of a fixed diff, never reordered.
          <span key={index} className={`diff-${line.kind}`}>
            {`${MARK[line.kind]} ${line.text}\n`}
          </span>
        ))}
      </pre>
    </div>
  );
}
