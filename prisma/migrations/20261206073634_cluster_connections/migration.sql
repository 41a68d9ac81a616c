-- Issue 18: clusters over SASL_SSL, SSL and mutual TLS, defined in configuration or in Settings,
-- with their secrets sealed (AES-256-GCM, see src/server/services/secrets/secret-box.ts).
ALTER TABLE "Cluster"
ADD COLUMN     "color" TEXT,
ADD COLUMN     "label" TEXT,
ADD COLUMN     "saslPasswordSealed" TEXT,
ADD COLUMN     "schemaRegistryUrl" TEXT,
ADD COLUMN     "securityProtocol" TEXT NOT NULL DEFAULT 'PLAINTEXT',
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'settings',
ADD COLUMN     "tlsCa" TEXT,
ADD COLUMN     "tlsCert" TEXT,
ADD COLUMN     "tlsKeyPassphraseSealed" TEXT,
ADD COLUMN     "tlsKeySealed" TEXT,
ADD COLUMN     "tlsVerifyHostname" BOOLEAN NOT NULL DEFAULT true;

-- Before this migration the only writer of this table was the mirror of the configured cluster
-- (KAFKA_BROKERS, KAFKA_SSL, KAFKA_SASL_*), so every row is a configured one.
UPDATE "Cluster" SET
  "source" = 'configuration',
  "securityProtocol" = CASE
    WHEN "ssl" AND "saslMechanism" IS NOT NULL THEN 'SASL_SSL'
    WHEN "ssl" THEN 'SSL'
    WHEN "saslMechanism" IS NOT NULL THEN 'SASL_PLAINTEXT'
    ELSE 'PLAINTEXT'
  END,
  "saslMechanism" = UPPER("saslMechanism");

-- The plaintext password was a copy of KAFKA_SASL_PASSWORD, which the configuration still holds:
-- it is dropped, not sealed. A configured cluster's secrets are never stored in the catalog.
ALTER TABLE "Cluster" DROP COLUMN "saslPassword",
DROP COLUMN "ssl";
