import { shortHash } from '@core/run-constants.ts';
import type { Scenario } from '@core/scenario.ts';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router-dom';
import { CopyButton } from '../../../components/copy-button.tsx';
import { useScenarioVersions } from '../../../data/scenarios.ts';
import { filtersToSearchParams } from '../../../lib/run-filters.ts';

// The YAML and diff libraries load only when a run with a scenario is opened.
const ScenarioDiffView = lazy(() => import('@web/components/scenario-diff-view.tsx'));

interface Props {
  hash: string;
  name: string;
  content: Scenario;
}

/** Which scenario version produced the run, links to its runs, and a diff against other versions. */
export function RunScenario({ hash, name, content }: Props) {
  const versions = useScenarioVersions();
  const others = (versions.data ?? []).filter(
    (version) => version.name === name && version.scenario_hash !== hash,
  );
  const results = (filters: { scenario?: string; version?: string }) =>
    `/results?${filtersToSearchParams(filters)}`;
  return (
    <section aria-labelledby="scenario-heading" className="run-scenario">
      <h2 id="scenario-heading">Scenario</h2>
      <dl className="run-facts">
        <div>
          <dt>Name</dt>
          <dd>
            <Link to={results({ scenario: name })}>{name}</Link>
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>
            <Link to={results({ version: hash })} title={hash}>
              <code>{shortHash(hash)}</code>
            </Link>{' '}
            <CopyButton text={hash} label="Copy version hash" />
          </dd>
        </div>
      </dl>
      <details>
        <summary>Compare with another version</summary>
        {versions.isPending ? (
          <p role="status">Loading versions…</p>
        ) : versions.isError ? (
          <p role="alert" className="error">
            Could not load the versions: {versions.error.message}
          </p>
        ) : (
          <Suspense fallback={<p role="status">Loading the diff…</p>}>
            <ScenarioDiffView current={{ scenario_hash: hash, content }} others={others} />
          </Suspense>
        )}
      </details>
    </section>
  );
}
