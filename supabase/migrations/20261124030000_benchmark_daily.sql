-- Per day, scenario and model pair: what /trends charts. Filter by scenario_name
-- (and a day range) so only that scenario's runs are aggregated.
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
       percentile_cont(0.5) within group (order by m.first_audio_p50_ms) as first_audio_p50_ms,
       round(avg(m.cost_usd), 6)::double precision as mean_cost_usd
from public.run_metrics m
join public.benchmark_scenarios s using (scenario_hash)
group by 1, 2, 3, 4;

comment on view public.benchmark_daily is
  'Runs, check pass rate, median first audio and mean cost per UTC day, scenario and models.';

revoke all on public.benchmark_daily from public, anon, authenticated, service_role;
grant select on public.benchmark_daily to anon, authenticated, service_role;
