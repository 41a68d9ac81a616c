// Dead-letter topics the catalog declares, besides those the name patterns find, with the topic
// their failures come from.
import "server-only";
import { getDb } from "./db";

export interface DlqDeclarationRow {
  topic: string;
  sourceTopic: string | null;
  note: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

const select = { topic: true, sourceTopic: true, note: true, createdBy: true, createdAt: true, updatedAt: true } as const;

export async function listDlqDeclarations(clusterName: string): Promise<DlqDeclarationRow[]> {
  return getDb().dlqTopicDeclaration.findMany({ where: { clusterName }, select, orderBy: { topic: "asc" } });
}

export async function findDlqDeclaration(clusterName: string, topic: string): Promise<DlqDeclarationRow | null> {
  return getDb().dlqTopicDeclaration.findUnique({ where: { clusterName_topic: { clusterName, topic } }, select });
}

/** Declares (or updates) a DLQ topic; returns the row and whether it was new. */
export async function saveDlqDeclaration(clusterName: string, input: { topic: string; sourceTopic: string | null; note: string; actor: string }): Promise<{ row: DlqDeclarationRow; created: boolean }> {
  const db = getDb();
  const existing = await findDlqDeclaration(clusterName, input.topic);
  const row = await db.dlqTopicDeclaration.upsert({
    where: { clusterName_topic: { clusterName, topic: input.topic } },
    create: { clusterName, topic: input.topic, sourceTopic: input.sourceTopic, note: input.note, createdBy: input.actor },
    update: { sourceTopic: input.sourceTopic, note: input.note },
    select,
  });
  return { row, created: existing === null };
}

export async function deleteDlqDeclaration(clusterName: string, topic: string): Promise<boolean> {
  const result = await getDb().dlqTopicDeclaration.deleteMany({ where: { clusterName, topic } });
  return result.count > 0;
}
