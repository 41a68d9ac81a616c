"use client";

// Produce one record to a topic: a corrected event, a test event, or a copy of one seen in the
// browser, trace or DLQ (`?from=<topic>/<partition>/<offset>` fills the form from that record).
import { useMutation, useQuery } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { useCan } from "~/components/auth/actor-context";
import { useSubmissionKey } from "~/components/jobs/use-submission-key";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";
import { fillEnvelope, syncEnvelopeHeaders, type HeaderRow } from "./envelope";

/** What a masked field shows (masking.ts's MASK_MARKER; the server refuses a value holding it). */
const MASKED = "••• masked";


/** Parses "topic/partition/offset" (the topic may contain "/"? Kafka forbids it). */
function parseFrom(from: string | null): { topic: string; partition: number; offset: number } | null {
  const match = from?.match(/^([^/]+)\/(\d+)\/(\d+)$/);
  return match ? { topic: match[1]!, partition: Number(match[2]), offset: Number(match[3]) } : null;
}

export function ProduceView({ topic }: { topic: string }) {
  const trpc = useTRPC();
  const params = useSearchParams();
  const from = parseFrom(params.get("from"));
  const canProduce = useCan("support", { topics: [topic] });
  const source = useQuery(trpc.messages.message.queryOptions(from ?? { topic, partition: 0, offset: 0 }, { enabled: from !== null, staleTime: Infinity }));
  const partitions = useQuery(trpc.messages.partitions.queryOptions({ topic }));

  const header = (
    <header className="page-header">
      <ClusterLink href={`/topics/${encodeURIComponent(topic)}`} className="back-link">
        ← {topic}
      </ClusterLink>
      <h1>Produce a record</h1>
    </header>
  );
  if (!canProduce) {
    return (
      <div className="page">
        {header}
        <div className="card empty-state" role="alert" data-testid="produce-not-allowed">
          <h2>You may not produce to {topic}</h2>
          <p>Producing needs the support role on this topic.</p>
        </div>
      </div>
    );
  }
  if (from && source.isPending) return <div className="page">{header}<div className="skeleton" style={{ height: 240 }} /></div>;
  const copy = source.data;
  // A decoded Avro or Protobuf value is shown as JSON: it is copied with its schema id, so producing encodes it again the same way.
  const decodedFrom = copy?.value.schemaType && copy.value.schemaType !== "JSON" && copy.value.schemaId ? `${copy.value.schemaType === "AVRO" ? "Avro" : "Protobuf"} (schema id ${copy.value.schemaId})` : null;
  const copyProblem = !copy
    ? null
    : copy.value.encoding === "binary" || copy.key?.encoding === "binary"
      ? "The record is binary; only text can be copied here."
      : copy.value.truncated
        ? "The record's value is too long to copy whole."
        : null;
  return (
    <div className="page" data-testid="produce-page">
      {header}
      {from && source.isError && (
        <div className="banner bad" role="alert">
          <strong>Could not read the record to copy</strong>
          <span>{source.error.message}</span>
        </div>
      )}
      {copy && (
        <div className={copyProblem ? "banner warn" : "banner"} role="status" data-testid="produce-copied-from">
          <strong>
            Copied from <span className="mono">{`${copy.topic}/${copy.partition}/${copy.offset}`}</span>
          </strong>
          <span>
            {copyProblem ??
              `${decodedFrom ? `The record is ${decodedFrom}, shown as JSON: it is encoded again with that schema when produced. ` : ""}Edit what needs fixing, then check and produce.${copy.value.text.includes(MASKED) ? " Some fields are masked for you: type their real values in." : ""}`}
          </span>
        </div>
      )}
      <ProduceForm
        key={copy ? `${copy.topic}/${copy.partition}/${copy.offset}` : "blank"}
        topic={topic}
        partitionCount={partitions.data?.length ?? null}
        initial={
          copy && !copyProblem
            ? {
                key: copy.key.encoding === "null" ? null : copy.key.text,
                value: copy.value.encoding === "null" ? null : copy.value.text,
                headers: copy.headers.filter((h) => h.text !== null).map((h) => ({ key: h.key, value: h.text! })),
                schemaId: decodedFrom ? copy.value.schemaId : null,
              }
            : { key: "", value: "", headers: [], schemaId: null }
        }
      />
    </div>
  );
}

