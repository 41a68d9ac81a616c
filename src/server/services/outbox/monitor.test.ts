import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import type { OutboxReading } from "~/server/outbox/reader";
import { monitorsOf, OutboxWatcher, outboxStatus, publishRate } from "./monitor";

const monitors = (list: object[]) => parseEnv({ KAFKA_BROKERS: "127.0.0.1:9092", KAFKA_CLUSTER_NAME: "main", DATABASE_URL: "postgresql://x@127.0.0.1/db", OUTBOX_MONITORS: JSON.stringify(list) });
const shop = { name: "shop", url: "postgresql://reader:secret@db.internal:5432/shop", table: "shop.outbox", publishedColumn: "published_at", stallAfterSeconds: 30 };

describe("outboxStatus", () => {
  it("is STALLED only when rows wait and the oldest is older than the monitor allows", () => {
    expect(outboxStatus({ unpublished: 500, oldestAgeMs: 29_000 }, 30)).toBe("OK");
    expect(outboxStatus({ unpublished: 1, oldestAgeMs: 30_001 }, 30)).toBe("STALLED");
    expect(outboxStatus({ unpublished: 0, oldestAgeMs: null }, 30)).toBe("OK");
  });
});

describe("publishRate", () => {
  it("divides rows published since the last reading by the time between, with a published column", () => {
    expect(publishRate({ publishedSince: 50, deletedTotal: null }, 10_000, undefined, 15_000)).toBe(10);
  });
  it("uses the growth of the table's deletes without one, and gives none for a first reading or reset statistics", () => {
    expect(publishRate({ publishedSince: null, deletedTotal: 1300 }, 10_000, 1000, 15_000)).toBe(60);
    expect(publishRate({ publishedSince: null, deletedTotal: 1300 }, 10_000, undefined, 15_000)).toBeNull();
    expect(publishRate({ publishedSince: null, deletedTotal: 20 }, 10_000, 1000, 15_000)).toBeNull();
  });
});

describe("OUTBOX_MONITORS", () => {
  it("defaults the columns and the cluster, and picks each cluster's outboxes", () => {
    const env = monitors([shop, { name: "billing", url: "postgres://r@db/billing", table: "outbox", cluster: "other" }]);
    expect(env.OUTBOX_MONITORS[1]).toMatchObject({ createdColumn: "created_at", publishedColumn: null, stallAfterSeconds: 60 });
    expect(monitorsOf(env, "main").map((m) => m.name)).toEqual(["shop"]);
    expect(monitorsOf(env, "other").map((m) => m.name)).toEqual(["billing"]);
  });

  it("refuses what could be read as SQL, a URL that is not PostgreSQL, and two monitors with one name, naming the problem", () => {
    expect(() => monitors([{ ...shop, table: "outbox; drop table x" }])).toThrow(/OUTBOX_MONITORS\.0\.table: table must be table or schema\.table/);
    expect(() => monitors([{ ...shop, publishedColumn: 'x" OR 1=1' }])).toThrow(/publishedColumn must be a plain SQL identifier/);
    expect(() => monitors([{ ...shop, url: "http://db/shop" }])).toThrow(/url must be a postgresql:\/\/ URL/);
    expect(() => monitors([shop, shop])).toThrow(/each outbox monitor needs its own name/);
    expect(() => parseEnv({ KAFKA_BROKERS: "127.0.0.1:9092", DATABASE_URL: "postgresql://x@h/db", OUTBOX_MONITORS: "[{" })).toThrow(/OUTBOX_MONITORS: not JSON/);
  });
});

describe("OutboxWatcher", () => {
  it("reads every outbox of its cluster, and records one that cannot be read as UNREACHABLE without failing the others", async () => {
    const env = monitors([shop, { ...shop, name: "broken" }]);
    const reading: OutboxReading = { unpublished: 7, oldestAgeMs: 45_000, publishedSince: 0, deletedTotal: null };
    const watcher = new OutboxWatcher(env, "main", async (monitor) => {
      if (monitor.name === "broken") throw new Error('relation "shop.outbox" does not exist');
      return reading;
    });
    const round = (await watcher.round(1_000_000))!;
    expect(round.snapshot).toEqual({ cluster: "main", takenAt: 1_000_000, outboxes: [{ name: "shop", status: "STALLED", unpublished: 7, oldestAgeMs: 45_000, stallAfterSeconds: 30 }], unreachable: ["broken"] });
    expect(round.samples.find((s) => s.outbox === "broken")).toMatchObject({ status: "UNREACHABLE", unpublished: null, error: 'relation "shop.outbox" does not exist' });
    expect(round.samples.find((s) => s.outbox === "shop")).toMatchObject({ status: "STALLED", publishedPerSec: 0 });
    expect(await new OutboxWatcher(env, "elsewhere").round()).toBeNull();
  });
});
