// Compatibility levels exactly as Confluent Schema Registry defines them:
// - BACKWARD: consumers using the new schema can read data written with the latest version
//   (the new schema reads what the old one wrote);
// - FORWARD: consumers using the latest version can read data written with the new schema;
// - FULL: both; the *_TRANSITIVE levels check against every earlier version, not only the latest;
// - NONE: no check.
import type { CompatibilityMode } from "~/server/catalog";
import { describeDifference } from "./describe";
import { diffSchemas, isCompatibleDifference, jsonPath, type Difference, type DifferenceType } from "./schema-diff";

export type Direction = "backward" | "forward";

export interface CompatibilityReason {
  /** Confluent's name for the change, e.g. REQUIRED_ATTRIBUTE_ADDED. */
  type: DifferenceType;
  /** Where, as Confluent prints it: "#/properties/total". */
  path: string;
  message: string;
  /** The earlier version this candidate was checked against. */
  version: number;
  /** backward: the new schema reading the old version's data; forward: the old version reading the new schema's data. */
  direction: Direction;
}

export interface EarlierVersion {
  version: number;
  schema: unknown;
}

export function directionsOf(mode: CompatibilityMode): Direction[] {
  if (mode === "NONE") return [];
  if (mode.startsWith("BACKWARD")) return ["backward"];
  if (mode.startsWith("FORWARD")) return ["forward"];
  return ["backward", "forward"];
}

export const isTransitive = (mode: CompatibilityMode) => mode.endsWith("_TRANSITIVE");

/** The versions a mode checks a candidate against: the latest, or all of them when transitive. */
export function versionsToCheck<T extends EarlierVersion>(earlier: T[], mode: CompatibilityMode): T[] {
  if (mode === "NONE" || earlier.length === 0) return [];
  const sorted = [...earlier].sort((a, b) => a.version - b.version);
  return isTransitive(mode) ? sorted : [sorted.at(-1)!];
}

/** Every incompatible difference between the candidate and the given versions, in the given directions. */
export function incompatibilities(candidate: unknown, against: EarlierVersion[], directions: Direction[]): CompatibilityReason[] {
  const reasons: CompatibilityReason[] = [];
  for (const earlier of [...against].sort((a, b) => b.version - a.version)) {
    for (const direction of directions) {
      const differences: Difference[] = direction === "backward" ? diffSchemas(earlier.schema, candidate) : diffSchemas(candidate, earlier.schema);
      for (const difference of differences) {
        if (isCompatibleDifference(difference)) continue;
        reasons.push({ type: difference.type, path: jsonPath(difference), message: describeDifference(difference), version: earlier.version, direction });
      }
    }
  }
  return reasons;
}

/** What the registry does on registration: check the candidate under the mode; an empty list means compatible. */
export function checkCompatibility(candidate: unknown, earlier: EarlierVersion[], mode: CompatibilityMode): CompatibilityReason[] {
  return incompatibilities(candidate, versionsToCheck(earlier, mode), directionsOf(mode));
}

/** One line per reason, for logs, audit entries and the registry's 409 message. */
export function formatReason(reason: CompatibilityReason): string {
  const against = reason.direction === "backward" ? `reading v${reason.version} data` : `v${reason.version} reading new data`;
  return `${reason.message} (${reason.type} at ${reason.path}; ${against})`;
}
