import { describe, expect, it } from "vitest";
import { ROLES } from "~/server/catalog/types";
import { hasRole } from "./roles";

describe("hasRole", () => {
  it("lets every role read", () => {
    for (const role of ROLES) expect(hasRole(role, "viewer")).toBe(true);
  });

  it("lets admin do everything", () => {
    for (const role of ROLES) expect(hasRole("admin", role)).toBe(true);
  });

  it("gives a person without a role nothing, not even reading", () => {
    for (const role of ROLES) expect(hasRole(null, role)).toBe(false);
  });

  it("keeps each area to its own role", () => {
    expect(hasRole("operator", "operator")).toBe(true);
    expect(hasRole("operator", "architect")).toBe(false);
    expect(hasRole("architect", "support")).toBe(false);
    expect(hasRole("support", "admin")).toBe(false);
    expect(hasRole("viewer", "operator")).toBe(false);
  });
});
