-- Full-text search over what was said, and each run's duration, so the results
-- list can filter and sort without reading transcripts or event logs.

-- Only the spoken content is indexed (not speakers or timestamps).
alter table public.benchmark_runs
  add column transcript_tsv tsvector generated always as (
    jsonb_to_tsvector(
      'english'::regconfig,
      jsonb_path_query_array(conversation_history, '$[*].content'),
      '["string"]'
    )
  ) stored;

create index benchmark_runs_transcript_tsv_idx
  on public.benchmark_runs using gin (transcript_tsv);

-- From the run's start to its last recorded event or turn, set on insert.
alter table public.benchmark_runs add column duration_ms integer;

-- Helpers live outside the API's schema: nothing here is callable through PostgREST.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to service_role;

create function private.benchmark_run_duration_ms(
  started timestamptz, conversation_history jsonb, event_log jsonb
) returns integer
language sql stable
set search_path = ''
as $$
  select greatest(0, round(extract(epoch from (max(ts) - started)) * 1000))::integer
  from (
    select (e ->> 'timestamp')::timestamptz as ts from jsonb_array_elements(event_log) as e
    union all
    select (t ->> 'timestamp')::timestamptz from jsonb_array_elements(conversation_history) as t
  ) as stamps
$$;

create function private.set_benchmark_run_duration() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.duration_ms := private.benchmark_run_duration_ms(new.created_at, new.conversation_history, new.event_log);
  return new;
end
$$;

create trigger benchmark_runs_set_duration
  before insert on public.benchmark_runs
  for each row execute function private.set_benchmark_run_duration();

update public.benchmark_runs
  set duration_ms = private.benchmark_run_duration_ms(created_at, conversation_history, event_log);

revoke all on function private.benchmark_run_duration_ms(timestamptz, jsonb, jsonb) from public;
revoke all on function private.set_benchmark_run_duration() from public;
grant execute on function private.benchmark_run_duration_ms(timestamptz, jsonb, jsonb) to service_role;
grant execute on function private.set_benchmark_run_duration() to service_role;

-- Filtering by how a run ended, newest first.
create index benchmark_runs_end_reason_created_at_idx
  on public.benchmark_runs (end_reason, created_at desc, run_id desc);
