// OUTBOX_MONITORS: the transactional outbox tables Signalbox watches (docs/outbox.md). A JSON list;
// each names a read-only PostgreSQL connection, the table, and the columns that say when a row was
// written and (optionally) when the relay published it.
import { z } from "zod";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;
const identifier = (what: string) => z.string().regex(IDENTIFIER, { error: `${what} must be a plain SQL identifier (letters, digits, _ and $; at most 63 characters)` });

export const outboxMonitorSchema = z.object({
  /** Shown on the page and in alerts; OUTBOX_STALLED rules match it. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: "name must be 1 to 64 letters, digits, '.', '_' or '-'" }),
  /** The Kafka cluster its relay publishes to; the default cluster when left out. */
  cluster: z.string().min(1).max(100).optional(),
  /** A PostgreSQL URL. Signalbox only reads: every session is read-only, with a statement timeout. */
  url: z
    .string()
    .max(2000)
    .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), { error: "url must be a postgresql:// URL" }),
  /** `schema.table` or `table` (the connection's search path). */
  table: z.string().refine((value) => value.split(".").length <= 2 && value.split(".").every((part) => IDENTIFIER.test(part)), { error: "table must be table or schema.table, plain SQL identifiers" }),
  createdColumn: identifier("createdColumn").default("created_at"),
  /**
   * Set when the relay marks rows published (a timestamp column, null until published). Left out
   * when the relay deletes what it published (or a CDC connector such as Debezium reads the log):
   * then every row in the table is waiting, and the publish rate comes from PostgreSQL's statistics.
   */
  publishedColumn: identifier("publishedColumn").nullable().default(null),
  /** The relay counts as stalled when the oldest waiting row is older than this. */
  stallAfterSeconds: z.number().int().min(1).max(86_400).default(60),
});

export type OutboxMonitorConfig = z.infer<typeof outboxMonitorSchema>;

export const outboxMonitorsSchema = z
  .string()
  .max(50_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `not JSON: ${(error as Error).message}` });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(outboxMonitorSchema)
      .max(50)
      .refine((list) => new Set(list.map((m) => m.name)).size === list.length, { error: "each outbox monitor needs its own name" }),
  );
