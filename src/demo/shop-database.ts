// The demo shop's own database: order-service's orders and its transactional outbox. It is a
// customer's application database, not Signalbox's catalog, so it talks to PostgreSQL with `pg`
// directly (an exception in eslint.config.mjs) and lives in its own database (DEMO_SHOP_DATABASE_URL).
//
// The outbox table has the shape Debezium's outbox event router expects (id, aggregatetype,
// aggregateid, type, payload), plus created_at and published_at for the polling relay here: a row
// is unpublished while published_at is null. Signalbox's outbox monitor reads the same table.
import pg from "pg";
import type { EventEnvelope } from "~/lib/envelope";

export const SHOP_SCHEMA = "shop";
export const OUTBOX_TABLE = `${SHOP_SCHEMA}.outbox`;

const DDL = `
CREATE SCHEMA IF NOT EXISTS ${SHOP_SCHEMA};
CREATE TABLE IF NOT EXISTS ${SHOP_SCHEMA}.orders (
  id text PRIMARY KEY,
  customer_id text,
  total numeric(12, 2),
  currency text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} (
  id uuid PRIMARY KEY,
  aggregatetype varchar(255) NOT NULL,
  aggregateid varchar(255) NOT NULL,
  type varchar(255) NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_unpublished ON ${OUTBOX_TABLE} (created_at, id) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_published ON ${OUTBOX_TABLE} (published_at) WHERE published_at IS NOT NULL;
`;

export interface OutboxRow {
  id: string;
  aggregatetype: string;
  aggregateid: string;
  type: string;
  payload: EventEnvelope;
}

export interface OrderRow {
  id: string;
  customerId: string | null;
  total: number | null;
  currency: string;
}

export interface ShopDatabase {
  /** The order and its OrderPlaced in one transaction: either both are stored or neither. */
  placeOrder(order: OrderRow, event: EventEnvelope): Promise<void>;
  /** Cancels an order not cancelled yet, with its event in the same transaction; false when it was already cancelled (a redelivery). */
  cancelOrder(orderId: string, event: EventEnvelope): Promise<boolean>;
  /**
   * Takes up to `limit` unpublished rows in creation order, hands them to `publish`, and marks them
   * published in the same transaction. Rows stay locked (SKIP LOCKED) so two relays never take the
   * same row; if `publish` throws, nothing is marked and the rows are taken again next time.
   */
  relayBatch(limit: number, publish: (rows: OutboxRow[]) => Promise<void>): Promise<number>;
  /** Deletes published outbox rows and finished orders older than `olderThanMs`, so the tables stay bounded. */
  prune(olderThanMs: number): Promise<number>;
  /** Every order with its status, and how many outbox rows are still unpublished (for tests and the demo's own report). */
  state(): Promise<{ orders: { id: string; status: string }[]; unpublished: number }>;
  close(): Promise<void>;
}

export async function openShopDatabase(connectionString: string): Promise<ShopDatabase> {
  const pool = new pg.Pool({ connectionString, max: 4, application_name: "demo-shop" });
  // An idle client that loses its server (PostgreSQL restarted) must not crash the demo.
  pool.on("error", () => undefined);
  await pool.query(DDL);

  async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  const insertOutbox = (client: pg.PoolClient, aggregateType: string, aggregateId: string, event: EventEnvelope) =>
    client.query(`INSERT INTO ${OUTBOX_TABLE} (id, aggregatetype, aggregateid, type, payload) VALUES ($1, $2, $3, $4, $5)`, [event.eventId, aggregateType, aggregateId, event.eventType, JSON.stringify(event)]);

  return {
    placeOrder: (order, event) =>
      inTransaction(async (client) => {
        await client.query(`INSERT INTO ${SHOP_SCHEMA}.orders (id, customer_id, total, currency, status) VALUES ($1, $2, $3, $4, 'PLACED')`, [order.id, order.customerId, order.total, order.currency]);
        await insertOutbox(client, "order", order.id, event);
      }),
    cancelOrder: (orderId, event) =>
      inTransaction(async (client) => {
        const updated = await client.query(`UPDATE ${SHOP_SCHEMA}.orders SET status = 'CANCELLED', updated_at = now() WHERE id = $1 AND status <> 'CANCELLED'`, [orderId]);
        if (updated.rowCount === 0) return false;
        await insertOutbox(client, "order", orderId, event);
        return true;
      }),
    relayBatch: (limit, publish) =>
      inTransaction(async (client) => {
        const { rows } = await client.query<OutboxRow>(
          `SELECT id, aggregatetype, aggregateid, type, payload FROM ${OUTBOX_TABLE} WHERE published_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [limit],
        );
        if (rows.length === 0) return 0;
        await publish(rows);
        await client.query(`UPDATE ${OUTBOX_TABLE} SET published_at = now() WHERE id = ANY($1::uuid[])`, [rows.map((r) => r.id)]);
        return rows.length;
      }),
    async prune(olderThanMs) {
      const cutoff = new Date(Date.now() - olderThanMs);
      const outbox = await pool.query(`DELETE FROM ${OUTBOX_TABLE} WHERE published_at < $1`, [cutoff]);
      const orders = await pool.query(`DELETE FROM ${SHOP_SCHEMA}.orders WHERE updated_at < $1`, [cutoff]);
      return (outbox.rowCount ?? 0) + (orders.rowCount ?? 0);
    },
    async state() {
      const orders = await pool.query<{ id: string; status: string }>(`SELECT id, status FROM ${SHOP_SCHEMA}.orders ORDER BY created_at`);
      const unpublished = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${OUTBOX_TABLE} WHERE published_at IS NULL`);
      return { orders: orders.rows, unpublished: unpublished.rows[0]!.n };
    },
    close: () => pool.end(),
  };
}
