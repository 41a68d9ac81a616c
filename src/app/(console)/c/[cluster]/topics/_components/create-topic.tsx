"use client";

// The create-topic form: the broker's defaults as placeholders, the same zod checks as the server
// while typing, then Kafka's own answer (CreateTopics with validateOnly) next to the field it is about.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useCan } from "~/components/auth/actor-context";
import { createTopicSchema, DLQ_SUFFIX, dlqTemplate } from "~/lib/new-topic";
import { isInternalTopic, topicCollision } from "~/lib/topic-names";
import { errorText } from "~/trpc/error-text";
import { useClusterHref } from "~/components/clusters/cluster-context";
import { useTRPC } from "~/trpc/react";
import type { RouterOutputs } from "~/trpc/types";

type Field = "topic" | "partitions" | "replicationFactor" | "configEntries" | "form";
type Problem = { field: Field; entry?: number; message: string };
type Defaults = RouterOutputs["topics"]["defaults"];

function FieldProblems({ problems, field, entry }: { problems: Problem[]; field: Field; entry?: number }) {
  const mine = problems.filter((p) => p.field === field && (entry === undefined ? p.entry === undefined : p.entry === entry));
  if (mine.length === 0) return null;
  return (
    <span className="error-text field-problem" role="alert" data-testid={`problem-${field}${entry === undefined ? "" : `-${entry}`}`}>
      {mine.map((p) => p.message).join(" ")}
    </span>
  );
}

function defaultOf(defaults: Defaults | undefined, key: { broker?: string; topicConfig?: string }): string | null {
  const found = defaults?.defaults.find((d) => (key.broker ? d.broker === key.broker : d.topicConfig === key.topicConfig) && d.value !== null);
  if (!found?.value) return null;
  // log.retention.hours stands in for retention.ms when log.retention.ms is unset, as in Kafka.
  return found.broker === "log.retention.hours" ? String(Number(found.value) * 3_600_000) : found.value;
}

