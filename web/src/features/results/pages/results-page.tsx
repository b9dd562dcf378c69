import { EXACT_COUNT_LIMIT, type RunListItem } from '@data/get-runs.ts';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useRuns } from '../../../data/runs.ts';
import { useScenarioVersions } from '../../../data/scenarios.ts';
import { filtersToSearchParams, hasFilters, readFilters } from '../../../lib/run-filters.ts';
import { ExportRunsButton } from '../components/export-runs-button.tsx';
import { FiltersForm } from '../components/filters-form.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { MAX_COMPARED_RUNS, RunsTable } from '../components/runs-table.tsx';
import { JudgeListedRuns, type ListedRun } from '../judging/judge-listed-runs.tsx';

function describeTotal(total: number | null, loaded: number, more: boolean): string {
  if (total === null) return `${loaded} ${loaded === 1 ? 'run' : 'runs'}${more ? ' loaded' : ''}`;
  const shown =
    total > EXACT_COUNT_LIMIT ? `about ${total.toLocaleString('en')}` : total.toLocaleString('en');
  return `${shown} ${total === 1 ? 'run' : 'runs'}${more ? `, ${loaded} loaded` : ''}`;
}

/** Each run with its scenario's rubric: null without a scenario or rubric, undefined if unknown. */
function withRubrics(
  runs: RunListItem[],
  versions: ReturnType<typeof useScenarioVersions>['data'],
): ListedRun[] {
  const rubrics = new Map(versions?.map((v) => [v.scenario_hash, v.content.rubric ?? null]));
  return runs.map((run) => ({
    run_id: run.run_id,
    num_turns: run.num_turns,
    rubric: run.scenario_hash === null ? null : rubrics.get(run.scenario_hash),
  }));
}

export function ResultsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  // Bad values in the URL are left out of the query; the form shows each with what is wrong.
  const { filters, input } = readFilters(searchParams);
  const runs = useRuns(filters);
  const items = runs.data?.pages.flatMap((page) => page.runs) ?? [];
  const total = runs.data?.pages[0]?.total ?? null;
  const filtered = hasFilters(filters);
  const versions = useScenarioVersions().data;
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  return (
    <section aria-labelledby="results-heading">
      <header className="page-header">
        <h1 id="results-heading">Results</h1>
      </header>
      <FiltersForm
        key={searchParams.toString()}
        input={input}
        onApply={(next) => setSearchParams(filtersToSearchParams(next))}
      />

      {runs.isPending ? (
        <p role="status">Loading runs…</p>
      ) : runs.isError ? (
        <div role="alert" className="error">
          <p>Could not load runs: {runs.error.message}</p>
          <button type="button" onClick={() => void runs.refetch()}>
            Try again
          </button>
        </div>
      ) : items.length === 0 ? (
        <p className="empty">
          {filtered
            ? 'No runs match these filters.'
            : 'No runs saved yet. Finished runs from the console appear here, as does any run POSTed to the save-benchmark-run function.'}
        </p>
      ) : (
        <>
          <div className="list-toolbar">
            <p className="summary" aria-live="polite">
              {describeTotal(total, items.length, runs.hasNextPage)}, newest first
            </p>
            <ExportRunsButton key={searchParams.toString()} filters={filters} />
            <JudgeListedRuns runs={withRubrics(items, versions)} />
            <Link
              className={`button secondary${selected.size < 2 ? ' disabled' : ''}`}
              aria-disabled={selected.size < 2}
              to={selected.size < 2 ? '#' : `/compare?runs=${[...selected].join(',')}`}
              onClick={(event) => selected.size < 2 && event.preventDefault()}
            >
              Compare selected ({selected.size}/{MAX_COMPARED_RUNS})
            </Link>
          </div>
          <RunsTable
            runs={items}
            selected={selected}
            onToggle={(runId) => {
              const next = new Set(selected);
              if (!next.delete(runId)) next.add(runId);
              setSelected(next);
            }}
          />
          {runs.hasNextPage && (
            <LoadMore onLoad={() => void runs.fetchNextPage()} loading={runs.isFetchingNextPage} />
          )}
          {runs.isFetchNextPageError && (
            <p role="alert" className="error">
              Could not load older runs. Try again.
            </p>
          )}
        </>
      )}
    </section>
  );
}
