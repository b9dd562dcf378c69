import type { GroupFigures } from '@core/statistics.ts';
import type { AppSupabaseClient } from './client.ts';
import type { ViewRow, WithNonNull } from './rows.ts';

const DAILY_COLUMNS =
  'day, interviewer_model, simulated_user_model, runs, pass_rate, median_first_audio_p50_ms, mean_cost_usd, voice_runs, median_voice_to_voice_p50_ms, wer';

/** A row of `benchmark_daily`: some of a group's figures (statistics.ts), per UTC day. */
export type DailyRow = WithNonNull<
  Pick<
    ViewRow<'benchmark_daily'>,
    | 'day'
    | 'interviewer_model'
    | 'simulated_user_model'
    | 'runs'
    | 'pass_rate'
    | 'median_first_audio_p50_ms'
    | 'mean_cost_usd'
    | 'voice_runs'
    | 'median_voice_to_voice_p50_ms'
    | 'wer'
  >,
  'day' | 'runs' | 'voice_runs'
>;

/** One scenario's days since `from` (YYYY-MM-DD), oldest first, aggregated by Postgres. */
export async function getDaily(
  client: AppSupabaseClient,
  scenarioName: string,
  from: string,
): Promise<DailyRow[]> {
  const { data, error } = await client
    .from('benchmark_daily')
    .select(DAILY_COLUMNS)
    .eq('scenario_name', scenarioName)
    .gte('day', from)
    .order('day')
    .limit(5000);
  if (error) throw new Error(error.message);
  return data as DailyRow[] satisfies Pick<
    GroupFigures,
    'runs' | 'pass_rate' | 'voice_runs' | 'median_voice_to_voice_p50_ms' | 'wer'
  >[];
}

export const modelsLabel = (row: {
  interviewer_model: string | null;
  simulated_user_model: string | null;
}) => `${row.interviewer_model ?? 'no model'} + ${row.simulated_user_model ?? 'no model'}`;

/** Rows → one point per day with a value per model pair, as a chart wants them. */
export function pivot(
  rows: readonly DailyRow[],
  value: (row: DailyRow) => number | null,
): { series: string[]; points: Array<Record<string, string | number | null>> } {
  const series = [...new Set(rows.map(modelsLabel))];
  const byDay = new Map<string, Record<string, string | number | null>>();
  for (const row of rows) {
    const point = byDay.get(row.day) ?? { day: row.day };
    point[modelsLabel(row)] = value(row);
    byDay.set(row.day, point);
  }
  return { series, points: [...byDay.values()] };
}