export function CreateTopicView() {
  const trpc = useTRPC();
  const href = useClusterHref();
  const router = useRouter();
  const canCreate = useCan("operator");
  const defaults = useQuery(trpc.topics.defaults.queryOptions(undefined, { enabled: canCreate }));
  const queryClient = useQueryClient();
  // From the broker, not the sampler: the form must know a topic created a moment ago.
  const topics = useQuery(trpc.messages.topics.queryOptions());
  const [name, setName] = useState("");
  const [partitions, setPartitions] = useState("");
  const [replication, setReplication] = useState("");
  const [entries, setEntries] = useState<{ name: string; value: string }[]>([]);
  const [dlqSource, setDlqSource] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [accepted, setAccepted] = useState(false);
  const validate = useMutation(trpc.topics.validate.mutationOptions());
  const create = useMutation(trpc.topics.create.mutationOptions());

  const existing = useMemo(() => topics.data ?? [], [topics.data]);
  const sources = useMemo(() => existing.filter((t) => !isInternalTopic(t) && !t.endsWith(DLQ_SUFFIX)), [existing]);
  const collision = name.trim() ? topicCollision(name.trim(), existing) : { collidesWith: null, warning: null };
  const brokerCount = defaults.data?.brokerCount;

  const request = () => ({
    topic: name,
    // An empty field takes the broker's default, shown as its placeholder.
    partitions: partitions.trim() === "" ? Number(defaultOf(defaults.data, { broker: "num.partitions" }) ?? 1) : Number(partitions),
    replicationFactor: replication.trim() === "" ? Math.max(1, Number(defaultOf(defaults.data, { broker: "default.replication.factor" }) ?? 1)) : Number(replication),
    configEntries: entries.filter((e) => e.name.trim() !== "" || e.value.trim() !== ""),
  });

  const changed = () => {
    setProblems([]);
    setAccepted(false);
  };

  /** The browser's checks (the server's schema), then Kafka's answer; true when both accept. */
  const check = async (): Promise<{ ok: boolean; input: ReturnType<typeof request> }> => {
    const input = request();
    const parsed = createTopicSchema.safeParse(input);
    if (!parsed.success) {
      setProblems(
        parsed.error.issues.map((i) => ({
          field: (i.path[0] as Field) ?? "form",
          entry: i.path[0] === "configEntries" && typeof i.path[1] === "number" ? i.path[1] : undefined,
          message: i.message,
        })),
      );
      return { ok: false, input };
    }
    try {
      const answer = await validate.mutateAsync(parsed.data);
      setProblems(answer.problems);
      return { ok: answer.problems.length === 0, input };
    } catch (error) {
      setProblems([{ field: "form", message: errorText(error as Parameters<typeof errorText>[0]) }]);
      return { ok: false, input };
    }
  };

  const submit = async () => {
    const { ok, input } = await check();
    if (!ok) return;
    try {
      const made = await create.mutateAsync(createTopicSchema.parse(input));
      router.push(href(`/topics/${encodeURIComponent(made.topic)}`));
    } catch (error) {
      setProblems([{ field: "form", message: errorText(error as Parameters<typeof errorText>[0]) }]);
    }
  };

  const applyDlq = async (source: string) => {
    setDlqSource(source);
    if (!source) return;
    let partitionCount: number;
    try {
      partitionCount = (await queryClient.fetchQuery(trpc.messages.partitions.queryOptions({ topic: source }))).length;
    } catch (error) {
      setProblems([{ field: "form", message: errorText(error as Parameters<typeof errorText>[0]) }]);
      return;
    }
    const t = dlqTemplate(source, partitionCount);
    setName(t.topic);
    setPartitions(String(t.partitions));
    setEntries((current) => [...current.filter((e) => !t.configEntries.some((c) => c.name === e.name)), ...t.configEntries]);
    changed();
  };

  const busy = validate.isPending || create.isPending;

  return (
    <div className="page" data-testid="create-topic-page">
      <header className="page-header">
        <ClusterLink href="/topics" className="back-link">
          ← Topics
        </ClusterLink>
        <h1>Create topic</h1>
        <p className="muted">Empty fields take the broker&apos;s default, shown greyed. Kafka checks the request (validateOnly) before anything is created.</p>
      </header>

      {!canCreate && (
        <div className="banner warn" role="alert">
          Creating topics needs the operator role.
        </div>
      )}

      <section className="card section">
        <h2 className="card-title">Template</h2>
        <div className="control-row">
          <label className="field">
            <span>Dead-letter topic for</span>
            <select value={dlqSource} onChange={(e) => void applyDlq(e.target.value)} data-testid="dlq-template-source">
              <option value="">Choose a source topic…</option>
              {sources.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </label>
          <p className="muted small">Names it &lt;source&gt;.DLQ with the source&apos;s partition count, and keeps dead letters for 14 days (retention.ms).</p>
        </div>
      </section>

      <form
        className="card section"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        data-testid="create-topic-form"
      >
        <div className="form-grid">
          <label className="wide">
            <span>Name</span>
            <input
              className="text-input mono"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                changed();
              }}
              placeholder="orders.v2"
              autoComplete="off"
              spellCheck={false}
              data-testid="topic-name-input"
            />
            <FieldProblems problems={problems} field="topic" />
            {collision.collidesWith && <span className="error-text">Collides with the existing topic {collision.collidesWith}: Kafka&apos;s metric names treat &quot;.&quot; and &quot;_&quot; alike.</span>}
            {!collision.collidesWith && collision.warning && (
              <span className="warn-text small" data-testid="collision-warning">
                {collision.warning}
              </span>
            )}
          </label>
          <label>
            <span>Partitions</span>
            <input
              className="text-input"
              inputMode="numeric"
              value={partitions}
              onChange={(e) => {
                setPartitions(e.target.value);
                changed();
              }}
              placeholder={defaultOf(defaults.data, { broker: "num.partitions" }) ?? "1"}
              data-testid="partitions-input"
            />
            <FieldProblems problems={problems} field="partitions" />
          </label>
          <label>
            <span>Replication factor{brokerCount !== undefined ? ` (at most ${brokerCount}, the brokers)` : ""}</span>
            <input
              className="text-input"
              inputMode="numeric"
              value={replication}
              onChange={(e) => {
                setReplication(e.target.value);
                changed();
              }}
              placeholder={defaultOf(defaults.data, { broker: "default.replication.factor" }) ?? "1"}
              data-testid="replication-input"
            />
            <FieldProblems problems={problems} field="replicationFactor" />
          </label>
        </div>

        <h3 className="subheading">Configuration</h3>
        <table className="table config-entries" data-testid="config-entries">
          <tbody>
            {entries.map((entry, i) => (
              <tr key={i} data-testid="config-entry">
                <td>
                  <input
                    className="text-input mono"
                    aria-label={`Configuration name ${i + 1}`}
                    value={entry.name}
                    list="topic-config-names"
                    onChange={(e) => {
                      setEntries(entries.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)));
                      changed();
                    }}
                    placeholder="retention.ms"
                    data-testid="config-name-input"
                  />
                </td>
                <td>
                  <input
                    className="text-input mono"
                    aria-label={`Configuration value ${i + 1}`}
                    value={entry.value}
                    onChange={(e) => {
                      setEntries(entries.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)));
                      changed();
                    }}
                    placeholder={defaultOf(defaults.data, { topicConfig: entry.name.trim() }) ?? ""}
                    data-testid="config-value-input"
                  />
                  <FieldProblems problems={problems} field="configEntries" entry={i} />
                </td>
                <td className="right">
                  <button
                    type="button"
                    onClick={() => {
                      setEntries(entries.filter((_, j) => j !== i));
                      changed();
                    }}
                    aria-label={`Remove ${entry.name || "entry"}`}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <datalist id="topic-config-names">
          {(defaults.data?.defaults ?? [])
            .filter((d) => d.topicConfig)
            .map((d) => (
              <option key={d.broker} value={d.topicConfig!} />
            ))}
        </datalist>
        <FieldProblems problems={problems} field="configEntries" />
        <button type="button" onClick={() => setEntries([...entries, { name: "", value: "" }])} data-testid="add-config-entry">
          Add configuration entry
        </button>

        <div className="form-actions">
          <button type="button" onClick={() => void check().then(({ ok }) => setAccepted(ok))} disabled={busy || !canCreate} data-testid="check-topic">
            Check with Kafka
          </button>
          <button type="submit" className="primary" disabled={busy || !canCreate} data-testid="create-topic-submit">
            {create.isPending ? "Creating…" : "Create topic"}
          </button>
          {accepted && (
            <span className="ok-text" data-testid="topic-accepted">
              Kafka accepts this topic.
            </span>
          )}
          <FieldProblems problems={problems} field="form" />
        </div>
      </form>

      <section className="card section flush">
        <h2 className="card-title">Broker defaults</h2>
        {defaults.isError ? (
          <p className="error-text padded-text">{defaults.error.message}</p>
        ) : (
          <table className="table" data-testid="broker-defaults">
            <thead>
              <tr>
                <th>Broker setting</th>
                <th>Topic setting</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {(defaults.data?.defaults ?? [])
                .filter((d) => d.value !== null)
                .map((d) => (
                  <tr key={d.broker}>
                    <td className="mono">{d.broker}</td>
                    <td className="mono muted">{d.topicConfig ?? (d.field === "partitions" ? "partitions" : "replication factor")}</td>
                    <td className="mono">{d.broker === "log.retention.hours" ? `${d.value} h (${Number(d.value) * 3_600_000} ms)` : d.value}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
