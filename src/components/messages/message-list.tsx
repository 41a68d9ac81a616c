"use client";

// A page of records: one line each, expandable to headers and the whole key and value. Payloads are
// rendered as React text (never as HTML), so a <script> in a value is just characters on screen.
import { useQuery } from "@tanstack/react-query";
import { ClusterLink } from "~/components/clusters/cluster-link";
import { Fragment, useState } from "react";
import { formatCount, formatDateTime } from "~/lib/format";
import { useCan } from "~/components/auth/actor-context";
import { useTRPC } from "~/trpc/react";
import type { BrowsedMessage } from "./types";

type Payload = BrowsedMessage["value"];

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function oneLine(p: Payload): string {
  if (p.encoding === "null") return "null";
  if (p.encoding === "empty") return "(empty)";
  return p.text.replace(/\s+/g, " ").slice(0, 240);
}

export function PayloadBadges({ payload }: { payload: Payload }) {
  return (
    <span className="payload-badges">
      <span className={`enc enc-${payload.encoding}`}>{payload.encoding}</span>
      {payload.schemaType && (
        <span className="enc enc-schema" title={`Decoded from ${payload.schemaType} with the registered schema ${payload.schemaId}; shown as JSON`} data-testid="schema-format">
          {payload.schemaType.toLowerCase()}
        </span>
      )}
      {payload.schemaProblem && (
        <span className="badge bad" title={payload.schemaProblem} data-testid="schema-problem-badge">
          not decoded
        </span>
      )}
      {payload.schemaId !== null && (
        <span className="enc enc-schema" title="Confluent wire format: magic byte 0 and a schema id" data-testid="schema-id">
          schema {payload.schemaId}
        </span>
      )}
      <span className="muted small">{formatBytes(payload.bytes)}</span>
    </span>
  );
}

export function ValidationBadge({ validation }: { validation: BrowsedMessage["validation"] }) {
  if (!validation) return null;
  const label = validation.status === "valid" ? "valid" : validation.status === "invalid" ? "invalid" : "no schema";
  const tone = validation.status === "valid" ? "ok" : validation.status === "invalid" ? "bad" : "idle";
  const title = validation.errors.map((e) => `${e.path || "/"}: ${e.message}`).join("\n") || `Schema check: ${label}`;
  return (
    <span className={`badge ${tone}`} title={title} data-testid="validation-badge" data-status={validation.status}>
      {label}
    </span>
  );
}

function PayloadBlock({ label, payload, onShowAll, loadingAll, testId }: { label: string; payload: Payload; onShowAll?: () => void; loadingAll?: boolean; testId: string }) {
  return (
    <div className="payload-block">
      <div className="payload-head">
        <strong>{label}</strong>
        <PayloadBadges payload={payload} />
        {payload.truncated && onShowAll && (
          <button type="button" className="link-button" onClick={onShowAll} disabled={loadingAll} data-testid={`${testId}-show-all`}>
            {loadingAll ? "loading…" : `show all (${formatBytes(payload.bytes)})`}
          </button>
        )}
      </div>
      {payload.schemaProblem && (
        <p className="small error-text" data-testid={`${testId}-schema-problem`}>
          {payload.schemaProblem}
        </p>
      )}
      {payload.encoding === "null" ? (
        <p className="muted small">null</p>
      ) : (
        <pre className="payload" data-testid={testId}>
          {payload.text}
          {payload.truncated && <span className="cut-mark">{"\n"}… cut at {formatCount(payload.text.length)} characters</span>}
        </pre>
      )}
    </div>
  );
}

