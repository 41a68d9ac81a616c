// The console's one live stream, shared by every page and every tab of the browser.
//
// Browsers allow six HTTP/1.1 connections per host, and an open server-sent stream holds one. With a
// stream per page and per kind, four live tabs used them all and every other request waited. So:
// - the server sends every kind of announcement over one stream (`live.events`);
// - one tab at a time holds it: the tabs elect a leader with the Web Locks API (the lock is released
//   when its tab closes, and the next tab waiting takes it over), and the leader passes each event
//   and the stream's status to the other tabs over a BroadcastChannel;
// - a stream that ended in an error (the server restarted, a proxy answered 502) is opened again,
//   backing off while it keeps failing;
// - each time the stream opens, the first time too, every listener hears "resync" and refetches what
//   it shows: announcements made before the stream was open (while the page's first queries were in
//   flight, or while it was down) were missed. Without it, a page that loaded while the worker was
//   indexing kept a half-indexed DLQ overview until the next change. The leader resyncs when the
//   server says "ready" (PostgreSQL listens), not when the response starts: a job that finished in
//   between stayed "running" on a page after the web restarted (the chaos suite's web kill).
// Plain TypeScript rather than hooks: the stream outlives the pages, which only listen.
import type { TRPCClient } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";
import type { LiveEvent as StreamEvent } from "~/server/api/routers/live";

/**
 * An announcement from the server, or "resync" each time the stream opens (see above). `since`
 * (wall-clock ms) is when this tab started waiting for the stream to open: announcements may have
 * been missed after it, not before. A query answered after `since` was read while the stream was
 * opening; views that follow the sampler need not read it again (refetchSampledView in refetch.ts).
 */
export type LiveEvent = Exclude<StreamEvent, { kind: "ready" }> | { kind: "resync"; since: number };
export type LiveStatus = "connecting" | "open" | "reconnecting";

type Listener = (event: LiveEvent) => void;
type TabMessage = { type: "event"; event: LiveEvent } | { type: "status"; status: LiveStatus } | { type: "hello" };

/** Whether a page of `pageCluster` (null: a global page, which hears every cluster) cares about `event`. */
export function concernsCluster(event: LiveEvent, pageCluster: string | null): boolean {
  const cluster = "cluster" in event ? (event as { cluster?: unknown }).cluster : undefined;
  return pageCluster === null || typeof cluster !== "string" || cluster === pageCluster;
}

const LOCK_NAME = "signalbox-live-events";
const CHANNEL_NAME = "signalbox-live-events";
export const RETRY_MIN_MS = 1_000;
export const RETRY_MAX_MS = 15_000;

/** The wait before reopening after `failures` failed attempts in a row: doubling, capped. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_MIN_MS * 2 ** Math.max(0, failures - 1), RETRY_MAX_MS);
}

export class LiveHub {
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<() => void>();
  private status: LiveStatus = "connecting";
  private channel: BroadcastChannel | null = null;
  private releaseLock: AbortController | null = null;
  private stream: { unsubscribe(): void } | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failures = 0;
  private leading = false;
  /** When this tab last started waiting for an open stream: at start, and whenever it stops being open. */
  private waitingSince = Date.now();

  constructor(private readonly client: TRPCClient<AppRouter>) {}

  /** Joins the tabs' election (or leads at once where the browser cannot share between tabs). */
  start(): void {
    this.waitingSince = Date.now();
    if (typeof BroadcastChannel === "undefined" || typeof navigator === "undefined" || !("locks" in navigator)) {
      this.lead();
      return;
    }
    const channel = new BroadcastChannel(CHANNEL_NAME);
    this.channel = channel;
    channel.onmessage = ({ data }: MessageEvent<TabMessage>) => {
      if (data.type === "event") this.dispatch(data.event);
      else if (data.type === "status" && !this.leading) this.setStatus(data.status);
      else if (data.type === "hello" && this.leading) channel.postMessage({ type: "status", status: this.status } satisfies TabMessage);
    };
    channel.postMessage({ type: "hello" } satisfies TabMessage);
    const release = new AbortController();
    this.releaseLock = release;
    navigator.locks
      .request(LOCK_NAME, { signal: release.signal }, () => {
        this.lead();
        // Held until stop() (closing the tab releases it too).
        return new Promise<void>((resolve) => release.signal.addEventListener("abort", () => resolve(), { once: true }));
      })
      .catch(() => undefined); // stopped while still waiting: this tab never led
  }

  stop(): void {
    this.leading = false;
    this.stream?.unsubscribe();
    this.stream = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.releaseLock?.abort();
    this.releaseLock = null;
    this.channel?.close();
    this.channel = null;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  onStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener);
    return () => void this.statusListeners.delete(listener);
  };

  getStatus = (): LiveStatus => this.status;

  private lead(): void {
    this.leading = true;
    this.setStatus("connecting");
    this.open();
  }

  private open(): void {
    this.retryTimer = null;
    this.stream = this.client.live.events.subscribe(undefined, {
      onStarted: () => {
        this.failures = 0;
        this.setStatus("open");
      },
      onData: (data) => {
        const event: LiveEvent = data.kind === "ready" ? { kind: "resync", since: this.waitingSince } : data;
        this.dispatch(event);
        this.channel?.postMessage({ type: "event", event } satisfies TabMessage);
      },
      // EventSource retries a dropped connection itself; this only says so meanwhile.
      onConnectionStateChange: (state) => {
        if (state.state === "connecting" && state.error) this.setStatus("reconnecting");
        else if (state.state === "pending") this.setStatus("open");
      },
      // An error response (502 from a proxy, the server restarting) ends the stream: open it again.
      onError: () => this.reopenLater(),
      onComplete: () => this.reopenLater(),
    });
  }

  private reopenLater(): void {
    if (!this.leading || this.retryTimer) return;
    this.stream?.unsubscribe();
    this.stream = null;
    this.setStatus("reconnecting");
    this.failures++;
    this.retryTimer = setTimeout(() => this.leading && this.open(), retryDelay(this.failures));
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    if (this.status === "open") this.waitingSince = Date.now();
    this.status = status;
    if (this.leading) this.channel?.postMessage({ type: "status", status } satisfies TabMessage);
    for (const listener of this.statusListeners) listener();
    // A follower resyncs when it hears the leader is open (its own load may have missed something);
    // the leader waits for the server's "ready".
    if (status === "open" && !this.leading) this.dispatch({ kind: "resync", since: this.waitingSince });
  }

  private dispatch(event: LiveEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
