#!/usr/bin/env bash
# Quality gates on the built example site (public/), run by .ci/run:
# the W3C Nu HTML Checker on every page, then headless Chromium (Debian's)
# with axe-core, served under a sub-path. Installs what it needs itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
site="$root/public"
[ -d "$site" ] || { echo "build the site first: cargo run --release -- build"; exit 1; }

if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq chromium default-jre-headless >/dev/null
fi
(cd "$here" && npm install --no-audit --no-fund --silent)

echo "== Nu HTML Checker"
java -jar "$here/node_modules/vnu-jar/build/dist/vnu.jar" --skip-non-html --errors-only "$site"
echo "every page valid"

echo "== Chromium + axe, served under /sub/"
serve_root="$(mktemp -d)"
ln -s "$site" "$serve_root/sub"
port=8765
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$serve_root" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$serve_root"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/sub/" >/dev/null && break; sleep 0.1; done
node "$here/browser.mjs" "http://127.0.0.1:$port/sub/"
