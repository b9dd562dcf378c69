-- Scenario versions: one row per distinct canonical content, keyed by its sha256.
create table public.benchmark_scenarios (
  scenario_hash text primary key check (scenario_hash ~ '^[0-9a-f]{64}$'),
  name text not null check (length(name) between 1 and 200),
  content jsonb not null check (jsonb_typeof(content) = 'object'),
  -- The file as uploaded by upsert-scenario; null for versions first seen with a run (ad hoc prompts).
  source_yaml text,
  created_at timestamptz not null default now()
);

comment on table public.benchmark_scenarios is
  'Scenario versions by content hash, written by the upsert-scenario and save-benchmark-run edge functions. Read-only for clients.';

-- Versions of one scenario, newest first.
create index benchmark_scenarios_name_created_at_idx
  on public.benchmark_scenarios (name, created_at desc);

alter table public.benchmark_scenarios enable row level security;

revoke all on table public.benchmark_scenarios from public, anon, authenticated, service_role;
grant select on table public.benchmark_scenarios to anon, authenticated;
-- Versions are immutable; the only update fills in the YAML of a version first seen with a run.
grant select, insert, update (source_yaml) on table public.benchmark_scenarios to service_role;

create policy "scenario versions are readable by anyone with the anon key"
  on public.benchmark_scenarios for select
  to anon, authenticated
  using (true);

-- Every run saved with a scenario points at the exact version that produced it.
alter table public.benchmark_runs
  add column scenario_hash text references public.benchmark_scenarios (scenario_hash);

-- Filtering /results by scenario or version, newest first, with keyset pagination.
create index benchmark_runs_scenario_hash_created_at_idx
  on public.benchmark_runs (scenario_hash, created_at desc, run_id desc);

-- Each version with its run count and latest run, for pickers and filters.
create view public.benchmark_scenario_versions
with (security_invoker = true) as
select s.scenario_hash,
       s.name,
       s.content,
       s.created_at,
       (s.source_yaml is not null) as from_file,
       latest.created_at as last_run_at
from public.benchmark_scenarios s
left join lateral (
  select r.created_at
  from public.benchmark_runs r
  where r.scenario_hash = s.scenario_hash
  order by r.created_at desc, r.run_id desc
  limit 1
) latest on true;

comment on view public.benchmark_scenario_versions is
  'Scenario versions with the time of their latest run (null when never run).';

revoke all on public.benchmark_scenario_versions from public, anon, authenticated, service_role;
grant select on public.benchmark_scenario_versions to anon, authenticated, service_role;
