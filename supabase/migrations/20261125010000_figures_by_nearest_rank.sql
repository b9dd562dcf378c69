-- One definition of every figure (supabase/functions/_shared/statistics.ts,
-- docs/metrics.md): medians are nearest-rank (percentile_disc, as the runner
-- computes them), taken over runs, each run once. The latency columns are
-- renamed for what they are: the median over runs of each run's p50 or p95 (the
-- old first_audio_p95_ms was a p95 of run p95s, interpolated). Views hold no
-- data: they are dropped and made again with the same grants.
drop view public.benchmark_comparison;
drop view public.benchmark_daily;

create view public.benchmark_comparison
with (security_invoker = true) as
select m.scenario_hash,
       s.name as scenario_name,
       m.interviewer_model,
       m.simulated_user_model,
       count(*)::integer as runs,
       (count(*) filter (where m.checks_total > 0))::integer as runs_with_checks,
       round(
         avg((m.checks_passed = m.checks_total)::integer) filter (where m.checks_total > 0), 4
       )::double precision as pass_rate,
       percentile_disc(0.5) within group (order by m.first_audio_p50_ms) as median_first_audio_p50_ms,
       percentile_disc(0.5) within group (order by m.first_audio_p95_ms) as median_first_audio_p95_ms,
       round(avg(m.total_tokens))::bigint as mean_tokens,
       round(avg(m.cost_usd), 6)::double precision as mean_cost_usd,
       (count(*) filter (where m.cost_usd is null))::integer as unpriced_runs,
       max(m.created_at) as last_run_at,
       round(avg(m.latest_judge_score)::numeric, 4)::double precision as mean_judge_score,
       count(m.latest_judge_score)::integer as judged_runs
from public.run_metrics m
left join public.benchmark_scenarios s using (scenario_hash)
group by m.scenario_hash, s.name, m.interviewer_model, m.simulated_user_model;

comment on view public.benchmark_comparison is
  'Per scenario version and models: runs, check pass rate, judge score, median over runs of first audio p50 and p95 (nearest rank), mean tokens and cost per run. Definitions: docs/metrics.md.';

revoke all on public.benchmark_comparison from public, anon, authenticated, service_role;
grant select on public.benchmark_comparison to anon, authenticated, service_role;

create view public.benchmark_daily
with (security_invoker = true) as
select (date_trunc('day', m.created_at at time zone 'UTC'))::date as day,
       s.name as scenario_name,
       m.interviewer_model,
       m.simulated_user_model,
       count(*)::integer as runs,
       round(
         avg((m.checks_passed = m.checks_total)::integer) filter (where m.checks_total > 0), 4
       )::double precision as pass_rate,
       percentile_disc(0.5) within group (order by m.first_audio_p50_ms) as median_first_audio_p50_ms,
       round(avg(m.cost_usd), 6)::double precision as mean_cost_usd
from public.run_metrics m
join public.benchmark_scenarios s using (scenario_hash)
group by 1, 2, 3, 4;

comment on view public.benchmark_daily is
  'Per UTC day, scenario and models: runs, check pass rate, median over runs of first audio p50 (nearest rank), mean cost per run. Definitions: docs/metrics.md.';

revoke all on public.benchmark_daily from public, anon, authenticated, service_role;
grant select on public.benchmark_daily to anon, authenticated, service_role;
