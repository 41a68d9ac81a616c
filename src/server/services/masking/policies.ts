// Masking policies as configured in MASKING_POLICIES: which payload fields (JSON paths) of which
// topics (a glob) only some roles may read. Parsed by src/env.ts's schema, so a bad policy stops the
// process at start with a message naming it, rather than showing a payload it should have hidden.
import { z } from "zod";
import { ROLES, type Role } from "~/server/catalog/types";
import { compileUserGlob, UserPatternError } from "~/lib/user-regex";

/** One step of a mask path: an object member, or every element of an array (`[*]`). */
export type MaskPathSegment = { kind: "member"; name: string } | { kind: "every" };
export type MaskPath = MaskPathSegment[];

/**
 * `data.card.number`, `data.items[*].card`, `["odd key"].x`: dotted member names, `[*]` for every
 * element of an array, a quoted name in brackets for a member whose name is not an identifier.
 * An optional leading `$.` is allowed. Null when malformed.
 */
export function parseMaskPath(path: string): MaskPath | null {
  let rest = path.trim().replace(/^\$\.?/, "");
  const segments: MaskPath = [];
  while (rest.length > 0) {
    let m: RegExpMatchArray | null;
    // A dot only between segments: ".a" at the start, "a..b" and a trailing "." are mistakes.
    if ((m = rest.match(segments.length === 0 ? /^([A-Za-z_$][\w$-]*)/ : /^\.([A-Za-z_$][\w$-]*)/))) segments.push({ kind: "member", name: m[1]! });
    else if ((m = rest.match(/^\[\s*\*\s*\]/))) segments.push({ kind: "every" });
    else if ((m = rest.match(/^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/))) segments.push({ kind: "member", name: JSON.parse(`"${m[1]}"`) as string });
    else return null;
    rest = rest.slice(m[0].length);
  }
  return segments.length > 0 ? segments : null;
}

const policySchema = z.object({
  name: z.string().trim().min(1, { error: "needs a name" }).max(200),
  topics: z.string().trim().min(1, { error: "needs a topic glob, e.g. payments*" }),
  paths: z.array(z.string()).min(1, { error: "needs at least one JSON path, e.g. data.card.number" }).max(100),
  // Admin sees every value whatever this says; an empty list means admin only.
  visibleTo: z.array(z.enum(ROLES, { error: `each role must be one of ${ROLES.join(", ")}` })).default([]),
});

export interface MaskingPolicy {
  name: string;
  topics: string;
  paths: string[];
  /** Roles that read the clear value; admin always does and is listed here too. */
  visibleTo: Role[];
}

function label(raw: unknown, index: number): string {
  const name = raw && typeof raw === "object" && typeof (raw as { name?: unknown }).name === "string" ? (raw as { name: string }).name : null;
  return name ? `policy ${index + 1} ("${name}")` : `policy ${index + 1}`;
}

/**
 * MASKING_POLICIES: a JSON array of `{ name, topics, paths, visibleTo }`. Every problem names the
 * policy it is in (its position and name), so a long configuration is quick to fix.
 */
export const maskingPoliciesSchema = z
  .string()
  .default("[]")
  .transform((text, ctx): MaskingPolicy[] => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: `must be a JSON array of policies: ${(error as Error).message}` });
      return z.NEVER;
    }
    if (!Array.isArray(raw)) {
      ctx.addIssue({ code: "custom", message: 'must be a JSON array of policies, e.g. [{"name":"card numbers","topics":"payments*","paths":["data.card.number"],"visibleTo":["admin"]}]' });
      return z.NEVER;
    }
    const policies: MaskingPolicy[] = [];
    const names = new Set<string>();
    raw.forEach((item, index) => {
      const where = label(item, index);
      const parsed = policySchema.safeParse(item);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: `${where}: ${issue.path.join(".") || "the policy"} ${issue.message}` });
        return;
      }
      const policy = parsed.data;
      if (names.has(policy.name)) ctx.addIssue({ code: "custom", message: `${where}: another policy has the same name` });
      names.add(policy.name);
      try {
        compileUserGlob(policy.topics);
      } catch (error) {
        if (!(error instanceof UserPatternError)) throw error;
        ctx.addIssue({ code: "custom", message: `${where}: topics: ${error.message}` });
      }
      for (const path of policy.paths) {
        if (!parseMaskPath(path)) ctx.addIssue({ code: "custom", message: `${where}: "${path}" is not a JSON path; write it like data.card.number or data.items[*].cvv` });
      }
      policies.push({ ...policy, visibleTo: [...new Set<Role>(["admin", ...policy.visibleTo])] });
    });
    return policies;
  });
