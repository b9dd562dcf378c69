-- What each run measured, computed from its event log when it is saved (and by
-- `npm run metrics:backfill` for older runs), so lists and comparisons can sort
-- and filter on it without reading event logs.
create table public.run_metrics (
  run_id uuid primary key references public.benchmark_runs (run_id),
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
  check (checks_passed between 0 and checks_total)
);

comment on table public.run_metrics is
  'Per-run latency, outcomes, tokens, cost and check results; written by save-benchmark-run and the backfill. Read-only for clients.';

alter table public.run_metrics enable row level security;

revoke all on table public.run_metrics from public, anon, authenticated, service_role;
grant select on table public.run_metrics to anon, authenticated;
-- Recomputed (update) by the backfill when the metrics or the prices change.
grant select, insert, update on table public.run_metrics to service_role;

create policy "run metrics are readable by anyone with the anon key"
  on public.run_metrics for select
  to anon, authenticated
  using (true);
