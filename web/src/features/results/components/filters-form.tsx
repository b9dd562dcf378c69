import { END_REASON_LABELS, formatUtc } from '@core/format.ts';
import { END_REASONS, shortHash } from '@core/run-constants.ts';
import { groupByName } from '@data/get-scenario-versions.ts';
import type { RunFilters } from '@data/run-filters.ts';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useScenarioVersions } from '../../../data/scenarios.ts';
import {
  FILTER_KEYS,
  FILTER_LABELS,
  type FilterErrors,
  type FilterInput,
  type FilterKey,
  filterInputFromFilters,
  validateFilters,
} from '../../../lib/run-filters.ts';

const controlId = (key: FilterKey) => `filter-${key}`;
const errorId = (key: FilterKey) => `filter-${key}-error`;

/** A labelled control with its error below it, tied together for screen readers. */
function Field({
  name,
  error,
  className,
  children,
}: {
  name: FilterKey;
  error: string | undefined;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={controlId(name)}>
        {FILTER_LABELS[name]}
        {children}
      </label>
      {error && (
        <span id={errorId(name)} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

/**
 * Edits a draft; the list changes (and the URL with it) on Apply. The draft
 * starts from the URL's text, bad values included, so a field shows what the
 * link said and what is wrong with it; Apply waits until every field is valid.
 */
export function FiltersForm({
  input,
  onApply,
}: {
  /** The filters as the URL has them, valid or not. */
  input: FilterInput;
  onApply(filters: RunFilters): void;
}) {
  const [draft, setDraft] = useState<FilterInput>(input);
  const { filters, errors } = validateFilters(draft);
  const control = (key: FilterKey) => ({
    id: controlId(key),
    name: key,
    value: draft[key],
    'aria-invalid': errors[key] ? true : undefined,
    'aria-describedby': errors[key] ? errorId(key) : undefined,
    onChange: (event: { target: { value: string } }) =>
      setDraft({ ...draft, [key]: event.target.value }),
  });
  // A date or number input cannot hold a bad value: show it as text until it is fixed.
  const typed = (key: FilterKey, type: 'date' | 'number') => (errors[key] ? 'text' : type);
  const groups = groupByName(useScenarioVersions().data ?? []);
  const versions = groups.get(draft.scenario) ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const invalid = FILTER_KEYS.find((key) => errors[key]);
    if (invalid) {
      document.getElementById(controlId(invalid))?.focus();
      return;
    }
    onApply(filters);
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter runs" noValidate>
      <FilterErrorSummary errors={errors} />
      <Field name="q" error={errors.q} className="grow">
        <input type="search" placeholder='e.g. notebook or "shared calendar"' {...control('q')} />
      </Field>
      <Field name="from" error={errors.from}>
        <input type={typed('from', 'date')} title="First UTC day" {...control('from')} />
      </Field>
      <Field name="to" error={errors.to}>
        <input type={typed('to', 'date')} title="Last UTC day, included" {...control('to')} />
      </Field>
      <Field name="minTurns" error={errors.minTurns}>
        <input
          type={typed('minTurns', 'number')}
          min={0}
          className="narrow"
          {...control('minTurns')}
        />
      </Field>
      <Field name="maxTurns" error={errors.maxTurns}>
        <input
          type={typed('maxTurns', 'number')}
          min={0}
          className="narrow"
          {...control('maxTurns')}
        />
      </Field>
      <Field name="endReason" error={errors.endReason}>
        <select {...control('endReason')}>
          <option value="">Any</option>
          {END_REASONS.map((reason) => (
            <option key={reason} value={reason}>
              {END_REASON_LABELS[reason]}
            </option>
          ))}
          {errors.endReason && <option value={draft.endReason}>{draft.endReason}</option>}
        </select>
      </Field>
      <Field name="scenario" error={errors.scenario}>
        <select
          {...control('scenario')}
          onChange={(event) => setDraft({ ...draft, scenario: event.target.value, version: '' })}
        >
          <option value="">Any</option>
          {[...groups.keys()].map((name) => (
            <option key={name}>{name}</option>
          ))}
          {draft.scenario && !groups.has(draft.scenario) && <option>{draft.scenario}</option>}
        </select>
      </Field>
      <Field name="version" error={errors.version}>
        <select {...control('version')} disabled={!draft.scenario && !draft.version}>
          <option value="">Any</option>
          {versions.map((version) => (
            <option key={version.scenario_hash} value={version.scenario_hash}>
              {`${shortHash(version.scenario_hash)} · ${formatUtc(version.created_at)}`}
            </option>
          ))}
          {draft.version && !versions.some((v) => v.scenario_hash === draft.version) && (
            <option value={draft.version}>
              {errors.version ? draft.version : shortHash(draft.version)}
            </option>
          )}
        </select>
      </Field>
      <div className="filter-actions">
        <button type="submit">Apply</button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft(filterInputFromFilters({}));
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

/** One line naming the fields that are not applied; each field says why. */
function FilterErrorSummary({ errors }: { errors: FilterErrors }) {
  const bad = FILTER_KEYS.filter((key) => errors[key]);
  if (bad.length === 0) return null;
  return (
    <p role="alert" className="notice error filters-summary">
      Not applied until fixed: {bad.map((key) => FILTER_LABELS[key]).join(', ')}.
    </p>
  );
}