function MessageDetail({ message }: { message: BrowsedMessage }) {
  const trpc = useTRPC();
  const [wantAll, setWantAll] = useState(false);
  const full = useQuery(trpc.messages.message.queryOptions({ topic: message.topic, partition: message.partition, offset: message.offset }, { enabled: wantAll, staleTime: Infinity }));
  const shown = full.data ?? message;
  const e = message.envelope;
  const canProduce = useCan("support", { topics: [message.topic] });
  return (
    <div className="message-detail" data-testid="message-detail">
      <dl className="facts small">
        <dt>Position</dt>
        <dd className="mono">
          {message.topic} / {message.partition} / {message.offset}
          {canProduce && (
            <>
              {" "}
              <ClusterLink href={`/topics/${encodeURIComponent(message.topic)}/produce?from=${encodeURIComponent(`${message.topic}/${message.partition}/${message.offset}`)}`} data-testid="produce-again-link">
                produce again…
              </ClusterLink>
            </>
          )}
        </dd>
        <dt>Timestamp</dt>
        <dd className="mono">
          {formatDateTime(message.timestamp)} ({message.timestamp})
        </dd>
        {e.source && (
          <>
            <dt>Source</dt>
            <dd className="mono">{e.source}</dd>
          </>
        )}
        {e.causationId && (
          <>
            <dt>Caused by</dt>
            <dd className="mono">{e.causationId}</dd>
          </>
        )}
        {e.correlationId && (
          <>
            <dt>Correlation</dt>
            <dd className="mono">
              {e.correlationId}{" "}
              <ClusterLink href={`/messages/trace?id=${encodeURIComponent(e.correlationId)}&at=${message.timestamp}`} data-testid="trace-link">
                trace →
              </ClusterLink>
            </dd>
          </>
        )}
      </dl>
      {full.isError && (
        <p className="error-text" role="alert">
          {full.error.message}
        </p>
      )}
      <PayloadBlock label="Key" payload={shown.key} testId="detail-key" onShowAll={() => setWantAll(true)} loadingAll={full.isFetching} />
      <PayloadBlock label="Value" payload={shown.value} testId="detail-value" onShowAll={() => setWantAll(true)} loadingAll={full.isFetching} />
      <div className="payload-block">
        <div className="payload-head">
          <strong>Headers</strong>
          <span className="muted small">{message.headers.length}</span>
        </div>
        {message.headers.length === 0 ? (
          <p className="muted small">No headers.</p>
        ) : (
          <table className="table headers-table" data-testid="headers-table">
            <tbody>
              {message.headers.map((h, i) => (
                <tr key={i} data-testid="header-row">
                  <td className="mono">{h.key}</td>
                  <td className="mono wrap">
                    {h.text === null ? <span className="muted">null</span> : h.text}
                    {h.number !== null && (
                      <span className="header-number" title="Read as a big-endian integer">
                        {" "}
                        = {h.number}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

export function MessageList({ messages, emptyText, testId = "message-list" }: { messages: BrowsedMessage[]; emptyText: React.ReactNode; testId?: string }) {
  const [open, setOpen] = useState<string | null>(null);
  if (messages.length === 0) {
    return (
      <div className="card empty-state" data-testid={`${testId}-empty`}>
        {emptyText}
      </div>
    );
  }
  return (
    <div className="card flush table-scroll">
      <table className="table message-table" data-testid={testId}>
        <thead>
          <tr>
            <th>Time</th>
            <th className="right">P</th>
            <th className="right">Offset</th>
            <th>Key</th>
            <th>Event type</th>
            <th title="The value checked against its event type's schema in the catalog">Schema</th>
            <th>Event id</th>
            <th>Correlation id</th>
            <th>Value</th>
            <th className="right">Size</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => {
            const id = `${m.partition}:${m.offset}`;
            const expanded = open === id;
            return (
              <Fragment key={`${m.topic}:${id}`}>
                <tr
                  className={expanded ? "message-row open" : "message-row"}
                  onClick={() => setOpen(expanded ? null : id)}
                  data-testid="message-row"
                  data-partition={m.partition}
                  data-offset={m.offset}
                  data-event-type={m.envelope.eventType ?? ""}
                  aria-expanded={expanded}
                >
                  <td className="mono nowrap small">{formatDateTime(m.timestamp)}</td>
                  <td className="mono right">{m.partition}</td>
                  <td className="mono right">{m.offset}</td>
                  <td className="mono cell-clip" title={m.key.text} data-testid="key-cell">
                    {m.key.encoding === "null" ? <span className="muted">null</span> : m.key.text}
                  </td>
                  <td className="cell-clip" data-testid="event-type-cell">
                    {m.envelope.eventType ?? <span className="muted">–</span>}
                  </td>
                  <td className="nowrap">{m.validation ? <ValidationBadge validation={m.validation} /> : <span className="muted small" title="The catalog has no schema for this event type">–</span>}</td>
                  <td className="mono cell-clip small">{m.envelope.eventId ?? <span className="muted">–</span>}</td>
                  <td className="mono cell-clip small">{m.envelope.correlationId ?? <span className="muted">–</span>}</td>
                  <td className="mono cell-clip value-cell" data-testid="value-cell">
                    <span className={`enc enc-${m.value.encoding}`}>{m.value.encoding}</span> {oneLine(m.value)}
                  </td>
                  <td className="mono right small nowrap">{formatBytes(m.value.bytes)}</td>
                </tr>
                {expanded && (
                  <tr className="message-detail-row">
                    <td colSpan={10}>
                      <MessageDetail message={m} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