function ProduceForm({ topic, partitionCount, initial }: { topic: string; partitionCount: number | null; initial: { key: string | null; value: string | null; headers: HeaderRow[]; schemaId: number | null } }) {
  const trpc = useTRPC();
  const [key, setKey] = useState(initial.key ?? "");
  const [nullKey, setNullKey] = useState(initial.key === null);
  const [value, setValue] = useState(initial.value ?? "");
  const [tombstone, setTombstone] = useState(initial.value === null);
  const [headers, setHeaders] = useState<HeaderRow[]>(initial.headers);
  const [partition, setPartition] = useState<string>("auto");
  const [schemaId, setSchemaId] = useState(initial.schemaId === null ? "" : String(initial.schemaId));
  const [envelopeError, setEnvelopeError] = useState<string | null>(null);
  // One per submission: a double click or a retried request writes once.
  const [submission, renewSubmission] = useSubmissionKey();
  const check = useMutation(trpc.produce.check.mutationOptions());
  const send = useMutation(trpc.produce.send.mutationOptions({ onSuccess: renewSubmission }));

  const request = () => ({
    topic,
    partition: partition === "auto" ? null : Number(partition),
    key: nullKey ? null : key,
    headers,
    value: tombstone ? null : value,
    // Not a whole number: sent as is, and the server names the problem.
    schemaId: schemaId.trim() === "" ? null : Number(schemaId.trim()),
  });
  const problems = check.data?.problems ?? [];
  const written = send.data;

  return (
    <form
      className="card form produce-form"
      onSubmit={(e) => {
        e.preventDefault();
        send.mutate({ ...request(), idempotencyKey: submission });
      }}
      data-testid="produce-form"
    >
      <div className="form-row">
        <label>
          Partition
          <select className="text-input" value={partition} onChange={(e) => setPartition(e.target.value)} data-testid="produce-partition">
            <option value="auto">Chosen by key (murmur2, as the Java client)</option>
            {Array.from({ length: partitionCount ?? 0 }, (_, p) => (
              <option key={p} value={String(p)}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Key
          <input className="text-input mono" value={key} disabled={nullKey} onChange={(e) => setKey(e.target.value)} placeholder="order-1234" data-testid="produce-key" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={nullKey} onChange={(e) => setNullKey(e.target.checked)} /> no key
        </label>
      </div>

      <fieldset className="headers-editor">
        <legend>Headers</legend>
        {headers.length === 0 && <p className="muted small">No headers.</p>}
        {headers.map((h, i) => (
          <div className="form-row" key={i} data-testid="produce-header-row">
            <input className="text-input mono" aria-label="Header name" value={h.key} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} placeholder="name" />
            <input className="text-input mono grow" aria-label="Header value" value={h.value} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} placeholder="value" />
            <button type="button" onClick={() => setHeaders(headers.filter((_, j) => j !== i))} aria-label={`Remove header ${h.key}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setHeaders([...headers, { key: "", value: "" }])} data-testid="produce-add-header">
          Add header
        </button>
      </fieldset>

      <label className="block">
        <span className="form-label-row">
          Value
          <span className="muted small">JSON is checked against its event type&apos;s schema; text is written as it is.</span>
          <button
            type="button"
            className="link-button"
            disabled={tombstone}
            onClick={() => {
              const filled = fillEnvelope(value);
              setValue(filled.value);
              setEnvelopeError(filled.error);
              if (!filled.error) setHeaders(syncEnvelopeHeaders(headers, filled.value));
            }}
            data-testid="produce-fill-envelope"
          >
            Fill envelope (eventId, timestamp, source, correlationId)
          </button>
        </span>
        <textarea className="text-input mono payload-editor" rows={16} value={value} disabled={tombstone} onChange={(e) => setValue(e.target.value)} spellCheck={false} data-testid="produce-value" />
      </label>
      {envelopeError && <p className="error-text">{envelopeError}</p>}
      <div className="form-row">
        <label>
          Encode with schema id
          <input className="text-input mono" inputMode="numeric" value={schemaId} onChange={(e) => setSchemaId(e.target.value)} placeholder="none" data-testid="produce-schema-id" />
        </label>
        <span className="muted small">
          Empty: the value is written as typed. A registry schema id: the JSON value is encoded with that schema (Avro, Protobuf or JSON Schema) in Confluent&apos;s wire format, as its serializers
          write it.
        </span>
      </div>
      <label className="inline">
        <input type="checkbox" checked={tombstone} onChange={(e) => setTombstone(e.target.checked)} /> tombstone (no value: compaction deletes the key)
      </label>

      {check.data && (
        <div className={check.data.ok ? "banner ok" : "banner bad"} role="status" data-testid="produce-check">
          <strong>{check.data.ok ? (check.data.validation?.status === "valid" ? `Valid ${check.data.eventType}` : check.data.json ? "JSON, no schema for its event type" : "Text, written as it is") : "Not ready to produce"}</strong>
          {problems.length > 0 && (
            <ul>
              {problems.map((p, i) => (
                <li key={i} data-testid="produce-problem">
                  <span className="mono">{p.path}</span>: {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {(check.error || send.error) && (
        <p className="error-text" role="alert" data-testid="produce-error">
          {errorText((send.error ?? check.error)!)}
        </p>
      )}
      {written && (
        <div className="banner ok" role="status" data-testid="produce-written">
          <strong>
            Written to partition {written.partition} at offset {written.offset}
          </strong>
          <ClusterLink href={`/messages?topic=${encodeURIComponent(topic)}`}>Open {topic} in the message browser</ClusterLink>
        </div>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => check.mutate(request())} disabled={check.isPending} data-testid="produce-check-button">
          {check.isPending ? "Checking…" : "Check"}
        </button>
        <button type="submit" className="primary" disabled={send.isPending} data-testid="produce-submit">
          {send.isPending ? "Producing…" : "Produce"}
        </button>
      </div>
    </form>
  );
}
