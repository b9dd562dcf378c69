-- One recording per run (issue 14): Opus in WebM as core/run-audio.ts defines
-- it, written by the save-run-audio edge function. The checks repeat the
-- function's rules (core/run-audio.ts), so no other writer can store what the
-- function would refuse.
create table public.benchmark_run_audio (
  run_id uuid primary key references public.benchmark_runs (run_id) on delete cascade,
  -- RUN_AUDIO_CONTENT_TYPE
  content_type text not null check (content_type = 'audio/webm;codecs=opus'),
  -- Position 0 of the recording on the run's clock.
  started_at timestamptz not null,
  -- At most MAX_RUN_AUDIO_DURATION_MS (2 h).
  duration_ms integer not null check (duration_ms between 0 and 7200000),
  -- At most MAX_RUN_AUDIO_BYTES (12 MiB), and the length of `audio`.
  byte_length integer not null
    check (byte_length between 4 and 12582912 and byte_length = octet_length(audio)),
  -- Hex SHA-256 of `audio`: what a retried save is compared by.
  sha256 text not null check (sha256 = encode(sha256(audio), 'hex')),
  -- One level 0-100 per LOUDNESS_WINDOW_MS (100 ms) window of the duration.
  loudness smallint[] not null
    check (
      coalesce(array_ndims(loudness), 1) = 1
      and cardinality(loudness) = ceil(duration_ms / 100.0)
      and array_position(loudness, null) is null
      and 0 <= all (loudness) and 100 >= all (loudness)
    ),
  -- Where each interviewer response is heard: at most MAX_TURNS (10,000).
  segments jsonb not null
    check (jsonb_typeof(segments) = 'array' and jsonb_array_length(segments) <= 10000),
  -- The WebM file; it starts with the EBML magic (WEBM_MAGIC).
  audio bytea not null check (substring(audio from 1 for 4) = '\x1a45dfa3'::bytea),
  created_at timestamptz not null default now()
);

comment on table public.benchmark_run_audio is
  'The recorded audio of a run (Opus in WebM), saved by the save-run-audio edge function. Read-only for clients; the bytes come from run_audio(run_id).';

-- Opus does not compress further: store the bytes out of line as they are
-- rather than let Postgres try (and fail) to compress every row.
alter table public.benchmark_run_audio alter column audio set storage external;

alter table public.benchmark_run_audio enable row level security;

-- As for benchmark_runs: clients read every column but the heavy one, which
-- comes one run per call from run_audio(run_id); only the function writes.
revoke all on table public.benchmark_run_audio from public, anon, authenticated, service_role;
grant select (
  run_id, content_type, started_at, duration_ms, byte_length, sha256, loudness, segments, created_at
) on table public.benchmark_run_audio to anon, authenticated;
-- The edge function inserts, and reads back to answer retries; no role may edit or delete
-- (a run's audio goes with its run, by the cascade).
grant select, insert on table public.benchmark_run_audio to service_role;

create policy "run audio is readable by anyone with the anon key"
  on public.benchmark_run_audio for select
  to anon, authenticated
  using (true);

-- PostgREST answers a function returning this domain with the raw bytes and
-- `Content-Type: audio/webm` when the request accepts audio/webm (a media type
-- handler): the browser gets the file itself, not bytea as a JSON hex string
-- twice its size.
create domain public."audio/webm" as bytea;

-- Security definer so it can read the column its callers may not select; one
-- run's recording, null when the run has none.
create function public.run_audio(run_id uuid) returns public."audio/webm"
language sql stable
security definer
set search_path = ''
as $$
  select a.audio::public."audio/webm" from public.benchmark_run_audio a
  where a.run_id = run_audio.run_id
$$;

comment on function public.run_audio(uuid) is
  'The recorded audio (WebM) of one run, as raw bytes with Accept: audio/webm; null when the run has none. The column itself is not selectable by clients.';

revoke all on function public.run_audio(uuid) from public, anon, authenticated;
grant execute on function public.run_audio(uuid) to anon, authenticated, service_role;
