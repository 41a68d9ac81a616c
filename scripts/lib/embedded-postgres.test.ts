import { describe, expect, it } from "vitest";
import { canEnter, dataDirProblem, parsePostmasterPid } from "./embedded-postgres";

const asPostgres = { expectedUid: 101, expectedUser: "postgres", major: "17" };

describe("dataDirProblem", () => {
  it("accepts a missing directory, an empty one and a cluster of the same major version, owned by the server's user", () => {
    expect(dataDirProblem({ exists: false, entries: [], ownerUid: -1, pgVersion: null }, asPostgres)).toBeNull();
    expect(dataDirProblem({ exists: true, entries: [], ownerUid: 101, pgVersion: null }, asPostgres)).toBeNull();
    expect(dataDirProblem({ exists: true, entries: ["PG_VERSION", "base"], ownerUid: 101, pgVersion: "17" }, asPostgres)).toBeNull();
  });

  it("names the owner and the server's user when someone else owns the directory", () => {
    const problem = dataDirProblem({ exists: true, entries: ["PG_VERSION"], ownerUid: 0, pgVersion: "17" }, asPostgres);
    expect(problem).toContain("owned by uid 0");
    expect(problem).toContain('runs as "postgres" (uid 101)');
  });

  it("refuses a directory that holds something else, or a cluster of another major version", () => {
    expect(dataDirProblem({ exists: true, entries: ["notes.txt"], ownerUid: 101, pgVersion: null }, asPostgres)).toContain("not a PostgreSQL data directory");
    expect(dataDirProblem({ exists: true, entries: ["PG_VERSION"], ownerUid: 101, pgVersion: "16" }, asPostgres)).toContain("created by PostgreSQL 16");
  });

  it("skips the ownership check where there are no user ids", () => {
    expect(dataDirProblem({ exists: true, entries: ["PG_VERSION"], ownerUid: 0, pgVersion: "17" }, { ...asPostgres, expectedUid: null })).toBeNull();
  });
});

describe("canEnter", () => {
  const user = { uid: 101, gid: 104 };
  it("uses the owner's, the group's or everyone's execute bit, whichever applies", () => {
    expect(canEnter({ uid: 0, gid: 0, mode: 0o40755 }, user)).toBe(true);
    expect(canEnter({ uid: 0, gid: 0, mode: 0o40700 }, user)).toBe(false);
    expect(canEnter({ uid: 0, gid: 104, mode: 0o40750 }, user)).toBe(true);
    expect(canEnter({ uid: 101, gid: 0, mode: 0o40700 }, user)).toBe(true);
    // The owner's bits decide for the owner, even when everyone else may enter.
    expect(canEnter({ uid: 101, gid: 0, mode: 0o40605 }, user)).toBe(false);
  });
});

describe("parsePostmasterPid", () => {
  it("reads the first line, and nothing from an empty or garbled file", () => {
    expect(parsePostmasterPid("17399\n/data\n1796530131\n26499\n\n127.0.0.1\n  2154860        15\nready   \n")).toBe(17399);
    expect(parsePostmasterPid("")).toBeNull();
    expect(parsePostmasterPid(null)).toBeNull();
    expect(parsePostmasterPid("garbage\n")).toBeNull();
  });
});
