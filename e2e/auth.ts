// Signing in for the end-to-end tests: through the real sign-in endpoint, with the seeded demo accounts.
import path from "node:path";
import { request, type APIRequestContext } from "@playwright/test";

export const E2E_PASSWORD = "e2e-password-for-every-role";
export const ADMIN_STATE = path.resolve(import.meta.dirname, "artifacts/admin-state.json");

export const ACCOUNT = {
  admin: "admin@signalbox.local",
  operator: "operator@signalbox.local",
  architect: "architect@signalbox.local",
  support: "support@signalbox.local",
  viewer: "viewer@signalbox.local",
} as const;

export async function signInRequest(api: APIRequestContext, email: string, password = E2E_PASSWORD) {
  return api.post("/api/auth/sign-in", { data: { email, password }, headers: { "content-type": "application/json" } });
}

/** Signs in once and writes the browser state (the session cookie) for specs to reuse. */
export async function saveSignedInState(baseURL: string, email: string, file: string): Promise<void> {
  const api = await request.newContext({ baseURL });
  const response = await signInRequest(api, email);
  if (!response.ok()) throw new Error(`e2e sign-in as ${email} failed: HTTP ${response.status()} ${await response.text()}`);
  await api.storageState({ path: file });
  await api.dispose();
}
