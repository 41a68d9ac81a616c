// Role bindings managed by admins: a role for a user, an identity provider's group or a token,
// limited to resources by name patterns. Each pattern is compiled before it is stored.
import { z } from "zod";
import { compileUserGlob, GLOB_MAX_LENGTH } from "~/lib/user-regex";
import { createRoleBinding, deleteRoleBinding, listRoleBindings, type Actor } from "~/server/catalog";
import { ROLES } from "~/server/catalog/types";
import { AppError, parseOrExplain } from "~/server/errors";

const glob = z
  .string()
  .trim()
  .min(1)
  .max(GLOB_MAX_LENGTH)
  .superRefine((pattern, ctx) => {
    try {
      compileUserGlob(pattern);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
    }
  });
const patterns = z.array(glob).max(20).default([]);

export const roleBindingInput = z
  .object({
    principalKind: z.enum(["user", "group", "token"]),
    principal: z.string().trim().min(1).max(254),
    role: z.enum(ROLES),
    clusters: patterns,
    topics: patterns,
    groups: patterns,
    subjects: patterns,
  })
  .refine((b) => b.clusters.length + b.topics.length + b.groups.length + b.subjects.length > 0, {
    error: "Name at least one pattern (cluster, topic, consumer group or subject); an unlimited role is the principal's own role, set on the user or token.",
  });

export async function addRoleBinding(actor: Actor, input: z.input<typeof roleBindingInput>) {
  const binding = parseOrExplain(roleBindingInput, input, "role binding");
  return createRoleBinding({ ...binding, createdBy: actor.email }, (id) => ({ actor, action: "binding.create", targetType: binding.principalKind, targetId: binding.principal, details: { id, ...binding } }));
}

export async function removeRoleBinding(actor: Actor, id: string): Promise<void> {
  const removed = await deleteRoleBinding(id, (row) => ({ actor, action: "binding.delete", targetType: row.principalKind, targetId: row.principal, details: { ...row } }));
  if (!removed) throw new AppError("NOT_FOUND", `No role binding ${id}.`);
}

export { listRoleBindings };
