-- One row per scenario version × interviewer model × simulated-user model: the
-- figures a comparison table shows. Filter by scenario_hash or scenario_name so
-- Postgres aggregates only that scenario's runs (the filter is pushed below the
-- grouping and uses run_metrics_scenario_hash_created_at_idx). The judge
-- score is the mean of each run's latest usable judgement.
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
       percentile_cont(0.5) within group (order by m.first_audio_p50_ms) as first_audio_p50_ms,
       percentile_cont(0.95) within group (order by m.first_audio_p95_ms) as first_audio_p95_ms,
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
  'Runs, check pass rate, judge score, time to first audio, tokens and cost per scenario version and models.';

revoke all on public.benchmark_comparison from public, anon, authenticated, service_role;
grant select on public.benchmark_comparison to anon, authenticated, service_role;
