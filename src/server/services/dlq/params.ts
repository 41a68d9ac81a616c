// What a redrive job is asked to do. The records themselves are not in the parameters: they are the
// job's claims in PostgreSQL (DlqMessageState rows with the job's key), made before the job exists.
import { z } from "zod";

export const DEFAULT_ATTEMPT_CAP = 3;

export const redriveJobParamsSchema = z.object({
  dlqTopic: z.string().min(1),
  /** Where copies go; null: each record's original topic, from its headers (or `fallbackTopic`). */
  targetTopic: z.string().min(1).nullable(),
  /** The source topic entered by the user for records whose headers do not name one. */
  fallbackTopic: z.string().min(1).nullable().default(null),
  /** A record redriven this many times already goes to the parking lot instead. */
  attemptCap: z.number().int().positive().max(1000).default(DEFAULT_ATTEMPT_CAP),
  parkingTopic: z.string().min(1),
  /** Records per second; none when null. */
  ratePerSec: z.number().positive().max(1_000_000).nullable().default(null),
  /** How many records were claimed when the job was created. */
  count: z.number().int().nonnegative(),
});

export type RedriveJobParams = z.output<typeof redriveJobParamsSchema>;

/** The parking lot of a DLQ topic, unless configured: `<dlq>.parking-lot`. */
export function parkingTopicFor(dlqTopic: string): string {
  return `${dlqTopic}.parking-lot`;
}
