#!/usr/bin/env bash
# make demo: a private Mosquitto on a free loopback port, `vigil serve` on a demo database with a few
# registered people and devices, and a device simulator so alarms keep arriving. Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="$(swift build --show-bin-path)"
DEMO=.demo
rm -rf "$DEMO" && mkdir -p "$DEMO"
DB="$DEMO/vigil.db"

port=""
for p in $(seq 18830 18930); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { echo "no free port between 18830 and 18930" >&2; exit 1; }

sed "s/^listener .*/listener $port 127.0.0.1/" deploy/mosquitto/vigil-local.conf > "$DEMO/mosquitto.conf"
pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping demo…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "stopped. The demo database stays in $DB."
  exit 0
}
trap stop INT TERM EXIT

mosquitto -c "$DEMO/mosquitto.conf" >"$DEMO/mosquitto.log" 2>&1 & pids+=($!)

v() { "$BIN/vigil" "$@" >/dev/null; }
v users add --db "$DB" --id u-001 --name "Edith Clarke"   --area 3 --group dementia \
  --address "14 Elm Road, Leith" --access "Key safe by the back door" --conditions "Mild dementia"
v users add --db "$DB" --id u-002 --name "Arthur Okafor"  --area 1 --group hospital --group ltc
v users add --db "$DB" --id u-003 --name "Maureen Byrne"  --area 5 --group residential
v users add --db "$DB" --id u-004 --name "Gwen Llewellyn" --area 8 --group ltc
v users add --db "$DB" --id u-005 --name "Tomasz Nowak"   --area 2 --group learning-disability
v devices add --db "$DB" --id hub-001   --user u-001 --type hub --heartbeat 900
v devices add --db "$DB" --id pend-001  --user u-001 --type pendant
v devices add --db "$DB" --id door-001  --user u-001 --type door
v devices add --db "$DB" --id bed-001   --user u-001 --type bed
v devices add --db "$DB" --id pend-002  --user u-002 --type pendant
v devices add --db "$DB" --id th-002    --user u-002 --type telehealth
v devices add --db "$DB" --id fall-003  --user u-003 --type fall-detector
v devices add --db "$DB" --id smoke-003 --user u-003 --type smoke
v devices add --db "$DB" --id pend-004  --user u-004 --type pendant
v devices add --db "$DB" --id med-004   --user u-004 --type medication
v devices add --db "$DB" --id temp-004  --user u-004 --type temperature
v devices add --db "$DB" --id pend-005  --user u-005 --type pendant
v devices add --db "$DB" --id epi-005   --user u-005 --type epilepsy
v operators add --db "$DB" --id op1  --name "Sam Okoro"
v operators add --db "$DB" --id sup1 --name "Pat Lowe" --role supervisor

# stdbuf: a line in the logs as soon as it is written, so `tail -f` shows acks as they happen.
stdbuf -oL "$BIN/vigil" serve --db "$DB" --broker "127.0.0.1:$port" >"$DEMO/serve.log" 2>&1 & pids+=($!)
sleep 1
stdbuf -oL "$BIN/vigil-sim" demo --db "$DB" --broker "127.0.0.1:$port" --interval 2 >"$DEMO/devices.log" 2>&1 & pids+=($!)

cat <<MSG
Vigil demo is running.
  broker      127.0.0.1:$port (private Mosquitto, config $DEMO/mosquitto.conf)
  database    $DB
  daemon log  $DEMO/serve.log
  device acks $DEMO/devices.log

In another terminal:
  $BIN/vigil console --broker 127.0.0.1:$port --operator op1     # the operators' live queue
  $BIN/vigil console --broker 127.0.0.1:$port --operator sup1 --supervisor
  watch -n1 $BIN/vigil queue --db $DB            # the live queue
  $BIN/vigil queue --db $DB --json               # the same as JSON
  $BIN/vigil stats --db $DB                      # stored events, alarms, dead letters
  mosquitto_sub -p $port -t 'telecare/#' -v      # everything on the wire
  mosquitto_pub -p $port -q 1 -t telecare/v1/devices/pend-002/events \\
    -m '{"id":"hand-1","ts":"2026-11-22T02:14:07Z","type":"button"}'

Ctrl-C stops everything.
MSG
tail -n +1 -f "$DEMO/devices.log" &
pids+=($!)
wait "${pids[1]}"
