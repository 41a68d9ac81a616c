// Size and row count of every table of a database's own schemas (Signalbox's and pg-boss's), for
// benchmarks that watch what grows.
import type pg from "pg";

export interface TableSize {
  /** "Table", or "schema.table" outside the public schema. */
  name: string;
  rows: number;
  /** pg_total_relation_size: the table, its TOAST data and its indexes. */
  bytes: number;
}

export async function tableSizes(client: pg.Client): Promise<TableSize[]> {
  const { rows: tables } = await client.query<{ schema: string; table: string; bytes: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, pg_total_relation_size(c.oid) AS bytes
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     ORDER BY n.nspname, c.relname`,
  );
  const sizes: TableSize[] = [];
  for (const t of tables) {
    // Exact counts (not the planner's estimate): the tables here are small enough, and growth is the point.
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${t.schema.replace(/"/g, '""')}"."${t.table.replace(/"/g, '""')}"`);
    sizes.push({ name: t.schema === "public" ? t.table : `${t.schema}.${t.table}`, rows: Number(rows[0]!.n), bytes: Number(t.bytes) });
  }
  return sizes;
}
