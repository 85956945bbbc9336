#!/usr/bin/env bash
# Remake docs/datasette-person.png: the shipped fact base exported with its metadata, served by
# Datasette on 127.0.0.1, and one person's page photographed by headless Chromium.
#
#   pip install '.[datasette]' && apt-get install -y chromium && bash docs/screenshot.sh [PERSON]
#
# PERSON is a person's id (default tokayev). KZKG, DATASETTE and CHROMIUM name the programs
# if they are not kzkg, datasette and chromium on PATH; HEIGHT the window's height in pixels
# (default 680, the page's own). Nothing is left running or behind.
set -euo pipefail
cd "$(dirname "$0")/.."

person=${1:-tokayev}
out=docs/datasette-person.png
kzkg=${KZKG:-kzkg}
datasette=${DATASETTE:-datasette}
chromium=${CHROMIUM:-chromium}

work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

"$kzkg" export --format sqlite "$work/kzkg.db" --metadata
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$datasette" serve "$work/kzkg.db" -m "$work/metadata.json" -h 127.0.0.1 -p "$port" \
    >"$work/datasette.log" 2>&1 &
server=$!

base="http://127.0.0.1:$port"
# Poll until it answers (up to a minute), or give up if it has exited.
python3 - "$base/-/versions.json" "$server" <<'EOF'
import os, sys, time, urllib.request
url, pid = sys.argv[1], int(sys.argv[2])
for _ in range(600):
    try:
        urllib.request.urlopen(url, timeout=5).close()
        sys.exit(0)
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit("datasette exited")
        time.sleep(0.1)
sys.exit("datasette did not answer")
EOF

"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$work/chromium" \
    --screenshot="$out" --window-size=1280,"${HEIGHT:-680}" "$base/kzkg/person/$person" 2>/dev/null
echo "wrote $out ($(wc -c <"$out") bytes) from $base/kzkg/person/$person"
