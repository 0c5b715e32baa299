#!/usr/bin/env bash
# Start PostgreSQL and Redis on loopback for the tests (idempotent) and print the
# environment lines that point the test run at them.
set -euo pipefail
# Only the environment lines go to stdout (fd 3); whatever the tools say (for
# example pg_ctlcluster's "Removed stale pid file.") goes to stderr.
exec 3>&1 1>&2
# Daemons started below must not inherit fd 3, or the caller waits for them forever.

pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
  pg_lsclusters -h 2>/dev/null | grep -q . || pg_createcluster "$pg_version" main >/dev/null
  pg_ctlcluster "$pg_version" main start 3>&-
fi
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='sahafa'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE sahafa LOGIN PASSWORD 'sahafa' CREATEDB;\""
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='sahafa'\"" | grep -q 1 \
  || su postgres -c "createdb -O sahafa sahafa"

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no >/dev/null 3>&-
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
echo "SAHAFA_TEST_POSTGRES_URL=postgres://sahafa:sahafa@127.0.0.1:5432/sahafa" >&3
echo "SAHAFA_TEST_REDIS_URL=redis://127.0.0.1:6379/15" >&3
