"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/** Every topic of the cluster (internal ones last); `exclude` hides some, e.g. internal topics as a target. */
export function TopicSelect({ value, onChange, id, testId, exclude, label }: { value: string; onChange: (topic: string) => void; id?: string; testId: string; exclude?: (topic: string) => boolean; label?: (topic: string) => string }) {
  const trpc = useTRPC();
  const topics = useQuery(trpc.messages.topics.queryOptions());
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      <option value="">{topics.isPending ? "Loading topics…" : topics.isError ? `Could not list topics: ${topics.error.message}` : "Choose a topic"}</option>
      {topics.data
        ?.filter((t) => !exclude?.(t))
        .map((t) => (
          <option key={t} value={t}>
            {label ? label(t) : t}
          </option>
        ))}
    </select>
  );
}
