// An embedded PostgreSQL for newcomers without one: PGlite (Postgres compiled to WebAssembly),
// served on a local TCP port by pglite-socket so that Prisma, the web app and the worker connect
// to it exactly as they would to a real server. Data persists in .cache/pglite.
//
// Limits, and why it is only a fallback: PGlite is a single-session database. pglite-socket
// multiplexes many client connections onto that one session, so two clients' transactions can
// interleave. That is fine for a demo, not for production; set DATABASE_URL for real use.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { REPO_ROOT } from "./local-kafka";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: { port: number; dataDir?: string }): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir ?? path.join(REPO_ROOT, ".cache/pglite");
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, port: options.port, host: "127.0.0.1", maxConnections: 64 });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw new Error(`Could not start the embedded PostgreSQL on 127.0.0.1:${options.port}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${options.port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/** True when something accepts TCP connections on host:port within the timeout. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
