// The requests of the Kafka Connect pages (docs/connect.md).
import { z } from "zod";

/** A connector's name as Connect takes it: printable, no slashes, not "." or ".." (each would leave its URL path). */
export const connectorNameSchema = z
  .string()
  .trim()
  .min(1, { error: "required: the connector's name" })
  .max(200, { error: "at most 200 characters" })
  .regex(/^[^\u0000-\u001f\u007f/\\]+$/, { error: "must be printable, without / or \\" })
  .refine((name) => name !== "." && name !== "..", { error: 'must not be "." or ".."' });

export const connectNameInput = z.string().trim().min(1).max(63);

export const connectorRef = z.object({ connect: connectNameInput, connector: connectorNameSchema });
export type ConnectorRef = z.output<typeof connectorRef>;

export const restartInput = connectorRef.extend({
  /** Restart one task; absent: the connector and all its tasks (or only the failed ones). */
  task: z.number().int().min(0).max(10_000).optional(),
  onlyFailed: z.boolean().default(false),
});
export type RestartRequest = z.output<typeof restartInput>;

/** The most a connector's JSON may hold: configurations are a few kilobytes. */
export const CONNECTOR_JSON_MAX = 64 * 1024;

export const createConnectorInput = z.object({
  connect: connectNameInput,
  /** Connect's own create body `{"name": …, "config": {…}}`, or the config alone with its "name". */
  json: z.string().min(2).max(CONNECTOR_JSON_MAX, { error: `at most ${CONNECTOR_JSON_MAX / 1024} KiB of JSON` }),
});
export type CreateConnectorRequest = z.output<typeof createConnectorInput>;
