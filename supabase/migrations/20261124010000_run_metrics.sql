-- What each run measured, computed from its event log when it is saved (and by
-- `npm run metrics:backfill` for older runs), so lists and comparisons can sort
-- and filter on it without reading event logs.
create table public.run_metrics (
  run_id uuid primary key references public.benchmark_runs (run_id),
  -- Copied from the run, so comparisons and trends aggregate this narrow table
  -- alone instead of reading the wide benchmark_runs rows.
  scenario_hash text references public.benchmark_scenarios (scenario_hash),
  created_at timestamptz not null,
  metrics_version integer not null,
  computed_at timestamptz not null default now(),
  interviewer_model text,
  simulated_user_model text,
  interviewer_turns integer not null check (interviewer_turns >= 0),
  first_text_p50_ms integer,
  first_text_p95_ms integer,
  first_audio_p50_ms integer,
  first_audio_p95_ms integer,
  responses_completed integer not null default 0,
  responses_cancelled integer not null default 0,
  responses_incomplete integer not null default 0,
  responses_failed integer not null default 0,
  responses_without_usage integer not null default 0,
  -- { interviewer: { textInput, textCachedInput, textOutput, audioInput, audioCachedInput, audioOutput }, simulated_user: {…} }
  tokens jsonb not null check (jsonb_typeof(tokens) = 'object'),
  total_tokens bigint not null check (total_tokens >= 0),
  -- USD at the prices of pricing_version; null when a model is not in that table.
  cost_usd numeric(12, 6),
  pricing_version text not null,
  -- [{ check, passed, detail }] from the scenario's checks.
  checks jsonb not null default '[]' check (jsonb_typeof(checks) = 'array'),
  checks_passed integer not null default 0,
  checks_total integer not null default 0,
  -- The overall score (0–1) of the run's latest usable judgement, kept by judge-run.
  latest_judge_score double precision check (latest_judge_score between 0 and 1),
  check (checks_passed between 0 and checks_total)
);

comment on table public.run_metrics is
  'Per-run latency, outcomes, tokens, cost and check results; written by save-benchmark-run and the backfill. Read-only for clients.';

-- One scenario's runs, newest first, with what the comparison table and the
-- trends aggregate: an index-only scan reads a scenario's runs without visiting
-- the table, whose rows of one scenario are spread over all its pages.
create index run_metrics_scenario_hash_created_at_idx
  on public.run_metrics (scenario_hash, created_at desc)
  include (interviewer_model, simulated_user_model, first_audio_p50_ms, first_audio_p95_ms,
           checks_passed, checks_total, total_tokens, cost_usd, latest_judge_score);

alter table public.run_metrics enable row level security;

revoke all on table public.run_metrics from public, anon, authenticated, service_role;
grant select on table public.run_metrics to anon, authenticated;
-- Recomputed (update) by the backfill when the metrics or the prices change.
grant select, insert, update on table public.run_metrics to service_role;

create policy "run metrics are readable by anyone with the anon key"
  on public.run_metrics for select
  to anon, authenticated
  using (true);
