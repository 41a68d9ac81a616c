import { setUserRole, writeAudit, type Actor, type Role } from "~/server/catalog";
import { AppError } from "~/server/errors";

export async function changeUserRole(actor: Actor, input: { email: string; role: Role }): Promise<{ email: string; role: Role }> {
  const change = await setUserRole(input.email, input.role);
  if (!change) throw new AppError("NOT_FOUND", `No user with email ${input.email}.`);
  await writeAudit({ actor, action: "user.role.set", targetType: "user", targetId: input.email, details: change });
  return { email: input.email, role: input.role };
}
