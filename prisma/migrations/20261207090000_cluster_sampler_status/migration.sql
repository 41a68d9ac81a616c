-- Issue 18: the worker samples every cluster and records, per cluster, how its last cycle went, so
-- a cluster that is down or refuses authentication shows as down with its error.
CREATE TABLE "ClusterSamplerStatus" (
    "clusterName" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "lastSuccessAt" TIMESTAMP(3),
    "error" TEXT,
    "errorCode" TEXT,

    CONSTRAINT "ClusterSamplerStatus_pkey" PRIMARY KEY ("clusterName")
);
