-- One row per benchmark run: the transcript, the raw event log and both prompts.
create table public.benchmark_runs (
  run_id uuid primary key,
  created_at timestamptz not null default now(),
  mode text not null check (mode = 'benchmark'),
  conversation_history jsonb not null
    check (jsonb_typeof(conversation_history) = 'array'),
  event_log jsonb not null
    check (jsonb_typeof(event_log) = 'array'),
  interviewer_prompt text not null,
  simulated_user_prompt text not null,
  end_reason text not null
    check (end_reason in ('termination_cue', 'user_ended', 'max_turns', 'error')),
  num_turns integer generated always as (jsonb_array_length(conversation_history)) stored
);

comment on table public.benchmark_runs is
  'Benchmark runs saved by the save-benchmark-run edge function. Read-only for clients.';

-- Newest-first listing and keyset pagination on (created_at, run_id).
create index benchmark_runs_created_at_run_id_idx
  on public.benchmark_runs (created_at desc, run_id desc);

alter table public.benchmark_runs enable row level security;

revoke all on table public.benchmark_runs from public, anon, authenticated, service_role;
grant select on table public.benchmark_runs to anon, authenticated;
-- The edge function inserts, and reads back to answer retries; no role may edit or delete.
grant select, insert on table public.benchmark_runs to service_role;

create policy "benchmark runs are readable by anyone with the anon key"
  on public.benchmark_runs for select
  to anon, authenticated
  using (true);
