import type { Database } from './database.types.ts';

type PublicSchema = Database['public'];

/** A table's row as the generated types describe it. */
export type TableRow<Name extends keyof PublicSchema['Tables']> =
  PublicSchema['Tables'][Name]['Row'];

/** A view's row as the generated types describe it. */
export type ViewRow<Name extends keyof PublicSchema['Views']> = PublicSchema['Views'][Name]['Row'];

/**
 * `row` with `columns` never null. Postgres reports an aggregate's result as
 * nullable, so the generated view rows make counts such as `runs` nullable
 * although `count(*)` never is; this says which ones are not.
 */
export type WithNonNull<Row, Columns extends keyof Row> = Omit<Row, Columns> & {
  [Column in Columns]: NonNullable<Row[Column]>;
};
