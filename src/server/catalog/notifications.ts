// Cross-process signals over PostgreSQL LISTEN/NOTIFY. Listening needs a dedicated connection,
// outside Prisma's pool: LISTEN belongs to the connection that issued it.
import "server-only";
import { sql } from "kysely";
import type pg from "pg";
import { createLogger } from "~/lib/logger";
import { AppError } from "../errors";
import { dedicatedClient, getSql } from "./db";

const log = createLogger("catalog");

// Every payload about a cluster's data names the cluster (topic and group names repeat across
// clusters): lagSnapshot {cluster, takenAt}; dlq, a DLQ changed, {cluster, topic}; dlqIndex, the
// worker finished a DLQ index round for a topic, {cluster, topic}; dlqIndexRequest, the web app asks
// the worker to read a DLQ topic into the index now, {cluster, topic}. All JSON.
export const CHANNELS = {
  lagSnapshot: "signalbox_lag_snapshot",
  alerts: "signalbox_alerts",
  jobs: "signalbox_jobs",
  dlq: "signalbox_dlq",
  dlqIndex: "signalbox_dlq_index",
  dlqIndexRequest: "signalbox_dlq_index_request",
} as const;
export type Channel = (typeof CHANNELS)[keyof typeof CHANNELS];

export async function notify(channel: Channel, payload: string): Promise<void> {
  await sql`SELECT pg_notify(${channel}, ${payload})`.execute(getSql());
}

type Listener = (payload: string) => void;

// One LISTEN connection per process, shared by every subscriber; reconnects after failures.
const listeners = new Map<Channel, Set<Listener>>();
/** Told when the LISTEN connection is lost: whatever was announced until it is back is lost too. */
const lossWatchers = new Set<() => void>();
let listenClient: Promise<pg.Client> | null = null;
let listeningStopped = false;
let reconnecting = false;

/** Retries until the connection is back (the database may stay down for a while), 1 s, 2 s … then every 10 s. */
function reconnect(attempt = 1): void {
  if (reconnecting && attempt === 1) return;
  reconnecting = true;
  setTimeout(() => {
    if (listeningStopped || listeners.size === 0) {
      reconnecting = false;
      return;
    }
    ensureListening().then(
      () => {
        reconnecting = false;
        log.info("notification connection back");
      },
      () => reconnect(attempt + 1),
    );
  }, Math.min(10_000, 1000 * attempt));
}

async function connectListener(): Promise<pg.Client> {
  const client = dedicatedClient();
  client.on("notification", (message) => {
    for (const fn of listeners.get(message.channel as Channel) ?? []) fn(message.payload ?? "");
  });
  let lost = false;
  // A server shutdown first sends an error ("terminating connection…"), then the socket closes: once.
  const onLost = (error?: Error) => {
    if (lost || listeningStopped) return;
    lost = true;
    log.warn("notification connection lost; will reconnect", { error: error?.message ?? "connection ended" });
    listenClient = null;
    for (const watcher of lossWatchers) watcher();
    reconnect();
  };
  client.on("error", onLost);
  client.on("end", () => onLost());
  await client.connect();
  for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`);
  return client;
}

async function ensureListening(): Promise<void> {
  if (listeners.size === 0 || listeningStopped) return;
  listenClient ??= connectListener().catch((error) => {
    listenClient = null;
    throw error;
  });
  await listenClient;
}

/**
 * Resolves once this process's LISTEN connection listens on every channel (it connects lazily, for
 * the first listener): a NOTIFY sent before then reaches nobody here.
 */
export async function whenListening(): Promise<void> {
  await ensureListening();
}

/** Calls `fn` for every NOTIFY on `channel` until the returned function is called. */
export async function listen(channel: Channel, fn: Listener): Promise<() => void> {
  let set = listeners.get(channel);
  if (!set) listeners.set(channel, (set = new Set()));
  set.add(fn);
  try {
    await ensureListening();
  } catch (error) {
    set.delete(fn);
    throw error;
  }
  return () => {
    set.delete(fn);
  };
}

/**
 * Closes the LISTEN connection for good. A process that is shutting down must call it: the open
 * connection alone keeps Node's event loop alive, so a worker would log "stopped" and never exit.
 */
export async function stopListening(): Promise<void> {
  listeningStopped = true;
  listeners.clear();
  const pending = listenClient;
  listenClient = null;
  const client = await pending?.catch(() => null);
  await client?.end().catch(() => undefined);
}

/**
 * Yields the payloads of NOTIFYs on `channel`, in batches (everything that arrived since the last
 * one was taken), until `signal` aborts. A slow reader gets one batch instead of a backlog of wake-ups.
 * When the LISTEN connection is lost (a database restart) it throws: what was announced meanwhile is
 * lost, so a live page's stream ends in an error, and the page reopens it and reads again.
 */
export async function* notificationBatches(channel: Channel, signal?: AbortSignal): AsyncGenerator<string[]> {
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  let connectionLost = false;
  const onLoss = () => {
    connectionLost = true;
    wake?.();
  };
  lossWatchers.add(onLoss);
  const stop = await listen(channel, (payload) => {
    queue.push(payload);
    wake?.();
  }).catch((error) => {
    lossWatchers.delete(onLoss);
    throw error;
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      if (queue.length === 0 && !connectionLost) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const batch = queue.splice(0);
      if (batch.length) yield batch;
      if (connectionLost) throw new AppError("DATABASE_UNAVAILABLE", "Live updates stopped: the connection to PostgreSQL was lost. The page reconnects by itself.");
    }
  } finally {
    stop();
    lossWatchers.delete(onLoss);
    signal?.removeEventListener("abort", onAbort);
  }
}
