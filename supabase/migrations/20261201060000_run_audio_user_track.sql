-- Voice-mode runs (issue 15): the recording is stereo, the interviewer on the
-- left and the simulated user's microphone on the right; user_loudness is the
-- right channel's strip, as core/run-audio.ts defines it. Null for mono runs.
alter table public.benchmark_run_audio
  add column user_loudness smallint[]
    check (
      user_loudness is null
      or (
        coalesce(array_ndims(user_loudness), 1) = 1
        and cardinality(user_loudness) = ceil(duration_ms / 100.0)
        and array_position(user_loudness, null) is null
        and 0 <= all (user_loudness) and 100 >= all (user_loudness)
      )
    );

comment on column public.benchmark_run_audio.user_loudness is
  'Voice mode: loudness (0-100 per 100 ms) of the right channel, the simulated user''s microphone; null when the recording is mono.';

grant select (user_loudness) on table public.benchmark_run_audio to anon, authenticated;
