"use client";

import { useEffect, useRef } from "react";
import { retryDelay } from "./live-hub";

/** What of a tRPC `useSubscription` result this needs. */
interface Subscription {
  status: "idle" | "connecting" | "pending" | "error";
  reset(): void;
}

/**
 * Keeps a page's own live subscription (the Overview's; the shared stream has live-hub.ts) open
 * across a restart of the web process. The
 * browser's EventSource reconnects by itself after a dropped connection, but gives up for good when
 * a reconnect is answered with an error (a load balancer's 502 while the web is down): the
 * subscription then stays in "error" and the page would never update again. This reopens it after
 * a pause, and calls `onReopen` whenever the stream is live again after being down, since what was
 * announced meanwhile is lost: the page refetches what it shows.
 */
export function useKeptAlive(subscription: Subscription, onReopen: () => void): void {
  const { status, reset } = subscription;
  const failures = useRef(0);
  const wasLive = useRef(false);
  const wasDown = useRef(false);
  const reopened = useRef(onReopen);
  useEffect(() => {
    reopened.current = onReopen;
  }, [onReopen]);

  useEffect(() => {
    if (status === "pending") {
      failures.current = 0;
      if (wasDown.current) reopened.current();
      wasLive.current = true;
      wasDown.current = false;
      return;
    }
    // Down after being live, or failed before it ever was: either way the page may have missed news.
    if (wasLive.current || status === "error") wasDown.current = true;
    if (status !== "error") return;
    failures.current += 1;
    const timer = setTimeout(reset, retryDelay(failures.current));
    return () => clearTimeout(timer);
  }, [status, reset]);
}
