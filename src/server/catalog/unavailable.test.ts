// Which failures mean the database was away, in the shapes they arrive in (seen here against a
// PostgreSQL stopped with pg_ctl -m fast and -m immediate, and with its backends terminated).
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { isDatabaseUnavailable, translateDatabaseError } from "./unavailable";

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: "FATAL" });

describe("isDatabaseUnavailable", () => {
  it("recognises a server shutting down, crashing or starting, as pg reports it", () => {
    expect(isDatabaseUnavailable(pgError("57P01", "terminating connection due to administrator command"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P02", "terminating connection because of crash of another server process"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("57P03", "the database system is starting up"))).toBe(true);
    expect(isDatabaseUnavailable(pgError("08006", "connection failure"))).toBe(true);
  });

  it("recognises a connection that died under a query or a transaction, and a server that refuses connections", () => {
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", syscall: "connect", errno: -111 }))).toBe(true);
  });

  it("looks inside Prisma's errors, where the driver adapter's reason is", () => {
    const refused = Object.assign(new Error("Invalid `db.job.count()` invocation"), {
      name: "PrismaClientKnownRequestError",
      code: "P1001",
      meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 } } },
    });
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const terminated = Object.assign(new Error("Invalid `db.job.update()` invocation"), {
      name: "PrismaClientKnownRequestError",
      code: "P2010",
      meta: { driverAdapterError: { name: "DriverAdapterError", cause: { kind: "postgres", code: "57P01", message: "terminating connection due to administrator command" } } },
    });
    expect(isDatabaseUnavailable(terminated)).toBe(true);
  });

  it("leaves every other failure alone: a job that fails for those must fail", () => {
    expect(isDatabaseUnavailable(pgError("23505", "duplicate key value violates unique constraint"))).toBe(false);
    expect(isDatabaseUnavailable(new AppError("BAD_REQUEST", "The target topic refused a record as too large"))).toBe(false);
    expect(isDatabaseUnavailable(new Error("Kafka returned an error"))).toBe(false);
  });

  it("turns the database being away into DATABASE_UNAVAILABLE with the reason, and keeps other errors as they are", () => {
    const translated = translateDatabaseError(new Error("Connection terminated unexpectedly"));
    expect(translated).toBeInstanceOf(AppError);
    expect((translated as AppError).code).toBe("DATABASE_UNAVAILABLE");
    expect((translated as AppError).userMessage).toBe("PostgreSQL was unreachable (Connection terminated unexpectedly).");
    const other = new Error("syntax error");
    expect(translateDatabaseError(other)).toBe(other);
  });
});
