"use client";

// A topic's configuration as `kafka-configs --describe --all` shows it: every entry's effective value
// and where it comes from. Operators edit a value (a topic override) or remove an override.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCan } from "~/components/auth/actor-context";
import { ConfigTable } from "~/components/config/config-table";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

export function TopicConfigCard({ topic }: { topic: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = useCan("operator", { topics: [topic] });
  const config = useQuery(trpc.topics.config.queryOptions({ topic }, { retry: false }));
  const alter = useMutation(
    trpc.topics.alterConfig.mutationOptions({
      // Only this topic's configuration changed.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.topics.config.queryKey({ topic }) }),
    }),
  );

  const overrides = config.data?.entries.filter((e) => e.source === "topic").length ?? 0;

  return (
    <section className="card section flush" data-testid="topic-config">
      <h2 className="card-title">
        Configuration <span className="muted">({overrides} override{overrides === 1 ? "" : "s"}; kafka-configs --describe --all)</span>
      </h2>
      {alter.error && (
        <div className="banner bad pad-banner" role="alert" data-testid="config-error">
          <strong>Not changed</strong>
          {errorText(alter.error)}
        </div>
      )}
      {config.isPending ? (
        <div className="skeleton" style={{ height: 120, margin: 16 }} />
      ) : config.isError ? (
        <p className="error-text padded-text">{config.error.message}</p>
      ) : (
        <ConfigTable
          entries={config.data.entries}
          overrideSource="topic"
          canEdit={canEdit}
          pending={alter.isPending}
          onSet={(name, value) => {
            alter.reset();
            return alter.mutateAsync({ kind: "set", topic, name, value });
          }}
          onRemove={(name) => alter.mutate({ kind: "remove", topic, name })}
          removeTitle="Remove the override: the broker's or Kafka's default applies again"
        />
      )}
    </section>
  );
}
