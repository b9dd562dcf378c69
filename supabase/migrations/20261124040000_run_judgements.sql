-- Scores of the LLM judge (judge-run), one row per judging: re-judging adds a row,
-- so the history stays. A judge that answered nonsense is recorded as status 'error'.
create table public.run_judgements (
  judgement_id uuid primary key default gen_random_uuid(),
  run_id uuid not null references public.benchmark_runs (run_id),
  judged_at timestamptz not null default now(),
  judge_model text not null,
  rubric_hash text not null check (rubric_hash ~ '^[0-9a-f]{64}$'),
  status text not null check (status in ('ok', 'error')),
  -- [{ criterion, score, reason }]
  scores jsonb not null default '[]' check (jsonb_typeof(scores) = 'array'),
  -- Weighted mean of the scores on a 0–1 scale; null for an error.
  overall_score double precision check (overall_score between 0 and 1),
  summary text,
  error text,
  check ((status = 'ok') = (overall_score is not null))
);

comment on table public.run_judgements is
  'LLM-judge scores per run against its scenario rubric, with history. Written by judge-run; read-only for clients.';

create index run_judgements_run_id_judged_at_idx
  on public.run_judgements (run_id, judged_at desc);

alter table public.run_judgements enable row level security;

revoke all on table public.run_judgements from public, anon, authenticated, service_role;
grant select on table public.run_judgements to anon, authenticated;
grant select, insert on table public.run_judgements to service_role;

create policy "run judgements are readable by anyone with the anon key"
  on public.run_judgements for select
  to anon, authenticated
  using (true);
