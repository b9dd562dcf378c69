import { performance } from 'node:perf_hooks';
import type { Sql } from 'postgres';

/** Sentences the seeded transcripts are made of; one in a thousand runs mentions a rare phrase. */
const INTERVIEWER_LINES = [
  'What do you use today to plan your week?',
  'Tell me about the last time a plan fell apart.',
  'What do you wish your current tool did better?',
  'How do you share plans with the people around you?',
  'How much time do you spend planning each week?',
];
const USER_LINES = [
  'Mostly a paper notebook and a shared calendar, honestly.',
  'A deadline moved and nothing I had written down adapted.',
  'I wish it reminded me at the right moment instead of all at once.',
  'I send screenshots to my partner, which is clumsy but works.',
  'Maybe half an hour on Sunday evening and a few minutes each morning.',
  'My team uses a kanban board but I never look at it.',
  'I keep reminders on sticky notes around the monitor.',
];
export const RARE_PHRASE = 'blue hippopotamus';

const sqlArray = (lines: string[]) =>
  `array[${lines.map((l) => `'${l.replaceAll("'", "''")}'`).join(', ')}]`;

/**
 * Inserts `count` runs, newest first from now back about a year, in one
 * statement per batch. Each run has six turns and a short event log: the
 * shape of a real run, small enough to seed a million quickly.
 */
export async function seedRuns(
  sql: Sql,
  count: number,
  batch: number,
  offset: number,
): Promise<void> {
  await sql.unsafe(`
    insert into public.benchmark_runs
      (run_id, created_at, mode, conversation_history, event_log,
       interviewer_prompt, simulated_user_prompt, end_reason)
    select gen_random_uuid(),
           start_at,
           'benchmark',
           (select jsonb_agg(jsonb_build_object(
                     'speaker', case when t % 2 = 0 then 'interviewer' else 'simulated_user' end,
                     'content', case
                       when t % 2 = 0 then (${sqlArray(INTERVIEWER_LINES)})[1 + (i + t) % ${INTERVIEWER_LINES.length}]
                       when t = 3 and i % 1000 = 0 then 'I once drew a ${RARE_PHRASE} on my planner.'
                       else (${sqlArray(USER_LINES)})[1 + (i * 7 + t) % ${USER_LINES.length}] end,
                     'timestamp', start_at + (t * 1.1 + 0.8) * interval '1 second')
                   order by t)
              from generate_series(0, 5) as t),
           jsonb_build_array(
             jsonb_build_object('direction', 'system', 'timestamp', start_at, 'event', jsonb_build_object('type', 'run.started')),
             jsonb_build_object('direction', 'client', 'timestamp', start_at, 'event', jsonb_build_object('type', 'response.create')),
             jsonb_build_object('direction', 'server', 'timestamp', start_at + interval '0.7 second',
               'event', jsonb_build_object('type', 'response.done', 'response', jsonb_build_object('status', 'completed'))),
             jsonb_build_object('direction', 'system', 'timestamp', start_at + interval '7 second', 'event', jsonb_build_object('type', 'run.ended'))),
           'You are a friendly user researcher.',
           'You are Sam, a nurse.',
           (array['termination_cue', 'termination_cue', 'termination_cue', 'user_ended', 'max_turns', 'error'])[1 + i % 6]
    from (
      select i, now() - (i * interval '31 seconds') as start_at
      from generate_series(${offset}, ${offset + Math.min(batch, count) - 1}) as i
    ) as runs`);
}

/** One run with `events` events and `turns` turns, for measuring the detail page. */
export async function seedLargeRun(
  sql: Sql,
  runId: string,
  events: number,
  turns: number,
): Promise<void> {
  await sql.unsafe(`
    insert into public.benchmark_runs
      (run_id, created_at, mode, conversation_history, event_log,
       interviewer_prompt, simulated_user_prompt, end_reason)
    values (
      '${runId}', now() - interval '400 days', 'benchmark',
      (select jsonb_agg(jsonb_build_object(
                'speaker', case when t % 2 = 0 then 'interviewer' else 'simulated_user' end,
                'content', 'Turn ' || t || ': ' || repeat('words of the conversation ', 8),
                'timestamp', now() - interval '400 days' + t * interval '2 seconds') order by t)
         from generate_series(0, ${turns - 1}) as t),
      (select jsonb_agg(jsonb_build_object(
                'direction', case when e % 10 = 0 then 'client' else 'server' end,
                'timestamp', now() - interval '400 days' + e * interval '5 milliseconds',
                'event', jsonb_build_object(
                  'type', case when e % 10 = 0 then 'response.create' else 'response.output_audio_transcript.delta' end,
                  'event_id', 'event_' || e, 'response_id', 'resp_' || (e / 100), 'delta', 'word ')) order by e)
         from generate_series(0, ${events - 1}) as e),
      'You are a friendly user researcher.', 'You are Sam, a nurse.', 'termination_cue')
    on conflict (run_id) do nothing`);
}

/**
 * Tops `public.benchmark_runs` up to `target` seeded runs (rows other than
 * `except`), 50,000 per statement, and analyzes the table after. A database
 * already that large is left alone, so benchmarks can share one.
 */
export async function seedRunsUpTo(
  sql: Sql,
  target: number,
  options: { except?: string; log?: (line: string) => void } = {},
): Promise<void> {
  const log = options.log ?? ((line: string) => console.log(line));
  const [{ n: existing }] = (await sql`select count(*)::int as n from public.benchmark_runs
    where run_id <> ${options.except ?? '00000000-0000-0000-0000-000000000000'}`) as unknown as [
    { n: number },
  ];
  if (existing >= target) return;
  log(`seeding ${(target - existing).toLocaleString('en')} runs …`);
  const started = performance.now();
  for (let offset = existing; offset < target; offset += 50_000) {
    await seedRuns(sql, target - offset, 50_000, offset);
    process.stdout.write(`\r  ${Math.min(offset + 50_000, target).toLocaleString('en')} runs`);
  }
  await sql`analyze public.benchmark_runs`;
  log(`\n  seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
