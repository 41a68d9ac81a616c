// The roles, lowest first. Both sides use them: the server to check access, the browser to offer
// them in Settings. The catalog stores them (catalog/types.ts re-exports these).
export const ROLES = ["viewer", "operator", "architect", "support", "admin"] as const;
export type Role = (typeof ROLES)[number];
