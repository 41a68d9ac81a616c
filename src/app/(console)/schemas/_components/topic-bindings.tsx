"use client";

// The topics an event type travels on: listed with their cluster, removed one at a time after a
// confirmation that says what happens to the registry subject `<topic>-value`, and added from the
// cluster's topics. The Schemas pages act on the default cluster (the calls name no other), so only
// its bindings can be changed here; the server checks the role and the scope again.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorText } from "~/trpc/error-text";
import { CACHE_TIMES } from "~/trpc/query-client";
import { useTRPC } from "~/trpc/react";
import type { EventTypeView } from "./types";

/** Kafka's own rule for topic names, checked again by the server. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const TOPIC_MAX = 249;
/** How many of the cluster's topics the picker offers at once; typing narrows them. */
const SUGGESTIONS = 200;

function useInvalidateBindings(name: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.schemas.get.queryKey({ name }) }),
      queryClient.invalidateQueries({ queryKey: trpc.schemas.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.audit.list.queryKey() }),
    ]);
}

/** What unbinding does to the subject `<topic>-value`, from the other event types bound to the topic. */
function subjectNote(name: string, topic: string, others: string[]): string {
  const subject = `${topic}-value`;
  if (others.length === 0) return `The registry subject ${subject} goes away with it. Every version stays under the subject ${name}, and records keep decoding by schema id.`;
  if (others.length === 1) return `The registry subject ${subject} then answers for ${others[0]}, the one event type left on the topic. Every version of ${name} stays under its own subject.`;
  return `${others.length} other event types stay bound to the topic. Every version of ${name} stays under its own subject.`;
}

