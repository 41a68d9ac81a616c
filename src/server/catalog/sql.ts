// Pieces of SQL that Kysely's builder has no word for, typed, for the catalog's Kysely statements.
import "server-only";
import { sql, type AliasedRawBuilder, type Expression, type RawBuilder } from "kysely";

/** The PostgreSQL array types a column can be sent as. */
export type ArrayType = "text[]" | "int[]" | "bigint[]" | "float8[]" | "timestamp[]";

/** One column of `unnestRows`: its values, and the array type PostgreSQL reads them as. */
export interface ArrayColumn<T> {
  type: ArrayType;
  values: readonly T[];
}

/**
 * Rows sent as one array per column and unnested by PostgreSQL, as a row source named `alias`: any
 * number of rows is a fixed number of bind parameters (PostgreSQL allows 65,535), and pg sends each
 * array as one value. Timestamps go as ISO strings (see `utc`).
 */
export function unnestRows<R extends Record<string, unknown>, A extends string>(columns: { [K in keyof R]: ArrayColumn<R[K]> }, alias: A): AliasedRawBuilder<R, A> {
  const names = Object.keys(columns) as (keyof R & string)[];
  const arrays = names.map((name) => sql`${columns[name].values}::${sql.raw(columns[name].type)}`);
  return sql<R>`(SELECT * FROM unnest(${sql.join(arrays)}) AS u(${sql.join(names.map((n) => sql.id(n)))}))`.as(alias);
}

/**
 * A timestamp parameter. The columns hold UTC without a zone, as Prisma writes them; a Date given to
 * pg directly would be sent in the process's time zone, and PostgreSQL would drop the offset.
 */
export function utc(at: Date | number): RawBuilder<Date> {
  return sql<Date>`${new Date(at).toISOString()}::timestamp`;
}

/** The current time, as the columns hold it. */
export const nowUtc = sql<Date>`(now() AT TIME ZONE 'UTC')`;

/** A timestamp (a column's name, or an expression such as min(...)) as epoch milliseconds: float8, so pg returns a number. */
export function epochMs<T extends number | null = number>(timestamp: string | Expression<Date | null>): RawBuilder<T> {
  return sql<T>`(extract(epoch FROM ${typeof timestamp === "string" ? sql.ref(timestamp) : timestamp}) * 1000)::float8`;
}
