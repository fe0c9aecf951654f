#!/usr/bin/env bash
# Wall-clock time from starting `outcalls run` to its "ready" line, median of N runs (default 5).
# Usage: scripts/startup-time.sh [N]   (after ./mvnw install -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
bin=$(ls -d distribution/target/outcalls-*/bin/outcalls | head -1)
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
times=()
for i in $(seq "$n"); do
  fifo="$data/out.$i"
  mkfifo "$fifo"
  start=$(date +%s%N)
  "$bin" run --data "$data/d" --http-port 0 --demo-port 0 >"$fifo" 2>/dev/null &
  pid=$!
  while read -r line; do
    case $line in "outcalls ready in"*) break ;; esac
  done <"$fifo"
  end=$(date +%s%N)
  kill -TERM "$pid"; cat "$fifo" >/dev/null; wait "$pid"
  ms=$(( (end - start) / 1000000 ))
  echo "run $i: ${ms} ms"
  times+=("$ms")
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "median of $n: ${sorted[$(( n / 2 ))]} ms"
