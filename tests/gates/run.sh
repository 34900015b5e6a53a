#!/usr/bin/env bash
# Quality gates on the built example site (public/), run by .ci/run:
# the W3C Nu HTML Checker on every page, then headless Chromium (Debian's)
# with axe-core, served under a sub-path, and the layout gates (layout.mjs:
# chart texts never overlap, pages and charts fit a phone, key figures keep
# to one line). Installs what it needs itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
site="$root/public"
[ -d "$site" ] || { echo "build the site first: cargo run --release -- build"; exit 1; }

if ! command -v chromium >/dev/null || ! command -v java >/dev/null || ! command -v pdftotext >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq chromium default-jre-headless poppler-utils >/dev/null
fi
(cd "$here" && npm install --no-audit --no-fund --silent)

# A port no one listens on: a fixed one may be taken by another server on
# this machine (a preview left running), which would answer in its place.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "== single-file reports and PDF"
reports="$(mktemp -d)"
bin="${CARGO_TARGET_DIR:-$root/target}/release/tearsheet"
(cd "$root" && "$bin" export content/briefs/2025q2-kuaishou.md -o "$reports/kuaishou-zh.html" \
  && "$bin" export content/briefs/2025q2-kuaishou-en.md -o "$reports/kuaishou-en.html" \
  && "$bin" export content/briefs/2025q2-kuaishou-en.md -o "$reports/kuaishou-en.pdf" --pdf)
text="$(pdftotext "$reports/kuaishou-en.pdf" -)"
for figure in "RMB 35.0bn" "+13.1% YoY" "RMB 5.6bn" "HK\$89"; do
  grep -qF -- "$figure" <<<"$text" || { echo "the PDF lacks $figure"; exit 1; }
done
echo "PDF shows the key figures"

echo "== Nu HTML Checker"
java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --skip-non-html --errors-only "$site" "$reports/kuaishou-zh.html" "$reports/kuaishou-en.html"
echo "every page and report valid"

echo "== Chromium + axe, served under /sub/"
serve_root="$(mktemp -d)"
ln -s "$site" "$serve_root/sub"
port="$(free_port)"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$serve_root" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$serve_root"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/sub/" >/dev/null && break; sleep 0.1; done
node "$here/browser.mjs" "http://127.0.0.1:$port/sub/"

echo "== Chromium layout: chart text apart, phones (390, 320 px), key-figure cards"
node "$here/layout.mjs" "http://127.0.0.1:$port/sub/" "$site"

echo "== search: words only in a brief's text, bytes per query, from disk"
node "$here/search.mjs" "http://127.0.0.1:$port/sub/" "$site" \
  "narrative=2025q2-kuaishou-en" "集中交付=2025q1-xinghe" "快手=2025q2-kuaishou"

# The same on a generated site of 10,000 briefs (a minute or two on two
# cores): TEARSHEET_GATE_10K=1 bash tests/gates/run.sh
if [ -n "${TEARSHEET_GATE_10K:-}" ]; then
  echo "== search on 10,000 generated briefs"
  corpus="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
  trap 'kill $server $server10k 2>/dev/null; rm -rf "$serve_root" "$corpus"' EXIT
  (cd "$root" && cargo run --quiet --release --example gen_corpus -- 10000 "$corpus")
  (cd "$corpus" && "$bin" build --no-cache >/dev/null)
  mkdir -p "$corpus/serve" && ln -s "$corpus/public" "$corpus/serve/sub"
  port10k="$(free_port)"
  python3 -m http.server "$port10k" --bind 127.0.0.1 --directory "$corpus/serve" >/dev/null 2>&1 &
  server10k=$!
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port10k/sub/" >/dev/null && break; sleep 0.1; done
  node "$here/search.mjs" "http://127.0.0.1:$port10k/sub/" "" \
    "增长=briefs" "公司 用户 估值=briefs" "growth margin=briefs" "cloud revenue guidance=briefs" \
    "示例公司07=ex07" "Example Co 12=ex12" "channel demand risk=briefs"
fi
