-- The list pages read the snapshot's list rows alone (lag/list-pages.ts), not every partition of the payload.
ALTER TABLE "LagSnapshotLatest" ADD COLUMN "lists" JSONB;
