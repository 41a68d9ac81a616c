// Starts the embedded PostgreSQL and keeps running until killed: embedded-postgres.int.test.ts kills
// this process with SIGKILL, as a user might kill the demo, and checks that the next start copes.
// Usage: node --import tsx scripts/lib/embedded-postgres-child.ts <port> <data dir>
import { startEmbeddedPostgres } from "./embedded-postgres";

const [port, dataDir] = process.argv.slice(2);
if (!port || !dataDir) throw new Error("usage: embedded-postgres-child.ts <port> <data dir>");
const embedded = await startEmbeddedPostgres({ port: Number(port), dataDir });
console.log(`ready ${embedded.port}`);
// Something to keep the event loop alive: the server itself is an unreferenced child.
setInterval(() => {}, 60_000);
