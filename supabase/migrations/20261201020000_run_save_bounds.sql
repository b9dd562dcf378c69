-- What a saved run may hold, so that no valid-looking run is refused for a
-- reason a retry cannot fix, and none pins itself to the top of every list.

-- 1. created_at within [2020-01-01, now + 1 day]. A run "from 9999" would sort
-- first on /results forever and count as the newest run in regressions. The
-- edge function refuses such runs with a 400 naming the field; this is the same
-- rule for any other writer. Only new rows are checked (runs already stored
-- stay readable). The check runs before the other insert triggers (by name).
create function private.check_benchmark_run_created_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.created_at < timestamptz '2020-01-01 00:00:00+00' then
    raise exception using
      errcode = '22008',
      message = format('created_at %s is before 2020-01-01T00:00:00Z, the earliest a run may be dated',
                       to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
  end if;
  if new.created_at > now() + interval '1 day' then
    raise exception using
      errcode = '22008',
      message = format('created_at %s is more than 1 day ahead of the server clock (%s)',
                       to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
  end if;
  return new;
end
$$;

create trigger benchmark_runs_check_created_at
  before insert on public.benchmark_runs
  for each row execute function private.check_benchmark_run_created_at();

revoke all on function private.check_benchmark_run_created_at() from public;
grant execute on function private.check_benchmark_run_created_at() to service_role;

-- 2. duration_ms as bigint: an event 25 days after created_at overflowed integer
-- milliseconds and made the run unsaveable. bigint holds the span of any two
-- Postgres timestamps.
alter table public.benchmark_runs alter column duration_ms type bigint;

drop function private.benchmark_run_duration_ms(timestamptz, jsonb, jsonb);
create function private.benchmark_run_duration_ms(
  started timestamptz, conversation_history jsonb, event_log jsonb
) returns bigint
language sql stable
set search_path = ''
as $$
  select greatest(0, round(extract(epoch from (max(ts) - started)) * 1000))::bigint
  from (
    select (e ->> 'timestamp')::timestamptz as ts from jsonb_array_elements(event_log) as e
    union all
    select (t ->> 'timestamp')::timestamptz from jsonb_array_elements(conversation_history) as t
  ) as stamps
$$;
revoke all on function private.benchmark_run_duration_ms(timestamptz, jsonb, jsonb) from public;
grant execute on function private.benchmark_run_duration_ms(timestamptz, jsonb, jsonb) to service_role;

-- 3. Search indexes the first 100,000 characters of what was said. A tsvector
-- holds at most 1 MB, so a transcript of enough distinct words could not be
-- stored at all ("string is too long for tsvector"); 100,000 characters make
-- at most about 700 kB of tsvector whatever the words. That is some two hours
-- of speech; words after it are stored but not found by the search.
create function private.transcript_search_contents(conversation_history jsonb) returns jsonb
language sql immutable parallel safe
set search_path = ''
as $$
  select coalesce(jsonb_agg(left(content, (100000 - before)::integer) order by n), '[]'::jsonb)
  from (
    select n, t ->> 'content' as content,
           coalesce(sum(length(t ->> 'content')) over (
             order by n rows between unbounded preceding and 1 preceding), 0) as before
    from jsonb_array_elements(conversation_history) with ordinality as turns(t, n)
    where jsonb_typeof(t -> 'content') = 'string'
  ) as contents
  where before < 100000
$$;
revoke all on function private.transcript_search_contents(jsonb) from public;
grant execute on function private.transcript_search_contents(jsonb) to service_role;

alter table public.benchmark_runs drop column transcript_tsv;
alter table public.benchmark_runs
  add column transcript_tsv tsvector generated always as (
    jsonb_to_tsvector(
      'english'::regconfig,
      private.transcript_search_contents(conversation_history),
      '["string"]'
    )
  ) stored;

create index benchmark_runs_transcript_tsv_idx
  on public.benchmark_runs using gin (transcript_tsv);
