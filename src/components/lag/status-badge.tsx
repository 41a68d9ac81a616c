// A Burrow-style status as a coloured pill, with what it means as a tooltip.

export type LagStatus = "PENDING" | "OK" | "WARN" | "STALL" | "STOP" | "REWIND" | "ERR";

const TONE: Record<LagStatus, "ok" | "warn" | "bad" | "idle"> = {
  OK: "ok",
  WARN: "warn",
  STALL: "bad",
  STOP: "bad",
  REWIND: "bad",
  ERR: "bad",
  PENDING: "idle",
};

export const STATUS_MEANING: Record<LagStatus, string> = {
  OK: "OK: lag reached zero in the window, or the consumer keeps up or is catching up.",
  WARN: "WARN: the committed offset moves, but lag grew in every interval of the window.",
  STALL: "STALL: the committed offset did not move in the window, and lag is non-zero and not falling.",
  STOP: "STOP: no commit for over twice the window's span, while lagging (the consumer has stopped).",
  REWIND: "REWIND: the committed offset moved backwards within the window.",
  ERR: "ERR: at least one partition is STALL, STOP or REWIND.",
  PENDING: "PENDING: not judged yet (no committed offset, or too few samples in the window).",
};

function isLagStatus(value: string): value is LagStatus {
  return value in TONE;
}

export function statusTone(status: string): "ok" | "warn" | "bad" | "idle" {
  return isLagStatus(status) ? TONE[status] : "idle";
}

export function StatusBadge({ status, title }: { status: string; title?: string }) {
  const meaning = title ?? (isLagStatus(status) ? STATUS_MEANING[status] : status);
  return (
    <span className={`badge lag-status ${statusTone(status)}`} title={meaning} data-testid="status-badge" data-status={status}>
      {status}
    </span>
  );
}
