import { describe, expect, it } from "vitest";
import type { Actor } from "~/server/catalog";
import { assertMayActEverywhere, assertMayActOn, mayAct, mayActEverywhere, mayActOn, visibleTo, type Grant } from "./authorize";

const scope = (s: Partial<Record<"clusters" | "topics" | "groups" | "subjects", string[]>>) => ({ clusters: [], topics: [], groups: [], subjects: [], ...s });
const actor = (role: Actor["role"], grants?: Grant[]): Actor => ({ email: "sam@example.com", name: "Sam", role, grants });

describe("authorize", () => {
  const sam = actor("viewer", [
    { role: "viewer", scope: null, source: "role" },
    { role: "support", scope: scope({ topics: ["payments*"] }), source: "binding 1" },
  ]);

  it("lets a scoped support redrive payments.DLQ and not orders.DLQ", () => {
    expect(mayAct(sam, "support")).toBe(true);
    expect(mayActOn(sam, "support", { topics: ["payments.DLQ"] })).toBe(true);
    expect(mayActOn(sam, "support", { topics: ["orders.DLQ"] })).toBe(false);
    expect(() => assertMayActOn(sam, "support", { topics: ["orders.DLQ"] })).toThrow("This action on topic orders.DLQ needs the support role there; sam@example.com has it only for topics payments*.");
  });

  it("needs every named topic in scope (a replay's source and target)", () => {
    expect(mayActOn(sam, "support", { topics: ["payments", "payments.retry"] })).toBe(true);
    expect(mayActOn(sam, "support", { topics: ["payments", "orders"] })).toBe(false);
  });

  it("leaves kinds the scope does not name unlimited, and checks the ones it names", () => {
    const groupScoped = actor(null, [{ role: "support", scope: scope({ groups: ["billing-*"] }), source: "binding 2" }]);
    expect(mayActOn(groupScoped, "support", { group: "billing-worker", topics: ["anything"] })).toBe(true);
    expect(mayActOn(groupScoped, "support", { group: "shipping-worker" })).toBe(false);
  });

  it("keeps its own role everywhere; admin covers every role; no grants, nothing", () => {
    expect(mayActOn(actor("admin"), "support", { topics: ["orders.DLQ"] })).toBe(true);
    expect(mayActEverywhere(sam, "viewer")).toBe(true);
    expect(mayActEverywhere(sam, "support")).toBe(false);
    expect(mayAct(actor(null), "viewer")).toBe(false);
    expect(() => assertMayActEverywhere(sam, "support", "The global level")).toThrow(/needs the support role everywhere/);
  });

  it("shows a scoped viewer only what its patterns name", () => {
    const reader = actor(null, [{ role: "viewer", scope: scope({ topics: ["payments*"] }), source: "binding 3" }]);
    expect(visibleTo(reader, ["orders", "payments", "payments.DLQ"], (t) => ({ topics: [t] }))).toEqual(["payments", "payments.DLQ"]);
    expect(visibleTo(sam, ["orders", "payments"], (t) => ({ topics: [t] }))).toEqual(["orders", "payments"]);
  });

  it("grants nothing through a pattern that cannot be compiled", () => {
    const broken = actor(null, [{ role: "support", scope: scope({ topics: ["+(a|b)"] }), source: "binding 4" }]);
    expect(mayActOn(broken, "support", { topics: ["a"] })).toBe(false);
  });
});
