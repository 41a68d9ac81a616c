-- CreateTable
CREATE TABLE "DlqTopicIdentity" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "topicId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DlqTopicIdentity_pkey" PRIMARY KEY ("clusterName","topic")
);
