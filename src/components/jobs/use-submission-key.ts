"use client";
import { useCallback, useState } from "react";

/**
 * An idempotency key for one submission of a form that starts a job. A double click or a retried
 * request sends the same key, and the server answers with the job the first one started; after a
 * success, `renew` makes the next submission a new one.
 */
export function useSubmissionKey(): [string, () => void] {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const renew = useCallback(() => setKey(crypto.randomUUID()), []);
  return [key, renew];
}
