#!/usr/bin/env bash
# Benchmarks of Cloudreel's download queue against curl and aria2c, from a
# local nginx on a loopback port (Debian's nginx-light, its own temporary
# configuration, so that Range is real):
#   1. one 1 GiB file: Cloudreel vs `curl -o`      (target: time <= 1.05 x curl)
#   2. 8 files of 128 MiB: Cloudreel -c 8 vs `aria2c -j8` (target: >= 0.95 x aria2c's throughput)
#   3. Cloudreel's peak RSS during the 1 GiB file (`/usr/bin/time -v`; target <= 60 MiB)
#   4. the 1 GiB file over a paced 1 Gbit/s link (nginx's limit_rate): Cloudreel, which
#      computes the SHA-256 as it writes, vs curl, which computes nothing (target: <= 1.05 x)
# Each figure is the median of RUNS runs (default 3). Everything lives in one
# temporary folder, removed at the end. Run from the repository root:
#   bash fetch/queue/bench/bench.sh
# Needs: go, nginx, curl, aria2c, /usr/bin/time (Debian packages nginx-light,
# curl, aria2, time), python3 (for a free port), about 3.5 GiB of free disk.
set -euo pipefail

RUNS=${RUNS:-3}
BIG=$((1024 * 1024 * 1024))
SMALL=$((128 * 1024 * 1024))
NSMALL=8

for tool in go nginx curl aria2c python3; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is not installed (Debian package: time)" >&2; exit 1; }
NGINX=$(command -v nginx)

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cloudreel-bench.XXXXXX")
chmod 755 "$WORK"
NGINX_PID=""
cleanup() {
	if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
		kill "$NGINX_PID" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

echo "bench: building benchget" >&2
(cd "$ROOT" && go build -o "$WORK/benchget" ./fetch/queue/bench/cmd/benchget)

echo "bench: generating the files (random bytes)" >&2
mkdir -p "$WORK/www" "$WORK/nginx" "$WORK/dl"
head -c "$BIG" /dev/urandom >"$WORK/www/big.bin"
for i in $(seq 0 $((NSMALL - 1))); do head -c "$SMALL" /dev/urandom >"$WORK/www/small$i.bin"; done
chmod -R a+rX "$WORK/www"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
USER_LINE=""
[ "$(id -u)" = 0 ] && USER_LINE="user root;"
cat >"$WORK/nginx/nginx.conf" <<EOF
$USER_LINE
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$PORT;
        root $WORK/www;
        # A gigabit link (125,000,000 bytes a second): faster than any of
        # the four platforms serves one file.
        location /link/ {
            alias $WORK/www/;
            limit_rate 125000000;
        }
    }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' 2>"$WORK/nginx/stderr.log" &
NGINX_PID=$!
for _ in $(seq 100); do curl -fsS -o /dev/null -r 0-0 "$BASE/big.bin" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null -r 0-0 "$BASE/big.bin" || { echo "bench: nginx did not start:" >&2; cat "$WORK/nginx/"*.log >&2; exit 1; }
range=$(curl -s -o /dev/null -w '%{http_code}' -r 100-199 "$BASE/big.bin")
[ "$range" = 206 ] || { echo "bench: nginx answered $range to a Range request" >&2; exit 1; }

# timed OUT CMD...: runs CMD under /usr/bin/time -v after a sync, and writes
# "milliseconds maxrss_kib" to OUT (wall-clock time from date +%s%N).
timed() {
	local out=$1
	shift
	sync
	local t0 t1
	t0=$(date +%s%N)
	/usr/bin/time -v -o "$out.time" "$@" >"$out.stdout" 2>"$out.stderr" || {
		echo "bench: failed: $*" >&2
		cat "$out.stderr" >&2
		exit 1
	}
	t1=$(date +%s%N)
	local rss
	rss=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$out.time")
	echo "$(( (t1 - t0) / 1000000 )) $rss" >"$out"
}

clean_dl() { rm -rf "$WORK/dl" "$WORK/state"; mkdir -p "$WORK/dl" "$WORK/state"; }

check_size() { # path bytes
	local got
	got=$(stat -c %s "$1")
	[ "$got" = "$2" ] || { echo "bench: $1 has $got bytes, want $2" >&2; exit 1; }
}

SMALL_URLS=()
for i in $(seq 0 $((NSMALL - 1))); do SMALL_URLS+=("$BASE/small$i.bin"); done
printf '%s\n' "${SMALL_URLS[@]}" >"$WORK/aria2.list"

# curl_big URL and cloudreel_big URL fetch the 1 GiB file from URL into
# an empty folder, check its size, and leave "milliseconds maxrss_kib" in
# $WORK/r.
curl_big() {
	clean_dl
	timed "$WORK/r" curl -fsS -o "$WORK/dl/big.bin" "$1"
	check_size "$WORK/dl/big.bin" "$BIG"
}
cloudreel_big() {
	clean_dl
	timed "$WORK/r" "$WORK/benchget" -dest "$WORK/dl" -state "$WORK/state" -size "$BIG" -c 1 "$1"
	check_size "$WORK/dl/file0.bin" "$BIG"
}

