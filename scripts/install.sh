#!/usr/bin/env bash
# Install what Sahafa needs on a fresh Debian machine (run as root):
# system packages, a virtualenv at .venv with Sahafa and its pinned dependencies.
#   scripts/install.sh          the site
#   scripts/install.sh --test   also PostgreSQL, Redis, Chromium and the test tools
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

packages=(python3-venv fonts-noto-core)
if [ "$want_test" = 1 ]; then
  packages+=(postgresql redis-server chromium wrk varnish nginx)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/pip install -q --disable-pip-version-check --upgrade pip >/dev/null
if [ "$want_test" = 1 ]; then
  .venv/bin/pip install -q --disable-pip-version-check -e ".[test]"
  # Lighthouse and axe-core for tests/browser/test_frontend_quality.py, pinned exactly,
  # with the machine's Node.js (Lighthouse 13 needs a newer one); they drive Debian's
  # Chromium and download no browser. Skipped when those versions are in place.
  if ! node -e 'const v = (p) => require("./.tools/node_modules/" + p + "/package.json").version;
      process.exit(v("lighthouse") === "12.2.3" && v("axe-core") === "4.14.1" ? 0 : 1)' 2>/dev/null; then
    npm install --prefix .tools --no-audit --no-fund --loglevel=error --save-exact \
      lighthouse@12.2.3 axe-core@4.14.1 >/dev/null
  fi
else
  .venv/bin/pip install -q --disable-pip-version-check -e .
fi
