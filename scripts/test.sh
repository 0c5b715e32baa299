#!/usr/bin/env bash
# The test command: installs what the tests need (Debian packages, Python packages,
# Chromium), starts PostgreSQL and Redis on loopback, then runs the whole suite on
# SQLite and again on PostgreSQL with a Redis cache (the browser tests' demo server
# included; Lighthouse, which scores the same front-end bytes either way, only once).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install.sh --test
services_env=$(scripts/services.sh)
while IFS= read -r line; do
  if [[ "$line" =~ ^SAHAFA_[A-Z_]+= ]]; then export "${line?}"; fi
done <<<"$services_env"
: "${SAHAFA_TEST_POSTGRES_URL:?services.sh did not report PostgreSQL}"

mkdir -p test-artifacts
.venv/bin/ruff check sahafa tests bench
.venv/bin/python -m sahafa.cli manage makemigrations --check --dry-run >/dev/null \
  || { echo "makemigrations --check: model changes without a migration"; exit 1; }

echo "== SQLite, in-process cache =="
.venv/bin/pytest -q -p no:cacheprovider "$@"

echo "== PostgreSQL, Redis cache =="
redis-cli -u "$SAHAFA_TEST_REDIS_URL" flushdb >/dev/null
SAHAFA_DATABASE_URL="$SAHAFA_TEST_POSTGRES_URL" SAHAFA_CACHE_URL="$SAHAFA_TEST_REDIS_URL" \
  .venv/bin/pytest -q -p no:cacheprovider -m "not lighthouse" "$@"
