"use client";

import { useEffect, useState } from "react";

/** A clock for "x s ago" labels; it re-renders, it fetches nothing. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
