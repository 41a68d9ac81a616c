// Shapes the schema procedures return, as the browser sees them (after superjson).
import type { RouterOutputs } from "~/trpc/types";

type Outputs = RouterOutputs["schemas"];

export type EventTypeList = Outputs["list"];
export type EventTypeListItem = EventTypeList["eventTypes"][number];
export type EventTypeView = Outputs["get"];
export type SchemaVersionView = EventTypeView["versions"][number];
export type ConformanceRun = EventTypeView["conformance"][number];
export type VersionComparison = Outputs["compare"];
export type SchemaOutcome = Outputs["addVersion"];
export type CheckResult = Outputs["check"];
export type CompatibilityMode = EventTypeView["effectiveCompatibility"];

export type SchemaType = SchemaVersionView["schemaType"];

/** What people call a format. */
export const FORMAT_LABELS: Record<SchemaType, string> = { JSON: "JSON Schema", AVRO: "Avro", PROTOBUF: "Protobuf" };

/** A schema for reading: JSON pretty-printed, a .proto file as it was written. */
export function schemaForReading(schema: string, schemaType: SchemaType): string {
  if (schemaType === "PROTOBUF") return schema;
  try {
    return `${JSON.stringify(JSON.parse(schema), null, 2)}\n`;
  } catch {
    return schema;
  }
}

export const COMPATIBILITY_LEVELS: { value: CompatibilityMode; label: string; help: string }[] = [
  { value: "BACKWARD", label: "BACKWARD", help: "New schema reads data written with the latest version (default)." },
  { value: "BACKWARD_TRANSITIVE", label: "BACKWARD_TRANSITIVE", help: "New schema reads data written with every earlier version." },
  { value: "FORWARD", label: "FORWARD", help: "The latest version reads data written with the new schema." },
  { value: "FORWARD_TRANSITIVE", label: "FORWARD_TRANSITIVE", help: "Every earlier version reads data written with the new schema." },
  { value: "FULL", label: "FULL", help: "BACKWARD and FORWARD against the latest version." },
  { value: "FULL_TRANSITIVE", label: "FULL_TRANSITIVE", help: "BACKWARD and FORWARD against every earlier version." },
  { value: "NONE", label: "NONE", help: "No compatibility check." },
];

export function conformancePercent(run: { sampled: number; conforming: number } | null | undefined): number | null {
  if (!run || run.sampled === 0) return null;
  return (run.conforming / run.sampled) * 100;
}

export function formatPercent(value: number | null): string {
  if (value === null) return "—";
  if (value === 100 || value === 0) return `${value}%`;
  return `${value >= 99.95 ? value.toFixed(2) : value.toFixed(1)}%`;
}

