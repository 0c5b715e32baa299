#!/usr/bin/env bash
# Security scan of a local demo site: sqlmap (SQL injection) and wapiti (sql, xss,
# exec, file, crlf, redirect) against the public endpoints and search. Prints ONE
# JSON line of findings (target: 0). Only ever targets 127.0.0.1.
#
#   bench/security_scan.sh [PORT]        (default 8765; env SCAN_SECONDS per tool, default 300)
set -uo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
PORT="${1:-8765}"
BASE="http://127.0.0.1:${PORT}"
SCAN_SECONDS="${SCAN_SECONDS:-300}"
WORK="$(mktemp -d /tmp/sahafa-security-scan.XXXXXX)"
export SAHAFA_HOME="$WORK/home"
export SAHAFA_ALLOWED_HOSTS="127.0.0.1,localhost"
export SAHAFA_PAGE_CACHE_SECONDS="${SAHAFA_PAGE_CACHE_SECONDS:-300}"
unset SAHAFA_DATABASE_URL SAHAFA_CACHE_URL SAHAFA_DEBUG
SAHAFA="$REPO/.venv/bin/sahafa"
PY="$REPO/.venv/bin/python"
log() { echo "security_scan: $*" >&2; }

# 1. The scanners, from Debian, if missing.
for tool in sqlmap wapiti; do
  if ! command -v "$tool" >/dev/null; then
    if apt-cache policy "$tool" 2>/dev/null | grep -q "Candidate: [0-9]"; then
      log "installing $tool from Debian"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >"$WORK/apt-$tool.log" 2>&1 || true
    fi
  fi
  command -v "$tool" >/dev/null || { echo "{\"error\": \"$tool not available\"}"; exit 2; }
done

# Debian's wapiti asks for brotli bodies (Accept-Encoding: ..., br) but decodes them
# only with python3-brotli; without it, every page Sahafa serves in brotli is
# unreadable to the crawler, which then finds one URL.
if ! /usr/bin/python3 -c "import brotli" 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-brotli >"$WORK/apt-brotli.log" 2>&1 || true
fi

# 2. A demo site (or a few articles when the demo content is absent), served locally.
mkdir -p "$SAHAFA_HOME"
if [ -f "$REPO/sahafa/news/demo/content.json" ]; then
  "$SAHAFA" demo --no-serve --port "$PORT" >"$WORK/demo.log" 2>&1 || { log "demo failed, see $WORK/demo.log"; }
else
  "$SAHAFA" manage migrate --no-input >"$WORK/demo.log" 2>&1
  "$SAHAFA" manage shell -c '
from sahafa.news.structure import ensure_section, create_article
s = ensure_section("سياسة", "siyasa")
for i in range(5):
    create_article(s, title=f"خبر تجريبي رقم {i}", body=[("paragraph", "<p>نص الخبر.</p>")], tags=["تجربة"])
' >>"$WORK/demo.log" 2>&1
fi
"$SAHAFA" serve --host 127.0.0.1 --port "$PORT" --workers 2 >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null' EXIT
for _ in $(seq 1 60); do curl -fsS -o /dev/null "$BASE/" 2>/dev/null && break; sleep 1; done
curl -fsS -o /dev/null "$BASE/" || { echo '{"error": "demo server did not start"}'; exit 2; }

# Real addresses for the path-parameter targets.
read -r TAG AUTHOR ARTICLE < <("$SAHAFA" manage shell -c '
from sahafa.news.models import ArticlePage, Author, NewsTag
t = NewsTag.objects.first(); a = Author.objects.first(); p = ArticlePage.objects.published().first()
print(t.slug if t else "x", a.slug if a else "x", p.pk if p else 1)
' 2>/dev/null | tail -1)
log "targets: tag=$TAG author=$AUTHOR article=$ARTICLE"

# 3. sqlmap: each parameter (the '*' marks a path parameter).
TARGETS=(
  "$BASE/search/?q=test"
  "$BASE/search.json?q=test"
  "$BASE/search/?q=test&page=1"
  "$BASE/tag/${TAG}*/"
  "$BASE/author/${AUTHOR}*/"
  "$BASE/a/${ARTICLE}*/"
  "$BASE/api/v1/articles/?page=1"
)
INJECTABLE=()
for url in "${TARGETS[@]}"; do
  log "sqlmap $url"
  out="$WORK/sqlmap-$(echo "$url" | md5sum | cut -c1-8).log"
  timeout "$SCAN_SECONDS" sqlmap -u "$url" --batch --level 2 --risk 1 --disable-coloring \
    --output-dir "$WORK/sqlmap" --flush-session --threads 2 >"$out" 2>&1
  if grep -qE "identified the following injection point|is vulnerable" "$out"; then
    INJECTABLE+=("$url")
  fi
done

# 4. wapiti: crawl the public site, attack with the chosen modules. No -x exclusions:
# Debian's wapiti 3.0.4 crashes on them under Python 3.11 (wildcard_translate builds
# a regex with inline flags not at the start); the admin is only a sign-in form to it.
log "wapiti $BASE/"
timeout $((SCAN_SECONDS + 120)) wapiti -u "$BASE/" --scope folder -m "sql,xss,exec,file,crlf,redirect" \
  --flush-session -d 3 --max-links-per-page 30 \
  --max-scan-time "$SCAN_SECONDS" --max-attack-time "$((SCAN_SECONDS / 6))" \
  -f json -o "$WORK/wapiti.json" >"$WORK/wapiti.log" 2>&1

# 5. One JSON line.
"$PY" - "$WORK" "${#TARGETS[@]}" "${INJECTABLE[@]+"${INJECTABLE[@]}"}" <<'PYEOF'
import json, sys
from pathlib import Path
work, target_count, injectable = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
report = work / "wapiti.json"
wapiti = {"ran": report.exists(), "findings": {}, "urls_crawled": None}
if report.exists():
    data = json.loads(report.read_text())
    for section in ("vulnerabilities", "anomalies"):
        for category, items in (data.get(section) or {}).items():
            if items:
                wapiti["findings"][f"{section}:{category}"] = [
                    f"{i.get('method')} {i.get('path')} {i.get('parameter', '')}".strip() for i in items
                ][:10]
log = work / "wapiti.log"
if log.exists():
    import re

    found = re.search(r"Wapiti found (\d+) URLs and forms", log.read_text(errors="replace"))
    wapiti["urls_crawled"] = int(found.group(1)) if found else None
total = len(injectable) + sum(len(v) for v in wapiti["findings"].values())
print(json.dumps({
    "bench": "security_scan",
    "sqlmap": {"targets": target_count, "injectable": injectable},
    "wapiti": wapiti,
    "findings": total,
    "logs": str(work),
}, ensure_ascii=False))
PYEOF
