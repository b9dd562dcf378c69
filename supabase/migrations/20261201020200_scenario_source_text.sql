-- Scenario versions keep no uploaded text. A version is its canonical content
-- (RFC 8785 JSON, hashed); the YAML it came from kept the first uploader's
-- comments and formatting, so whoever uploaded a version's content first
-- decided what it "said" beside the content, and anyone with the anon key can
-- upload. Scenario files live in the repository (scenarios/), with their
-- history; the database keeps what identifies and reproduces a run's scenario.
-- Only whether a version was ever uploaded as a file is kept.
alter table public.benchmark_scenarios add column from_file boolean not null default false;
update public.benchmark_scenarios set from_file = source_yaml is not null;

drop view public.benchmark_scenario_versions;
alter table public.benchmark_scenarios drop column source_yaml;

-- Versions are immutable; the only update marks a version first seen with a run
-- as uploaded from a file later.
grant update (from_file) on table public.benchmark_scenarios to service_role;

create view public.benchmark_scenario_versions
with (security_invoker = true) as
select s.scenario_hash,
       s.name,
       s.content,
       s.created_at,
       s.from_file,
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
