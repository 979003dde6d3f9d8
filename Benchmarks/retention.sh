#!/usr/bin/env bash
# Bytes per stored event and the prune rate (BENCHMARKS.md, "Retention"). One run: a fresh broker
# and database in a temporary directory, 100,000 events flooded through `vigil serve`, the size
# read with dbstat, then every receive time moved back 30 days and `vigil db prune` timed.
# Usage: Benchmarks/retention.sh [BUILD_DIR]   (default .build/debug; needs mosquitto, sqlite3)
set -euo pipefail
B=$(cd "${1:-.build/debug}" && pwd)
work=$(mktemp -d)
broker_pid=""; serve_pid=""
cleanup() {
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
# Registers the simulated devices in the database (one event each is not kept: no daemon yet).
"$B/vigil-sim" flood --broker "127.0.0.1:$port" --devices 20 --events 1 --db vigil.db --run-id warm > /dev/null 2>&1 || true
"$B/vigil" serve --db vigil.db --broker "127.0.0.1:$port" > serve.log 2>&1 & serve_pid=$!
sleep 1
"$B/vigil-sim" flood --broker "127.0.0.1:$port" --devices 20 --events 100000 --run-id bench --give-up-after 120 | tail -3
kill "$serve_pid"; wait "$serve_pid" || true; serve_pid=""
sqlite3 vigil.db 'PRAGMA wal_checkpoint(TRUNCATE);' > /dev/null
events=$(sqlite3 vigil.db 'SELECT count(*) FROM events')
bytes=$(sqlite3 vigil.db "SELECT sum(pgsize) FROM dbstat WHERE name IN ('events', 'sqlite_autoindex_events_1', 'events_by_alarm')")
echo "events $events, alarms $(sqlite3 vigil.db 'SELECT count(*) FROM alarms'), file $(stat -c %s vigil.db) bytes"
echo "events with their indexes: $bytes bytes, $((bytes / events)) bytes per event; payload $(sqlite3 vigil.db 'SELECT round(avg(length(payload))) FROM events') bytes on average"
sqlite3 vigil.db 'UPDATE events SET received_at = received_at - 30 * 86400000'
/usr/bin/time -f 'prune: %e s wall, %M KB max RSS' "$B/vigil" db prune --db vigil.db --before "$(date -u -d '-8 days' +%F)"
echo "events left (attached to alarms): $(sqlite3 vigil.db 'SELECT count(*) FROM events')"
