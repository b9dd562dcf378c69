-- A voice run's figures beside its other metrics (core/voice-metrics.ts,
-- docs/metrics.md), written by the save function and the backfill from the one
-- definition in core/run-metrics-row.ts. All null for a text run, so a figure
-- that is null means "not measured", never zero. WER is kept as its counts as
-- well as its rate, so a group's WER is all its errors over all its reference
-- words, as a run's is over its utterances (never a mean of rates).
alter table public.run_metrics
  add column voice_to_voice_p50_ms integer,
  add column voice_to_voice_p95_ms integer,
  add column wer double precision check (wer >= 0),
  add column wer_errors integer check (wer_errors >= 0),
  add column wer_words integer check (wer_words >= 0),
  add column false_end_of_turns integer check (false_end_of_turns >= 0),
  add column missed_end_of_turns integer check (missed_end_of_turns >= 0),
  add constraint run_metrics_wer_counts_check
    check ((wer_errors is null) = (wer_words is null)
           and (wer is null or wer_words > 0));

comment on column public.run_metrics.false_end_of_turns is
  'Voice runs only (null for text runs): answers that started while the simulated user was still speaking.';
comment on column public.run_metrics.wer is
  'Voice runs only: word errors over reference words of all the run''s utterances; null when none could be scored.';

-- The comparison and the trends keep reading a scenario's runs from the index
-- alone (see 20261124010000_run_metrics.sql): it now covers the voice figures too.
drop index public.run_metrics_scenario_hash_created_at_idx;
create index run_metrics_scenario_hash_created_at_idx
  on public.run_metrics (scenario_hash, created_at desc)
  include (interviewer_model, simulated_user_model, first_audio_p50_ms, first_audio_p95_ms,
           checks_passed, checks_total, total_tokens, cost_usd, latest_judge_score,
           voice_to_voice_p50_ms, voice_to_voice_p95_ms, wer_errors, wer_words,
           false_end_of_turns);

-- The views gain the group's voice figures; the rest of each is as in
-- 20261125010000_figures_by_nearest_rank.sql. voice_runs counts the runs that
-- were voice runs (false_end_of_turns is set for every one of them).
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
       count(m.latest_judge_score)::integer as judged_runs,
       count(m.false_end_of_turns)::integer as voice_runs,
       percentile_disc(0.5) within group (order by m.voice_to_voice_p50_ms) as median_voice_to_voice_p50_ms,
       percentile_disc(0.5) within group (order by m.voice_to_voice_p95_ms) as median_voice_to_voice_p95_ms,
       round(sum(m.wer_errors)::numeric / nullif(sum(m.wer_words), 0), 4)::double precision as wer
from public.run_metrics m
left join public.benchmark_scenarios s using (scenario_hash)
group by m.scenario_hash, s.name, m.interviewer_model, m.simulated_user_model;

comment on view public.benchmark_comparison is
  'Per scenario version and models: runs, check pass rate, judge score, median over runs of first audio p50 and p95 (nearest rank), mean tokens and cost per run; for voice runs the median over runs of voice-to-voice p50 and p95 and the WER (all errors over all reference words). Definitions: docs/metrics.md.';

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
       round(avg(m.cost_usd), 6)::double precision as mean_cost_usd,
       count(m.false_end_of_turns)::integer as voice_runs,
       percentile_disc(0.5) within group (order by m.voice_to_voice_p50_ms) as median_voice_to_voice_p50_ms,
       round(sum(m.wer_errors)::numeric / nullif(sum(m.wer_words), 0), 4)::double precision as wer
from public.run_metrics m
join public.benchmark_scenarios s using (scenario_hash)
group by 1, 2, 3, 4;

comment on view public.benchmark_daily is
  'Per UTC day, scenario and models: runs, check pass rate, median over runs of first audio p50 (nearest rank), mean cost per run; for voice runs the median over runs of voice-to-voice p50 and the WER (all errors over all reference words). Definitions: docs/metrics.md.';

revoke all on public.benchmark_daily from public, anon, authenticated, service_role;
grant select on public.benchmark_daily to anon, authenticated, service_role;
