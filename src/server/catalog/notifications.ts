// Cross-process signals over PostgreSQL LISTEN/NOTIFY. Listening needs a dedicated connection,
// outside Prisma's pool: LISTEN belongs to the connection that issued it.
import "server-only";
import { sql } from "kysely";
import type pg from "pg";
import { createLogger } from "~/lib/logger";
import { dedicatedClient, getSql } from "./db";

const log = createLogger("catalog");

// dlqIndex: the worker finished a DLQ index round for a topic (payload: the topic); dlqIndexRequest:
// the web app asks the worker to read a DLQ topic into the index now (payload: the topic).
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
let listenClient: Promise<pg.Client> | null = null;
let listeningStopped = false;

async function connectListener(): Promise<pg.Client> {
  const client = dedicatedClient();
  client.on("notification", (message) => {
    for (const fn of listeners.get(message.channel as Channel) ?? []) fn(message.payload ?? "");
  });
  client.on("error", (error) => {
    log.warn("notification connection lost; will reconnect", { error: error.message });
    listenClient = null;
    if (!listeningStopped) setTimeout(() => void ensureListening().catch(() => undefined), 2000);
  });
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

/** Calls `fn` for every NOTIFY on `channel` until the returned function is called. */
export async function listen(channel: Channel, fn: Listener): Promise<() => void> {
  let set = listeners.get(channel);
  if (!set) listeners.set(channel, (set = new Set()));
  set.add(fn);
  await ensureListening();
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
 */
export async function* notificationBatches(channel: Channel, signal?: AbortSignal): AsyncGenerator<string[]> {
  const queue: string[] = [];
  let wake: (() => void) | null = null;
  const stop = await listen(channel, (payload) => {
    queue.push(payload);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal?.addEventListener("abort", onAbort);
  try {
    while (!signal?.aborted) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const batch = queue.splice(0);
      if (batch.length) yield batch;
    }
  } finally {
    stop();
    signal?.removeEventListener("abort", onAbort);
  }
}
