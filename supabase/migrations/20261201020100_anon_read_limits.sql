-- Bounds on what one read through the public API may cost the database.

-- 1. Statement timeouts per role, as hosted Supabase sets them. PostgREST logs
-- in as authenticator and, for each request, applies the settings of the role
-- it switches to (anon or authenticated), so a request's statement is cancelled
-- after 3 s (anon) or 8 s (signed in): 57014, a 500 to the caller. The edge
-- functions and operators connect otherwise and are not bound by these.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';

-- 2. The event log is the heaviest column (megabytes per run) and only a run's
-- page needs it, one run at a time. Clients may select every other column;
-- the event log comes from public.run_event_log(run_id), one run per call.
-- (Revoking the table privilege also revokes any column privileges, so
-- SECURITY.md's recipe for signed-in reads still applies as written.)
revoke select on table public.benchmark_runs from anon, authenticated;
grant select (
  run_id, created_at, mode, conversation_history, interviewer_prompt, simulated_user_prompt,
  end_reason, num_turns, transcript_tsv, duration_ms, scenario_hash
) on table public.benchmark_runs to anon, authenticated;

-- Security definer so it can read the column its callers may not select; it
-- returns one run's log (null for an unknown run), as the read policy allows.
create function public.run_event_log(run_id uuid) returns jsonb
language sql stable
security definer
set search_path = ''
as $$
  select r.event_log from public.benchmark_runs r where r.run_id = run_event_log.run_id
$$;

comment on function public.run_event_log(uuid) is
  'The event log of one run (null when there is no such run). The column itself is not selectable by clients.';

revoke all on function public.run_event_log(uuid) from public, anon, authenticated;
grant execute on function public.run_event_log(uuid) to anon, authenticated, service_role;
