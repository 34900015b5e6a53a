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
port=8765
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$serve_root" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$serve_root"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/sub/" >/dev/null && break; sleep 0.1; done
node "$here/browser.mjs" "http://127.0.0.1:$port/sub/"

echo "== Chromium layout: chart text apart, phones (390, 320 px), key-figure cards"
node "$here/layout.mjs" "http://127.0.0.1:$port/sub/" "$site"
