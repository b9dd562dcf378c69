import type { RunAudio } from '@core/run-audio.ts';
import type { Sql } from 'postgres';
import { isDataError } from '../_shared/db-errors.ts';

/** What is stored for a run's audio, as the function answers it. */
export interface StoredAudio {
  run_id: string;
  byte_length: number;
  sha256: string;
  created_at: string;
}

export type SaveAudioOutcome =
  | ({ kind: 'created' | 'duplicate' } & StoredAudio)
  | { kind: 'conflict'; run_id: string }
  | { kind: 'run_not_found'; run_id: string };

export interface AudioStore {
  /**
   * Stores a run's audio (`audio.audio` is the validated base64). Idempotent
   * per run_id: the same content again is a duplicate, other content a
   * conflict and nothing is overwritten. The run must be stored first.
   */
  save(audio: RunAudio): Promise<SaveAudioOutcome>;
}

/** A database error caused by the row itself (bad data), not by the database being unreachable. */
export class AudioRejectedError extends Error {}
export class StoreUnavailableError extends Error {}

interface OutcomeRow {
  kind: 'created' | 'duplicate' | 'conflict' | 'run_not_found';
  run_id: string;
  byte_length: number | null;
  sha256: string | null;
  created_at: Date | null;
}

/**
 * Writes through postgres.js as `service_role`, in one statement. The audio
 * goes to Postgres as the base64 text the client sent and is decoded there
 * (postgres.js would send a bytea parameter as hex, twice the bytes), and
 * Postgres derives byte_length and sha256 from the decoded bytes, so the
 * function never holds a decoded copy.
 */
export function createPostgresAudioStore(sql: Sql): AudioStore {
  return {
    async save(audio) {
      const loudness = `{${audio.loudness.join(',')}}`;
      const userLoudness = audio.user_loudness ? `{${audio.user_loudness.join(',')}}` : null;
      const segments = JSON.stringify(audio.segments);
      try {
        const rows = await sql.begin(async (tx) => {
          await tx`set local role service_role`;
          // The outer selects see the table as it was before the insert: a row
          // they find is one stored earlier, compared with what was sent.
          return tx<OutcomeRow[]>`
            with input as materialized (
              select decode(${audio.audio}::text, 'base64') as bytes
            ), sent as materialized (
              select bytes, octet_length(bytes) as byte_length,
                     encode(sha256(bytes), 'hex') as sha256,
                     ${audio.run_id}::uuid as run_id,
                     ${audio.content_type}::text as content_type,
                     ${audio.started_at}::timestamptz as started_at,
                     ${audio.duration_ms}::integer as duration_ms,
                     ${loudness}::smallint[] as loudness,
                     ${userLoudness}::smallint[] as user_loudness,
                     ${segments}::text::jsonb as segments
              from input
            ), inserted as (
              insert into public.benchmark_run_audio (
                run_id, content_type, started_at, duration_ms, byte_length, sha256,
                loudness, user_loudness, segments, audio
              )
              select s.run_id, s.content_type, s.started_at, s.duration_ms, s.byte_length,
                     s.sha256, s.loudness, s.user_loudness, s.segments, s.bytes
              from sent s
              where exists (select 1 from public.benchmark_runs r where r.run_id = s.run_id)
                and not exists (
                  select 1 from public.benchmark_run_audio a where a.run_id = s.run_id
                )
              on conflict (run_id) do nothing
              returning run_id, byte_length, sha256, created_at
            )
            select 'created' as kind, i.run_id, i.byte_length, i.sha256, i.created_at
            from inserted i
            union all
            select case
                     when a.sha256 = s.sha256
                      and a.content_type = s.content_type
                      and a.started_at = s.started_at
                      and a.duration_ms = s.duration_ms
                      and a.loudness = s.loudness
                      and a.user_loudness is not distinct from s.user_loudness
                      and a.segments = s.segments
                     then 'duplicate' else 'conflict'
                   end,
                   a.run_id, a.byte_length, a.sha256, a.created_at
            from public.benchmark_run_audio a join sent s on a.run_id = s.run_id
            union all
            select 'run_not_found', s.run_id, null, null, null
            from sent s
            where not exists (select 1 from public.benchmark_runs r where r.run_id = s.run_id)`;
        });
        const row = rows[0];
        // A concurrent save of the same run committed between this statement's
        // snapshot and its insert: neither inserted nor seen. A retry sees it.
        if (!row) throw new StoreUnavailableError('audio neither inserted nor found; retry');
        if (row.kind === 'conflict' || row.kind === 'run_not_found') {
          return { kind: row.kind, run_id: row.run_id };
        }
        return {
          kind: row.kind,
          run_id: row.run_id,
          byte_length: row.byte_length as number,
          sha256: row.sha256 as string,
          created_at: (row.created_at as Date).toISOString(),
        };
      } catch (error) {
        // The run was deleted between the statement's check and its insert.
        if ((error as { code?: unknown } | null)?.code === '23503') {
          return { kind: 'run_not_found', run_id: audio.run_id };
        }
        throw classify(error);
      }
    },
  };
}

function classify(error: unknown): Error {
  if (error instanceof StoreUnavailableError) return error;
  if (isDataError(error)) return new AudioRejectedError((error as Error).message);
  return new StoreUnavailableError(error instanceof Error ? error.message : String(error));
}
