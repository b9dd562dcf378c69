import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { downloadText } from '../../../lib/download.ts';
import { JudgeListedRuns } from '../../judging/judge-listed-runs.tsx';
import { useRuns } from '../api/get-runs.ts';
import { FiltersForm } from '../components/filters-form.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { MAX_COMPARED_RUNS, RunsTable } from '../components/runs-table.tsx';
import { filtersToSearchParams, hasFilters, parseFilters } from '../filters.ts';

/** Up to PostgREST's max rows the count is exact; beyond, it is the planner's estimate. */
const EXACT_COUNT_LIMIT = 1000;

function describeTotal(total: number | null, loaded: number, more: boolean): string {
  if (total === null) return `${loaded} ${loaded === 1 ? 'run' : 'runs'}${more ? ' loaded' : ''}`;
  const shown =
    total > EXACT_COUNT_LIMIT ? `about ${total.toLocaleString('en')}` : total.toLocaleString('en');
  return `${shown} ${total === 1 ? 'run' : 'runs'}${more ? `, ${loaded} loaded` : ''}`;
}

export function ResultsPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = parseFilters(searchParams);
  const runs = useRuns(filters);
  const items = runs.data?.pages.flatMap((page) => page.runs) ?? [];
  const total = runs.data?.pages[0]?.total ?? null;
  const filtered = hasFilters(filters);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());

  // The CSV writer loads on the first export, not with the page.
  const exportCsv = async () => {
    const { toCsv } = await import('../../../lib/csv.ts');
    downloadText(
      'runs.csv',
      toCsv(
        items.map((run) => ({
          run_id: run.run_id,
          created_at: run.created_at,
          num_turns: run.num_turns,
          end_reason: run.end_reason,
          duration_ms: run.duration_ms,
          scenario: run.scenario?.name ?? '',
          scenario_hash: run.scenario_hash ?? '',
          first_audio_p50_ms: run.metrics?.first_audio_p50_ms ?? '',
          checks_passed: run.metrics?.checks_passed ?? '',
          checks_total: run.metrics?.checks_total ?? '',
          cost_usd: run.metrics?.cost_usd ?? '',
        })),
        [
          'run_id',
          'created_at',
          'num_turns',
          'end_reason',
          'duration_ms',
          'scenario',
          'scenario_hash',
          'first_audio_p50_ms',
          'checks_passed',
          'checks_total',
          'cost_usd',
        ],
      ),
    );
  };

  return (
    <section aria-labelledby="results-heading">
      <header className="page-header">
        <h1 id="results-heading">Results</h1>
      </header>
      <FiltersForm
        key={searchParams.toString()}
        filters={filters}
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
            <button type="button" className="secondary" onClick={() => void exportCsv()}>
              Export CSV
            </button>
            <JudgeListedRuns runIds={items.map((run) => run.run_id)} />
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