declare -a CURL_MS CR_BIG_MS CR_BIG_RSS ARIA_MS CR_SMALL_MS CURL_LINK_MS CR_LINK_MS
for run in $(seq "$RUNS"); do
	echo "bench: run $run of $RUNS" >&2
	curl_big "$BASE/big.bin"
	read -r ms _ <"$WORK/r"; CURL_MS+=("$ms")

	cloudreel_big "$BASE/big.bin"
	read -r ms rss <"$WORK/r"; CR_BIG_MS+=("$ms"); CR_BIG_RSS+=("$rss")

	clean_dl
	timed "$WORK/r" aria2c -q -j8 -d "$WORK/dl" -i "$WORK/aria2.list" --allow-overwrite=true --auto-file-renaming=false
	for i in $(seq 0 $((NSMALL - 1))); do check_size "$WORK/dl/small$i.bin" "$SMALL"; done
	read -r ms _ <"$WORK/r"; ARIA_MS+=("$ms")

	clean_dl
	timed "$WORK/r" "$WORK/benchget" -dest "$WORK/dl" -state "$WORK/state" -size "$SMALL" -c 8 "${SMALL_URLS[@]}"
	for i in $(seq 0 $((NSMALL - 1))); do check_size "$WORK/dl/file$i.bin" "$SMALL"; done
	read -r ms _ <"$WORK/r"; CR_SMALL_MS+=("$ms")

	curl_big "$BASE/link/big.bin"
	read -r ms _ <"$WORK/r"; CURL_LINK_MS+=("$ms")

	cloudreel_big "$BASE/link/big.bin"
	read -r ms _ <"$WORK/r"; CR_LINK_MS+=("$ms")
done
clean_dl

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

curl_ms=$(median "${CURL_MS[@]}")
crbig_ms=$(median "${CR_BIG_MS[@]}")
rss_kib=$(median "${CR_BIG_RSS[@]}")
aria_ms=$(median "${ARIA_MS[@]}")
crsmall_ms=$(median "${CR_SMALL_MS[@]}")
curllink_ms=$(median "${CURL_LINK_MS[@]}")
crlink_ms=$(median "${CR_LINK_MS[@]}")
total_small=$((SMALL * NSMALL))

awk -v runs="$RUNS" -v curl="$curl_ms" -v crbig="$crbig_ms" -v rss="$rss_kib" -v aria="$aria_ms" -v crsmall="$crsmall_ms" \
	-v big="$BIG" -v small="$total_small" -v curllink="$curllink_ms" -v crlink="$crlink_ms" \
	-v curls="${CURL_MS[*]}" -v crbigs="${CR_BIG_MS[*]}" -v rsss="${CR_BIG_RSS[*]}" -v arias="${ARIA_MS[*]}" -v crsmalls="${CR_SMALL_MS[*]}" \
	-v curllinks="${CURL_LINK_MS[*]}" -v crlinks="${CR_LINK_MS[*]}" '
function mibs(bytes, ms) { return bytes / 1048576 / (ms / 1000) }
function verdict(ok) { return ok ? "meets the target" : "MISSES the target" }
BEGIN {
	r1 = crbig / curl
	r2 = mibs(small, crsmall) / mibs(small, aria)
	r3 = rss / 1024
	r4 = crlink / curllink
	printf "Medians of %d runs (runs in ms: curl %s; Cloudreel %s; aria2c %s; Cloudreel x8 %s; RSS KiB %s; at 1 Gbit/s: curl %s, Cloudreel %s)\n\n", runs, curls, crbigs, arias, crsmalls, rsss, curllinks, crlinks
	printf "1 GiB file:        curl %.2f s, Cloudreel %.2f s: time ratio %.3f (target <= 1.05): %s\n", curl/1000, crbig/1000, r1, verdict(r1 <= 1.05)
	printf "8 x 128 MiB files: aria2c -j8 %.0f MiB/s, Cloudreel -c 8 %.0f MiB/s: throughput ratio %.3f (target >= 0.95): %s\n", mibs(small, aria), mibs(small, crsmall), r2, verdict(r2 >= 0.95)
	printf "Peak RSS of Cloudreel during the 1 GiB file: %.1f MiB (target <= 60 MiB): %s\n", r3, verdict(r3 <= 60)
	printf "1 GiB at 1 Gbit/s: curl %.2f s, Cloudreel (with its SHA-256) %.2f s: time ratio %.3f (target <= 1.05): %s\n", curllink/1000, crlink/1000, r4, verdict(r4 <= 1.05)
}'
