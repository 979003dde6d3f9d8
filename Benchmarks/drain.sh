#!/usr/bin/env bash
# Recovery that converges (BENCHMARKS.md, "Recovery"). For each backlog size: a fresh broker and
# database in a temporary directory; vigil serve connects once (so the broker keeps its persistent
# session) and stops; SIZE events are queued at the broker for it; vigil serve starts again and the
# script times the drain by counting stored events, printing the rate of each quarter. A tenth of the
# way in, one fresh button press is sent by a resending device and its publish→ack time printed.
# Before the drains, the same daemon's live rate (a flood as fast as a window of 1,000 allows) is
# measured once, the rate a drain should keep. With BASELINE (a `vigil` from an earlier build), each
# size is drained by it too, in the same run, on its own broker and database. Last, a 30 s stall of
# the daemon under a steady load from resending devices (see `stall` below).
# Usage: Benchmarks/drain.sh [BUILD_DIR] [SIZES] [BASELINE]   (default .build/release "20000 100000")
set -euo pipefail
B=$(cd "${1:-.build/release}" && pwd)
sizes=${2:-20000 100000}
baseline=${3:-}
root=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$root"; }
trap cleanup EXIT

# A fresh site: broker (sized for the backlog, as deploy/mosquitto/vigil.conf is) and 100 registered pendants.
site() {
    work=$(mktemp -d "$root/site.XXXX")
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf 'listener %s 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\nmax_queued_messages 2000000\nmax_queued_bytes 0\nmax_inflight_messages 0\npersistence false\n' "$port" > "$work/broker.conf"
    mosquitto -c "$work/broker.conf" > "$work/broker.log" 2>&1 & broker_pid=$!; pids+=("$broker_pid")
    sleep 0.3
    python3 - "$work" <<'PY'
import sys
d = sys.argv[1]
open(d + '/users.csv', 'w').write('id,name,start_date\n' + ''.join('sim-user-%05d,Person %d,2020-01-01\n' % (i, i) for i in range(1, 102)))
open(d + '/devices.csv', 'w').write('id,user_id,kind\n' + ''.join('sim-dev-%05d,sim-user-%05d,pendant\n' % (i, i) for i in range(1, 102)))
PY
    "$B/vigil" import users "$work/users.csv" --db "$work/vigil.db" > /dev/null
    "$B/vigil" import devices "$work/devices.csv" --db "$work/vigil.db" > /dev/null
    printf 'rate_limit:\n  all: { burst: 10000000, per_minute: 60000000 }\n' > "$work/serve.yaml"
}
serve() { # vigil executable
    "$1" serve --db "$work/vigil.db" --broker "127.0.0.1:$port" --config "$work/serve.yaml" >> "$work/serve.log" 2>&1 & serve_pid=$!; pids+=("$serve_pid")
}
stop_site() { kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true; rm -rf "$work"; }

live() { # vigil executable, label
    site; serve "$1"; sleep 1
    "$B/vigil-sim" flood --broker "127.0.0.1:$port" --devices 100 --events 40000 --window 1000 --run-id live --json \
        | python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); print("%s live ingest: %.0f acked events/s (40,000 events, window 1,000)" % (sys.argv[1], r["throughput"]))' "$2"
    stop_site
}

drain() { # vigil executable, size, label
    local exe=$1 n=$2 label=$3
    site; serve "$exe"; sleep 1.5; kill -TERM "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
    "$B/vigil-sim" publish --broker "127.0.0.1:$port" --devices 100 --events "$n" --rate 1000000 --run-id q > /dev/null
    local t0; t0=$(date +%s.%N)
    serve "$exe"
    python3 - "$work/vigil.db" "$n" "$t0" "$label" "$B/vigil-sim" "$port" <<'PY'
import sqlite3, subprocess, sys, time, json
db, n, t0, label, sim, port = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6]
marks, fresh = {}, None
def count():
    try: return sqlite3.connect('file:' + db + '?mode=ro', uri=True).execute("SELECT count(*) FROM events WHERE event_id LIKE 'q%'").fetchone()[0]
    except Exception: return 0