export function TopicBindings({ eventType, canChange }: { eventType: EventTypeView; canChange: boolean }) {
  const trpc = useTRPC();
  const invalidate = useInvalidateBindings(eventType.name);
  const clusters = useQuery({ ...trpc.clusters.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const list = useQuery({ ...trpc.schemas.list.queryOptions(), staleTime: CACHE_TIMES.catalog });
  const defaultCluster = clusters.data?.find((c) => c.isDefault)?.name ?? null;
  const [confirming, setConfirming] = useState<string | null>(null);
  const unbind = useMutation(trpc.schemas.unbindTopics.mutationOptions({ onSuccess: () => (setConfirming(null), invalidate()) }));
  const othersOn = (clusterName: string, topic: string) =>
    (list.data?.eventTypes ?? []).filter((t) => t.name !== eventType.name && t.topics.some((b) => b.clusterName === clusterName && b.topic === topic)).map((t) => t.name);
  const manyClusters = new Set(eventType.topics.map((t) => t.clusterName)).size > 1 || (defaultCluster !== null && eventType.topics.some((t) => t.clusterName !== defaultCluster));

  return (
    <section className="card flush section" data-testid="topic-bindings">
      <h2 className="card-title">
        Topics <span className="count-pill">{eventType.topics.length}</span>
        <span className="muted small">A topic bound to exactly one event type is also the registry subject &lt;topic&gt;-value.</span>
      </h2>
      {eventType.topics.length === 0 ? (
        <p className="pad muted" data-testid="topic-bindings-empty">
          {eventType.name} is bound to no topic: conformance has nothing to sample, and no &lt;topic&gt;-value subject answers for it.
        </p>
      ) : (
        <ul className="binding-list">
          {eventType.topics.map((b) => {
            const key = `${b.clusterName}/${b.topic}`;
            const mine = defaultCluster !== null && b.clusterName === defaultCluster;
            const others = othersOn(b.clusterName, b.topic);
            return (
              <li key={key} className="binding-row" data-testid="topic-binding" data-topic={b.topic} data-cluster={b.clusterName}>
                <div className="binding-line">
                  <div className="binding-name">
                    <div>
                      <span className="mono binding-topic">{b.topic}</span>
                      {manyClusters && <span className="badge idle">{b.clusterName}</span>}
                    </div>
                    <span className="muted small binding-subject" data-testid="topic-binding-subject">
                      {others.length === 0 ? (
                        <>
                          subject <span className="mono">{b.topic}-value</span>
                        </>
                      ) : (
                        `shared with ${others.length} other event type${others.length === 1 ? "" : "s"}: no <topic>-value subject`
                      )}
                    </span>
                  </div>
                  {canChange && confirming !== key && (
                    <button
                      type="button"
                      className="link-button danger-link"
                      disabled={!mine || unbind.isPending}
                      title={mine ? `Remove the binding to ${b.topic}` : `Bound on cluster ${b.clusterName}; the Schemas pages change the default cluster's bindings only`}
                      onClick={() => (unbind.reset(), setConfirming(key))}
                      data-testid="topic-unbind"
                    >
                      remove
                    </button>
                  )}
                </div>
                {confirming === key && (
                  <div className="binding-confirm" role="group" aria-label={`Unbind ${b.topic}`} data-testid="topic-unbind-confirm">
                    <p>
                      Unbind <strong className="mono">{b.topic}</strong> from {eventType.name}? {subjectNote(eventType.name, b.topic, others)} Conformance stops sampling the topic.
                    </p>
                    {unbind.error && (
                      <p className="error-text" role="alert" data-testid="topic-unbind-error">
                        {errorText(unbind.error)}
                      </p>
                    )}
                    <div className="form-actions">
                      <button type="button" className="danger" disabled={unbind.isPending} onClick={() => unbind.mutate({ name: eventType.name, topics: [b.topic] })} data-testid="topic-unbind-confirm-button">
                        {unbind.isPending ? "Unbinding…" : "Unbind"}
                      </button>
                      <button type="button" onClick={() => (setConfirming(null), unbind.reset())}>
                        Cancel
                      </button>
                    </div>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {canChange && <AddBinding eventType={eventType} defaultCluster={defaultCluster} onAdded={invalidate} />}
    </section>
  );
}

function AddBinding({ eventType, defaultCluster, onAdded }: { eventType: EventTypeView; defaultCluster: string | null; onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const listId = useId();
  const [topic, setTopic] = useState("");
  const [focused, setFocused] = useState(false);
  // The cluster's topics only once someone starts to add one: listing them asks the broker.
  const topics = useQuery({ ...trpc.messages.topics.queryOptions(), enabled: focused, staleTime: CACHE_TIMES.broker });
  const bind = useMutation(trpc.schemas.bindTopics.mutationOptions({ onSuccess: () => (setTopic(""), onAdded()) }));
  const trimmed = topic.trim();
  const bound = new Set(eventType.topics.filter((t) => t.clusterName === defaultCluster).map((t) => t.topic));
  const problem = !trimmed ? null : !TOPIC_NAME.test(trimmed) || trimmed === "." || trimmed === ".." ? "Not a Kafka topic name: letters, digits, “.”, “_” and “-”, at most 249." : bound.has(trimmed) ? `Already bound to ${trimmed}.` : null;
  const exists = topics.data ? topics.data.includes(trimmed) : null;
  const needle = trimmed.toLowerCase();
  const suggestions = (topics.data ?? []).filter((t) => !bound.has(t) && !t.startsWith("__") && (!needle || t.toLowerCase().includes(needle))).slice(0, SUGGESTIONS);

  return (
    <form
      className="binding-add"
      onSubmit={(e) => {
        e.preventDefault();
        if (trimmed && !problem) bind.mutate({ name: eventType.name, topics: [trimmed] });
      }}
      data-testid="topic-bind-form"
    >
      <label className="binding-add-field">
        <span className="muted small">Add a topic{defaultCluster ? ` of cluster ${defaultCluster}` : ""}</span>
        <input
          list={listId}
          value={topic}
          maxLength={TOPIC_MAX}
          spellCheck={false}
          autoComplete="off"
          placeholder="orders"
          className="mono"
          onFocus={() => setFocused(true)}
          onChange={(e) => (bind.reset(), setTopic(e.target.value))}
          aria-label="Topic to bind"
          aria-invalid={problem ? true : undefined}
          data-testid="topic-bind-input"
        />
        <datalist id={listId}>
          {suggestions.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
      </label>
      <button type="submit" className="primary" disabled={!trimmed || Boolean(problem) || bind.isPending} data-testid="topic-bind-submit">
        {bind.isPending ? "Binding…" : "Bind topic"}
      </button>
      {problem && (
        <p className="error-text small binding-add-message" data-testid="topic-bind-problem">
          {problem}
        </p>
      )}
      {!problem && trimmed && exists === false && (
        <p className="warn-text small binding-add-message" data-testid="topic-bind-missing">
          No topic named {trimmed} exists on the cluster yet; the binding is kept for when it does.
        </p>
      )}
      {topics.isError && <p className="muted small binding-add-message">The cluster&apos;s topics could not be listed ({topics.error.message}); type the name.</p>}
      {bind.error && (
        <p className="error-text binding-add-message" role="alert" data-testid="topic-bind-error">
          {errorText(bind.error)}
        </p>
      )}
    </form>
  );
}
