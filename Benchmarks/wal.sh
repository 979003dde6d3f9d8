#!/usr/bin/env bash
# The WAL under continuous ingest (BENCHMARKS.md, "WAL"). One run on a fresh broker and database in a
# temporary directory: a flood of FLOOD events as fast as the ack window allows, then STEADY events
# at RATE per second, while the -wal file's size is sampled every half second. Prints the largest
# and the last size in each phase.
# Usage: Benchmarks/wal.sh [BUILD_DIR] [FLOOD] [RATE] [STEADY]   (default .build/debug 200000 1000 120000)
set -euo pipefail
B=$(cd "${1:-.build/debug}" && pwd)
flood=${2:-200000}; rate=${3:-1000}; steady=${4:-120000}
work=$(mktemp -d)
broker_pid=""; serve_pid=""; sampler_pid=""
cleanup() {
    [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
    [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
    [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n' "$port" > broker.conf
mosquitto -c broker.conf > broker.log 2>&1 & broker_pid=$!
sleep 0.5
"$B/vigil-sim" flood --broker "127.0.0.1:$port" --devices 100 --events 1 --db vigil.db --run-id warm > /dev/null 2>&1 || true
"$B/vigil" serve --db vigil.db --broker "127.0.0.1:$port" > serve.log 2>&1 & serve_pid=$!
sleep 1
( while true; do printf '%s %s\n' "$(date +%s.%N)" "$(stat -c %s vigil.db-wal 2>/dev/null || echo 0)"; sleep 0.5; done ) > wal.samples & sampler_pid=$!
phase() { # label, then the flood arguments
    local label=$1; shift
    local from; from=$(wc -l < wal.samples)
    "$B/vigil-sim" flood --broker "127.0.0.1:$port" --devices 100 --give-up-after 300 "$@" | tail -2
    local max last
    max=$(tail -n +"$((from + 1))" wal.samples | awk 'BEGIN{m=0} {if ($2>m) m=$2} END{print m}')
    last=$(tail -1 wal.samples | awk '{print $2}')
    echo "$label: WAL largest $((max / 1048576)) MB ($max bytes), at the end $((last / 1048576)) MB"
}
phase "flood of $flood" --events "$flood" --window 500 --run-id flood
phase "steady $rate/s for $((steady / rate)) s" --events "$steady" --rate "$rate" --run-id steady
echo "writer checkpoints that could not finish: $(grep -c 'could not be checkpointed completely' serve.log || true)"
echo "events stored: $(sqlite3 vigil.db 'SELECT count(*) FROM events'); database $(( $(stat -c %s vigil.db) / 1048576 )) MB"