while True:
    c, el = count(), time.time() - t0
    for f in (0.25, 0.5, 0.75, 1.0):
        if c >= n * f and f not in marks: marks[f] = el
    if fresh is None and c >= n * 0.1:
        # A button press from a device of its own, resent until acked, while the backlog drains.
        fresh = subprocess.Popen([sim, 'flood', '--broker', '127.0.0.1:' + port, '--devices', '1', '--events', '1', '--run-id', 'fresh', '--json'],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if c >= n or el > 900: break
    time.sleep(0.05)
quarters, prev, pt = [], 0, 0
for f in sorted(marks):
    quarters.append('%d%% at %.1f s (%.0f/s)' % (f * 100, marks[f], (n * f - prev) / max(marks[f] - pt, 1e-9)))
    prev, pt = n * f, marks[f]
fresh_ms = '?'
if fresh is not None:
    out = fresh.communicate(timeout=900)[0]
    try: fresh_ms = '%.0f ms' % json.loads(out)['max_ms']
    except Exception: pass
print('%s drain of %d: %d stored in %.1f s, %.0f/s overall; %s; a fresh button press during it acked in %s'
      % (label, n, c, el, c / el, '; '.join(quarters), fresh_ms))
PY
    stop_site
}

# A stall under load: 100 resending pendants at 500 events/s from vigil-load (C), the daemon stopped
# with SIGSTOP for 30 s twenty seconds in, then continued. Prints how long after SIGCONT the number of
# events awaiting an ack was back to a tenth of a second's worth, the peak, the resends and late acks.
stall() { # vigil executable, label
    site; serve "$1"; sleep 1
    local t0; t0=$(date +%s.%N)
    "$B/vigil-sim" flood --native --progress --broker "127.0.0.1:$port" --devices 100 --events 60000 --rate 500 --window 1000000 \
        --run-id stall --give-up-after 400 --json > "$work/stall.json" 2> "$work/stall.progress" & local load=$!
    sleep 20; kill -STOP "$serve_pid"; local stopped; stopped=$(date +%s.%N)
    sleep 30; kill -CONT "$serve_pid"; local continued; continued=$(date +%s.%N)
    wait "$load" || true
    python3 - "$work" "$stopped" "$continued" "$2" <<'PY'
import json, sys
work, stopped, continued, label = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
rows = []
for line in open(work + '/stall.progress'):
    f = line.split()
    if f and f[0] == 'progress':
        rows.append({'outstanding': int(f[7]), 'resends': int(f[9]), 'late': int(f[11]), 'wall': float(f[13])})
peak = max(r['outstanding'] for r in rows)
caught = next((r['wall'] - continued for r in rows if r['wall'] > continued and r['outstanding'] <= 50), None)
r = json.load(open(work + '/stall.json'))
print('%s stall of %.0f s under 500 events/s: %s after SIGCONT; at most %d awaiting an ack; %d resends, %d late acks; '
      'all %d acked: %s; publish→ack p99 %.0f ms, max %.0f ms'
      % (label, continued - stopped, 'caught up %.1f s' % caught if caught is not None else 'never caught up', peak,
         r['resends'], rows[-1]['late'] if rows else 0, r['acked'], 'yes' if r['unacked'] == 0 else 'no, %d unacked' % r['unacked'],
         r['p99_ms'], r['max_ms']))
PY
    stop_site
}

echo "drain bench: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
live "$B/vigil" "vigil"
[ -n "$baseline" ] && live "$baseline" "baseline"
for n in $sizes; do
    drain "$B/vigil" "$n" "vigil"
    [ -n "$baseline" ] && drain "$baseline" "$n" "baseline"
done
stall "$B/vigil" "vigil"
[ -n "$baseline" ] && stall "$baseline" "baseline"
