// Administration of people: local accounts, roles, disabling and password resets. Each change and
// its audit entry are one transaction (catalog/auth.ts updateAccount).
import { z } from "zod";
import { createAccount, listAccounts, updateAccount, type Actor, type Role } from "~/server/catalog";
import { ROLES } from "~/server/catalog/types";
import { AppError, parseOrExplain } from "~/server/errors";
import { hashPassword, passwordProblem } from "~/server/services/auth/passwords";

export const newAccountInput = z.object({
  email: z.email().max(254).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(120),
  role: z.enum(ROLES).nullable(),
  password: z.string().max(200),
});

export async function createLocalAccount(actor: Actor, input: z.input<typeof newAccountInput>): Promise<{ email: string }> {
  const account = parseOrExplain(newAccountInput, input, "account");
  const problem = passwordProblem(account.password);
  if (problem) throw new AppError("BAD_REQUEST", problem);
  const created = await createAccount(
    { email: account.email, name: account.name, role: account.role, passwordHash: await hashPassword(account.password) },
    { actor, action: "user.create", targetType: "user", targetId: account.email, details: { role: account.role, name: account.name } },
  );
  if (!created) throw new AppError("CONFLICT", `A user with email ${account.email} exists already.`);
  return { email: account.email };
}

function notFound(email: string): never {
  throw new AppError("NOT_FOUND", `No user with email ${email}.`);
}

export async function changeUserRole(actor: Actor, input: { email: string; role: Role | null }): Promise<{ email: string; role: Role | null }> {
  if (input.email === actor.email && input.role !== "admin") throw new AppError("BAD_REQUEST", "You cannot take the admin role from yourself; ask another admin.");
  const before = await updateAccount(input.email, { role: input.role, roleSource: "local" }, (b) => ({ actor, action: "user.role.set", targetType: "user", targetId: input.email, details: { before: b.role, after: input.role, sourceBefore: b.roleSource } }));
  if (!before) notFound(input.email);
  return { email: input.email, role: input.role };
}

export async function setAccountDisabled(actor: Actor, input: { email: string; disabled: boolean }): Promise<void> {
  if (input.email === actor.email && input.disabled) throw new AppError("BAD_REQUEST", "You cannot disable your own account.");
  const before = await updateAccount(input.email, { disabled: input.disabled }, () => ({ actor, action: input.disabled ? "user.disable" : "user.enable", targetType: "user", targetId: input.email }));
  if (!before) notFound(input.email);
}

export async function resetAccountPassword(actor: Actor, input: { email: string; password: string }): Promise<void> {
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError("BAD_REQUEST", problem);
  const passwordHash = await hashPassword(input.password);
  // The password itself never reaches the audit details.
  const before = await updateAccount(input.email, { passwordHash }, () => ({ actor, action: "user.password.reset", targetType: "user", targetId: input.email }));
  if (!before) notFound(input.email);
}

export { listAccounts };
