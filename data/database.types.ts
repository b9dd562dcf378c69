export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[];

export type Database = {
  public: {
    Tables: {
      benchmark_run_audio: {
        Row: {
          audio: string;
          byte_length: number;
          content_type: string;
          created_at: string;
          duration_ms: number;
          loudness: number[];
          run_id: string;
          segments: NonNullable<Json>;
          sha256: string;
          started_at: string;
          user_loudness: number[] | null;
        };
        ComputedFields: never;
        Insert: {
          audio: string;
          byte_length: number;
          content_type: string;
          created_at?: string;
          duration_ms: number;
          loudness: number[];
          run_id: string;
          segments: NonNullable<Json>;
          sha256: string;
          started_at: string;
          user_loudness?: number[] | null;
        };
        Update: {
          audio?: string;
          byte_length?: number;
          content_type?: string;
          created_at?: string;
          duration_ms?: number;
          loudness?: number[];
          run_id?: string;
          segments?: NonNullable<Json>;
          sha256?: string;
          started_at?: string;
          user_loudness?: number[] | null;
        };
        Relationships: [
          {
            foreignKeyName: 'benchmark_run_audio_run_id_fkey';
            columns: ['run_id'];
            isOneToOne: true;
            referencedRelation: 'benchmark_runs';
            referencedColumns: ['run_id'];
          },
        ];
      };
      benchmark_runs: {
        Row: {
          conversation_history: NonNullable<Json>;
          created_at: string;
          duration_ms: number | null;
          end_reason: string;
          event_log: NonNullable<Json>;
          interviewer_prompt: string;
          mode: string;
          num_turns: number | null;
          run_id: string;
          scenario_hash: string | null;
          simulated_user_prompt: string;
          transcript_tsv: unknown;
        };
        ComputedFields: never;
        Insert: {
          conversation_history: NonNullable<Json>;
          created_at?: string;
          duration_ms?: number | null;
          end_reason: string;
          event_log: NonNullable<Json>;
          interviewer_prompt: string;
          mode: string;
          num_turns?: never;
          run_id: string;
          scenario_hash?: string | null;
          simulated_user_prompt: string;
          transcript_tsv?: never;
        };
        Update: {
          conversation_history?: NonNullable<Json>;
          created_at?: string;
          duration_ms?: number | null;
          end_reason?: string;
          event_log?: NonNullable<Json>;
          interviewer_prompt?: string;
          mode?: string;
          num_turns?: never;
          run_id?: string;
          scenario_hash?: string | null;
          simulated_user_prompt?: string;
          transcript_tsv?: never;
        };
        Relationships: [
          {
            foreignKeyName: 'benchmark_runs_scenario_hash_fkey';
            columns: ['scenario_hash'];
            isOneToOne: false;
            referencedRelation: 'benchmark_scenario_versions';
            referencedColumns: ['scenario_hash'];
          },
          {
            foreignKeyName: 'benchmark_runs_scenario_hash_fkey';
            columns: ['scenario_hash'];
            isOneToOne: false;
            referencedRelation: 'benchmark_scenarios';
            referencedColumns: ['scenario_hash'];
          },
        ];
      };
      benchmark_scenarios: {
        Row: {
          content: NonNullable<Json>;
          created_at: string;
          from_file: boolean;
          name: string;
          scenario_hash: string;
        };
        ComputedFields: never;
        Insert: {
          content: NonNullable<Json>;
          created_at?: string;
          from_file?: boolean;
          name: string;
          scenario_hash: string;
        };
        Update: {
          content?: NonNullable<Json>;
          created_at?: string;
          from_file?: boolean;
          name?: string;
          scenario_hash?: string;
        };
        Relationships: [];
      };
      openai_usage: {
        Row: {
          requests: number;
          scope: string;
          usd: number;
          window_kind: string;
          window_start: string;
        };
        ComputedFields: never;
        Insert: {
          requests?: number;
          scope: string;
          usd?: number;
          window_kind: string;
          window_start: string;
        };
        Update: {
          requests?: number;
          scope?: string;
          usd?: number;
          window_kind?: string;
          window_start?: string;
        };
        Relationships: [];
      };
      run_judgements: {
        Row: {
          error: string | null;
          judge_model: string;
          judged_at: string;
          judgement_id: string;
          overall_score: number | null;
          rubric_hash: string;
          run_id: string;
          scores: NonNullable<Json>;
          status: string;
          summary: string | null;
        };
        ComputedFields: never;
        Insert: {
          error?: string | null;
          judge_model: string;
          judged_at?: string;
          judgement_id?: string;
          overall_score?: number | null;
          rubric_hash: string;
          run_id: string;
          scores?: NonNullable<Json>;
          status: string;
          summary?: string | null;
        };
        Update: {
          error?: string | null;
          judge_model?: string;
          judged_at?: string;
          judgement_id?: string;
          overall_score?: number | null;
          rubric_hash?: string;
          run_id?: string;
          scores?: NonNullable<Json>;
          status?: string;
          summary?: string | null;
        };
        Relationships: [
          {
            foreignKeyName: 'run_judgements_run_id_fkey';
            columns: ['run_id'];
            isOneToOne: false;
            referencedRelation: 'benchmark_runs';
            referencedColumns: ['run_id'];
          },
        ];
      };
      run_metrics: {
        Row: {
          checks: NonNullable<Json>;
          checks_passed: number;
          checks_total: number;
          computed_at: string;
          cost_usd: number | null;
          created_at: string;
          false_end_of_turns: number | null;
          first_audio_p50_ms: number | null;
          first_audio_p95_ms: number | null;
          first_text_p50_ms: number | null;
          first_text_p95_ms: number | null;
          interviewer_model: string | null;
          interviewer_turns: number;
          latest_judge_score: number | null;
          metrics_version: number;
          missed_end_of_turns: number | null;
          pricing_version: string;
          responses_cancelled: number;
          responses_completed: number;
          responses_failed: number;
          responses_incomplete: number;
          responses_without_usage: number;
          run_id: string;
          scenario_hash: string | null;
          simulated_user_model: string | null;
          tokens: NonNullable<Json>;
          total_tokens: number;
          voice_to_voice_p50_ms: number | null;
          voice_to_voice_p95_ms: number | null;
          wer: number | null;
          wer_errors: number | null;
          wer_words: number | null;
        };
        ComputedFields: never;
        Insert: {
          checks?: NonNullable<Json>;
          checks_passed?: number;
          checks_total?: number;
          computed_at?: string;
          cost_usd?: number | null;
          created_at: string;
          false_end_of_turns?: number | null;
          first_audio_p50_ms?: number | null;
          first_audio_p95_ms?: number | null;
          first_text_p50_ms?: number | null;
          first_text_p95_ms?: number | null;
          interviewer_model?: string | null;
          interviewer_turns: number;
          latest_judge_score?: number | null;
          metrics_version: number;
          missed_end_of_turns?: number | null;
          pricing_version: string;
          responses_cancelled?: number;
          responses_completed?: number;
          responses_failed?: number;
          responses_incomplete?: number;
          responses_without_usage?: number;
          run_id: string;
          scenario_hash?: string | null;
          simulated_user_model?: string | null;
          tokens: NonNullable<Json>;
          total_tokens: number;
          voice_to_voice_p50_ms?: number | null;
          voice_to_voice_p95_ms?: number | null;
          wer?: number | null;
          wer_errors?: number | null;
          wer_words?: number | null;
        };
        Update: {
          checks?: NonNullable<Json>;
          checks_passed?: number;
          checks_total?: number;
          computed_at?: string;
          cost_usd?: number | null;
          created_at?: string;
          false_end_of_turns?: number | null;
          first_audio_p50_ms?: number | null;
          first_audio_p95_ms?: number | null;
          first_text_p50_ms?: number | null;
          first_text_p95_ms?: number | null;
          interviewer_model?: string | null;
          interviewer_turns?: number;
          latest_judge_score?: number | null;
          metrics_version?: number;
          missed_end_of_turns?: number | null;
          pricing_version?: string;
          responses_cancelled?: number;
          responses_completed?: number;
          responses_failed?: number;
          responses_incomplete?: number;
          responses_without_usage?: number;
          run_id?: string;
          scenario_hash?: string | null;
          simulated_user_model?: string | null;
          tokens?: NonNullable<Json>;
          total_tokens?: number;
          voice_to_voice_p50_ms?: number | null;
          voice_to_voice_p95_ms?: number | null;
          wer?: number | null;
          wer_errors?: number | null;
          wer_words?: number | null;
        };
        Relationships: [
          {
            foreignKeyName: 'run_metrics_run_id_fkey';
            columns: ['run_id'];
            isOneToOne: true;
            referencedRelation: 'benchmark_runs';
            referencedColumns: ['run_id'];
          },
          {
            foreignKeyName: 'run_metrics_scenario_hash_fkey';
            columns: ['scenario_hash'];
            isOneToOne: false;
            referencedRelation: 'benchmark_scenario_versions';
            referencedColumns: ['scenario_hash'];
          },
          {
            foreignKeyName: 'run_metrics_scenario_hash_fkey';
            columns: ['scenario_hash'];
            isOneToOne: false;
            referencedRelation: 'benchmark_scenarios';
            referencedColumns: ['scenario_hash'];
          },
        ];
      };
    };
    Views: {
      benchmark_comparison: {
        Row: {
          interviewer_model: string | null;
          judged_runs: number | null;
          last_run_at: string | null;
          mean_cost_usd: number | null;
          mean_judge_score: number | null;
          mean_tokens: number | null;
          median_first_audio_p50_ms: number | null;
          median_first_audio_p95_ms: number | null;
          median_voice_to_voice_p50_ms: number | null;
          median_voice_to_voice_p95_ms: number | null;
          pass_rate: number | null;
          runs: number | null;
          runs_with_checks: number | null;
          scenario_hash: string | null;
          scenario_name: string | null;
          simulated_user_model: string | null;
          unpriced_runs: number | null;
          voice_runs: number | null;
          wer: number | null;
        };
        ComputedFields: never;
        Relationships: [
          {
            foreignKeyName: 'run_metrics_scenario_hash_fkey';
            columns: ['scenario_hash'];
            isOneToOne: false;
            referencedRelation: 'benchmark_scenario_versions';
            referencedColumns: ['scenario_hash'];
          },
          {
            foreignKeyName: 'run_metrics_scenario_hash_fkey';
            columns: ['scenario_hash'];
            isOneToOne: false;
            referencedRelation: 'benchmark_scenarios';
            referencedColumns: ['scenario_hash'];
          },
        ];
      };
      benchmark_daily: {
        Row: {
          day: string | null;
          interviewer_model: string | null;
          mean_cost_usd: number | null;
          median_first_audio_p50_ms: number | null;
          median_voice_to_voice_p50_ms: number | null;
          pass_rate: number | null;
          runs: number | null;
          scenario_name: string;
          simulated_user_model: string | null;
          voice_runs: number | null;
          wer: number | null;
        };
        ComputedFields: never;
        Relationships: [];
      };
      benchmark_scenario_versions: {
        Row: {
          content: NonNullable<Json>;
          created_at: string;
          from_file: boolean;
          last_run_at: string | null;
          name: string;
          scenario_hash: string;
        };
        ComputedFields: never;
        Relationships: [];
      };
    };
    Functions: {
      openai_admit: {
        Args: {
          p_caller: string;
          p_limits: Json;
          p_now?: string;
          p_requests: number;
          p_usd: number;
        };
        Returns: {
          admitted: boolean;
          limit_kind: string;
          limit_value: number;
          retry_after_seconds: number;
          scope: string;
          window_kind: string;
        }[];
      };
      run_audio: { Args: { run_id: string }; Returns: unknown };
      run_event_log: { Args: { run_id: string }; Returns: Json };
      schema_versions: { Args: Record<PropertyKey, never>; Returns: string[] };
    };
    Enums: {
      [_ in never]: never;
    };
    CompositeTypes: {
      [_ in never]: never;
    };
  };
};

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>;

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, 'public'>];

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema['Tables'] & DefaultSchema['Views'])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Views'])
    : never = never,
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Views'])[TableName] extends {
      Row: infer R;
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema['Tables'] & DefaultSchema['Views'])
    ? (DefaultSchema['Tables'] & DefaultSchema['Views'])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R;
      }
      ? R
      : never
    : never;

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema['Tables']
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables']
    : never = never,
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'][TableName] extends {
      Insert: infer I;
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema['Tables']
    ? DefaultSchema['Tables'][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I;
      }
      ? I
      : never
    : never;

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema['Tables']
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables']
    : never = never,
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions['schema']]['Tables'][TableName] extends {
      Update: infer U;
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema['Tables']
    ? DefaultSchema['Tables'][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U;
      }
      ? U
      : never
    : never;

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema['Enums']
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions['schema']]['Enums']
    : never = never,
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions['schema']]['Enums'][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema['Enums']
    ? DefaultSchema['Enums'][DefaultSchemaEnumNameOrOptions]
    : never;

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema['CompositeTypes']
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals;
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions['schema']]['CompositeTypes']
    : never = never,
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions['schema']]['CompositeTypes'][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema['CompositeTypes']
    ? DefaultSchema['CompositeTypes'][PublicCompositeTypeNameOrOptions]
    : never;

export const Constants = {
  public: {
    Enums: {},
  },
} as const;
