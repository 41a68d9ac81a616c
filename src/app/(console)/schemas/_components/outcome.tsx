"use client";

// What registration said: created, the same schema again, invalid (where), or incompatible (why).
import type { CheckResult, SchemaOutcome } from "./types";

export function ReasonList({ reasons }: { reasons: Extract<SchemaOutcome, { status: "incompatible" }>["reasons"] }) {
  return (
    <ul className="reason-list" data-testid="refusal-reasons">
      {reasons.map((r, i) => (
        <li key={`${r.version}-${r.direction}-${r.path}-${r.type}-${i}`} data-testid="refusal-reason" data-type={r.type}>
          <span className="reason-message">{r.message}</span>
          <span className="reason-meta mono">
            {r.type} at {r.path} · {r.direction === "backward" ? `new schema reading v${r.version} data` : `v${r.version} reading new data`}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ProblemList({ problems }: { problems: string[] }) {
  return (
    <ul className="reason-list" data-testid="schema-problems">
      {problems.map((p, i) => (
        <li key={i} className="mono small">
          {p}
        </li>
      ))}
    </ul>
  );
}

export function OutcomeBanner({ outcome }: { outcome: SchemaOutcome }) {
  switch (outcome.status) {
    case "created":
      return (
        <div className="banner ok" role="status" data-testid="outcome-created">
          <strong>
            Registered {outcome.eventType} v{outcome.version}
          </strong>
          <span className="muted">Schema id {outcome.schemaId}.</span>
        </div>
      );
    case "existing":
      return (
        <div className="banner info" role="status" data-testid="outcome-existing">
          <strong>Already registered as v{outcome.version}</strong>
          <span className="muted">This schema is identical to v{outcome.version} (schema id {outcome.schemaId}); nothing new was created.</span>
        </div>
      );
    case "invalid":
      return (
        <div className="banner bad" role="alert" data-testid="outcome-invalid">
          <strong>The schema is not valid JSON Schema</strong>
          <ProblemList problems={outcome.problems} />
        </div>
      );
    case "incompatible":
      return (
        <div className="banner bad" role="alert" data-testid="refusal">
          <strong>
            Refused: incompatible under {outcome.compatibility} ({outcome.reasons.length} reason{outcome.reasons.length === 1 ? "" : "s"})
          </strong>
          <span className="muted">Consumers would break. Nothing was registered.</span>
          <ReasonList reasons={outcome.reasons} />
        </div>
      );
  }
}

export function CheckBanner({ result }: { result: CheckResult }) {
  if (result.status === "invalid") return <OutcomeBanner outcome={result} />;
  if (result.reasons.length === 0) {
    return (
      <div className="banner ok" role="status" data-testid="check-compatible">
        <strong>Compatible under {result.compatibility}</strong>
        <span className="muted">Registering it would be accepted (nothing was registered yet).</span>
      </div>
    );
  }
  return (
    <div className="banner bad" role="alert" data-testid="check-incompatible">
      <strong>Would be refused under {result.compatibility}</strong>
      <ReasonList reasons={result.reasons} />
    </div>
  );
}
