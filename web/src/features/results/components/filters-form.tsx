import { type FormEvent, useState } from 'react';
import { END_REASONS, shortHash } from '../../../../../supabase/functions/_shared/run-constants.ts';
import { END_REASON_LABELS, formatUtc } from '../../../lib/format.ts';
import { groupByName, useScenarioVersions } from '../../scenarios/api/get-scenario-versions.ts';
import type { RunFilters } from '../filters.ts';

type Draft = Record<keyof RunFilters, string>;

function toDraft(filters: RunFilters): Draft {
  return {
    q: filters.q ?? '',
    from: filters.from ?? '',
    to: filters.to ?? '',
    minTurns: filters.minTurns?.toString() ?? '',
    maxTurns: filters.maxTurns?.toString() ?? '',
    endReason: filters.endReason ?? '',
    scenario: filters.scenario ?? '',
    version: filters.version ?? '',
  };
}

function fromDraft(draft: Draft): RunFilters {
  const number = (value: string) => (value === '' ? undefined : Number(value));
  return {
    q: draft.q.trim() || undefined,
    from: draft.from || undefined,
    to: draft.to || undefined,
    minTurns: number(draft.minTurns),
    maxTurns: number(draft.maxTurns),
    endReason: (draft.endReason || undefined) as RunFilters['endReason'],
    scenario: draft.scenario || undefined,
    version: draft.version || undefined,
  };
}

/** Edits a draft; the list changes (and the URL with it) on Apply. */
export function FiltersForm({
  filters,
  onApply,
}: {
  filters: RunFilters;
  onApply(filters: RunFilters): void;
}) {
  const [draft, setDraft] = useState(() => toDraft(filters));
  const field = (key: keyof Draft) => ({
    value: draft[key],
    onChange: (event: { target: { value: string } }) =>
      setDraft({ ...draft, [key]: event.target.value }),
  });
  const groups = groupByName(useScenarioVersions().data ?? []);
  const versions = groups.get(draft.scenario) ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(fromDraft(draft));
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter runs">
      <label className="grow">
        Transcript contains
        <input type="search" placeholder='e.g. notebook or "shared calendar"' {...field('q')} />
      </label>
      <label>
        From
        <input type="date" {...field('from')} />
      </label>
      <label>
        To
        <input type="date" {...field('to')} />
      </label>
      <label>
        Min turns
        <input type="number" min={0} className="narrow" {...field('minTurns')} />
      </label>
      <label>
        Max turns
        <input type="number" min={0} className="narrow" {...field('maxTurns')} />
      </label>
      <label>
        Ended by
        <select {...field('endReason')}>
          <option value="">Any</option>
          {END_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {END_REASON_LABELS[reason]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Scenario
        <select
          value={draft.scenario}
          onChange={(event) => setDraft({ ...draft, scenario: event.target.value, version: '' })}
        >
          <option value="">Any</option>
          {[...groups.keys()].map((name) => (
            <option key={name}>{name}</option>
          ))}
          {draft.scenario && !groups.has(draft.scenario) && <option>{draft.scenario}</option>}
        </select>
      </label>
      <label>
        Version
        <select {...field('version')} disabled={!draft.scenario && !draft.version}>
          <option value="">Any</option>
          {versions.map((version) => (
            <option key={version.scenario_hash} value={version.scenario_hash}>
              {`${shortHash(version.scenario_hash)} · ${formatUtc(version.created_at)}`}
            </option>
          ))}
          {draft.version && !versions.some((v) => v.scenario_hash === draft.version) && (
            <option value={draft.version}>{shortHash(draft.version)}</option>
          )}
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft(toDraft({}));
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
