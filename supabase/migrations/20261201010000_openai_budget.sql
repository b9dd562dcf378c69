-- What the OpenAI functions (realtime-session, simulated-user, judge-run) have
-- spent, per fixed UTC window (hour, day) and key: one 'global' row per window,
-- and one per caller, keyed by a SHA-256 of what identifies the caller (its
-- address), never the address itself. Kept in Postgres so the limits hold
-- across every function instance. Rows older than two days are deleted.
create table public.openai_usage (
  scope text not null check (scope = 'global' or scope ~ '^caller:[0-9a-f]{64}$'),
  window_kind text not null check (window_kind in ('hour', 'day')),
  window_start timestamptz not null,
  requests integer not null default 0 check (requests >= 0),
  -- Estimated from the request sizes and the pricing table, before the call.
  usd numeric(14, 6) not null default 0 check (usd >= 0),
  primary key (scope, window_kind, window_start)
);

comment on table public.openai_usage is
  'OpenAI requests and estimated USD per hour and day, globally and per caller. Written only through openai_admit by the edge functions; not readable by clients.';

create index openai_usage_window_start_idx on public.openai_usage (window_start);

alter table public.openai_usage enable row level security;
revoke all on table public.openai_usage from public, anon, authenticated, service_role;
grant select on table public.openai_usage to service_role;

-- Counts one spend against the global and the caller's hourly and daily limits,
-- all or nothing: either every bucket has room and all four are incremented, or
-- nothing changes and the first row returned says which limit was hit and when
-- its window ends. p_limits: {"global"|"caller": {"hour"|"day": {"requests": n, "usd": x}}};
-- a missing limit is no limit. Rows are locked in a fixed order (no deadlocks).
create function public.openai_admit(
  p_caller text,
  p_requests integer,
  p_usd numeric,
  p_limits jsonb,
  p_now timestamptz default now()
)
returns table (
  admitted boolean,
  scope text,
  window_kind text,
  limit_kind text,
  limit_value numeric,
  retry_after_seconds integer
)
language plpgsql
security definer
set search_path = ''
as $$
#variable_conflict use_column
declare
  caller_key text := 'caller:' || encode(sha256(convert_to(coalesce(p_caller, ''), 'UTF8')), 'hex');
  bucket record;
  used record;
  window_end timestamptz;
  retry integer;
  refused_scope text;
  refused_kind text;
  refused_limit text;
  refused_max numeric;
  refused_retry integer;
  created integer;
begin
  if p_requests < 0 or p_usd < 0 then
    raise exception 'openai_admit: a spend cannot be negative (requests %, usd %)', p_requests, p_usd;
  end if;

  for bucket in
    select b.scope_name, b.scope_key, b.kind,
           date_trunc(b.kind, p_now, 'UTC') as started,
           (p_limits -> b.scope_name -> b.kind ->> 'requests')::numeric as max_requests,
           (p_limits -> b.scope_name -> b.kind ->> 'usd')::numeric as max_usd
    from (values ('global', 'global', 'hour'), ('global', 'global', 'day'),
                 ('caller', caller_key, 'hour'), ('caller', caller_key, 'day'))
         as b (scope_name, scope_key, kind)
    order by b.scope_key, b.kind
  loop
    insert into public.openai_usage as u (scope, window_kind, window_start)
    values (bucket.scope_key, bucket.kind, bucket.started)
    on conflict do nothing;
    get diagnostics created = row_count;
    if created > 0 and bucket.scope_key = 'global' and bucket.kind = 'hour' then
      -- Once an hour: forget windows that can no longer limit anything.
      delete from public.openai_usage as old where old.window_start < p_now - interval '2 days';
    end if;

    select u.requests, u.usd into used
    from public.openai_usage as u
    where u.scope = bucket.scope_key and u.window_kind = bucket.kind
      and u.window_start = bucket.started
    for update;

    window_end := bucket.started
      + case bucket.kind when 'hour' then interval '1 hour' else interval '24 hours' end;
    retry := greatest(1, ceil(extract(epoch from window_end - p_now))::integer);
    if (used.requests + p_requests > bucket.max_requests
        or used.usd + p_usd > bucket.max_usd)
       and (refused_retry is null or retry > refused_retry) then
      refused_scope := bucket.scope_name;
      refused_kind := bucket.kind;
      refused_limit := case when used.requests + p_requests > bucket.max_requests
                            then 'requests' else 'usd' end;
      refused_max := case refused_limit when 'requests' then bucket.max_requests
                                        else bucket.max_usd end;
      refused_retry := retry;
    end if;
  end loop;

  if refused_retry is not null then
    return query select false, refused_scope, refused_kind, refused_limit, refused_max, refused_retry;
    return;
  end if;

  update public.openai_usage as u
  set requests = u.requests + p_requests, usd = u.usd + p_usd
  where (u.scope, u.window_kind, u.window_start) in (
    (caller_key, 'hour', date_trunc('hour', p_now, 'UTC')),
    (caller_key, 'day', date_trunc('day', p_now, 'UTC')),
    ('global', 'hour', date_trunc('hour', p_now, 'UTC')),
    ('global', 'day', date_trunc('day', p_now, 'UTC')));
  return query select true, null::text, null::text, null::text, null::numeric, null::integer;
end;
$$;

comment on function public.openai_admit is
  'Admits one OpenAI spend (requests, estimated USD) against the global and per-caller hourly and daily limits, atomically; edge functions only.';

revoke all on function public.openai_admit(text, integer, numeric, jsonb, timestamptz)
  from public, anon, authenticated;
grant execute on function public.openai_admit(text, integer, numeric, jsonb, timestamptz)
  to service_role;

-- judge-run used to accept any model, so a run's latest_judge_score may come
-- from a judge it no longer accepts. Count again, once, only judgements by the
-- default judges (gpt-4.1, gpt-4.1-mini, or their dated snapshots); from now
-- on judge-run writes only judgements by the judges it accepts.
update public.run_metrics as m
set latest_judge_score = (
  select j.overall_score
  from public.run_judgements as j
  where j.run_id = m.run_id and j.status = 'ok'
    and regexp_replace(j.judge_model, '-\d{4}-\d{2}-\d{2}$', '') in ('gpt-4.1', 'gpt-4.1-mini')
  order by j.judged_at desc
  limit 1)
where exists (
  select 1 from public.run_judgements as j
  where j.run_id = m.run_id and j.status = 'ok'
    and regexp_replace(j.judge_model, '-\d{4}-\d{2}-\d{2}$', '') not in ('gpt-4.1', 'gpt-4.1-mini'));
