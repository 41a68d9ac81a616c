const COUNT = new Intl.NumberFormat("en-US");

export function formatCount(value: number): string {
  return COUNT.format(value);
}

/** "4 s", "3 min", "2 h", "5 d": coarse ages for status lines. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

const RATE_SMALL = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const RATE_TINY = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 2 });

/** Messages per second: "0", "0.25", "3.4", "1,234"; "—" when unknown (fewer than two samples). */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs < 1) return RATE_TINY.format(value);
  if (abs < 100) return RATE_SMALL.format(value);
  return COUNT.format(Math.round(value));
}

/** A count that may be unknown: "12,345" or "—". */
export function formatMaybeCount(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : COUNT.format(value);
}

/** A duration in seconds, to the second: "0 s", "45 s", "1 m 12 s", "3 h 5 m", "2 d 4 h"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} m ${s % 60} s` : `${m} m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} m` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A latency in milliseconds: "85 ms", "1.2 s", "14 s", "2 m 5 s"; "—" when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return Number.isInteger(ms / 1000) ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms / 1000);
}

const pad = (n: number) => String(n).padStart(2, "0");
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** "14:03:25" (local time). */
export function formatClock(at: number | Date, withSeconds = true): string {
  const d = new Date(at);
  return withSeconds ? `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "Tue 14:03" (local time), for multi-day axes. */
export function formatDayClock(at: number | Date): string {
  const d = new Date(at);
  return `${WEEKDAYS[d.getDay()]} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-22 14:03:25" (local time), for tables and tooltips. */
export function formatDateTime(at: number | Date): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(d)}`;
}

const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const PLAIN = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** Axis labels: "0.5", "24", "950", "12.3K", "4.1M". */
export function formatCompact(value: number): string {
  return Math.abs(value) < 1000 ? PLAIN.format(value) : COMPACT.format(value);
}

/** A size in bytes, binary units: "512 B", "1.5 KiB", "20.0 MiB", "3.21 GiB"; "—" when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 && unit >= 2 ? 2 : 1)} ${units[unit]}`;
}
