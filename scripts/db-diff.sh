#!/usr/bin/env bash
# `npm run db:diff -- <name>`: write a new migration offline.
# Prisma's Wasm schema engine (the only one that runs without its download server) cannot use a
# shadow database, so we diff datamodel to datamodel: the schema as last committed (or at
# DB_DIFF_FROM, a git ref) against prisma/schema.prisma as edited now. The engine still opens a
# connection through the configured adapter, so DATABASE_URL (default: the local PostgreSQL) must answer.
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run db:diff -- <migration_name>}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || { echo "Migration name must be lower_snake_case, got '$name'" >&2; exit 2; }
from_ref="${DB_DIFF_FROM:-HEAD}"
old="$(mktemp --suffix=.prisma)"
trap 'rm -f "$old"' EXIT
git show "${from_ref}:prisma/schema.prisma" > "$old"
dir="prisma/migrations/$(date -u +%Y%m%d%H%M%S)_${name}"
sql="$(DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}" npx prisma migrate diff \
  --from-schema-datamodel "$old" --to-schema-datamodel prisma/schema.prisma --script)"
# An empty migration.sql would be recorded as applied by `migrate deploy`: never write one.
if ! grep -qvE '^\s*(--.*)?$' <<<"$sql"; then
  echo "No schema changes since ${from_ref}; no migration written."
  exit 0
fi
mkdir -p "$dir"
printf '%s\n' "$sql" > "$dir/migration.sql"
echo "Wrote $dir/migration.sql"
