#!/usr/bin/env bash
# Builds and runs a libFuzzer target per decoder: v1, zigbee, fhir, console.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]      (default 60 s, every target)
#
# VigilCore and VigilWire are compiled here with -sanitize=fuzzer,address (coverage + ASan), outside
# SwiftPM, into .build-fuzz/ (gitignored), each fuzz target in Fuzz/Targets/ linked against them.
# libFuzzer starts from the seeds in Fuzz/corpus/<target>/ (scripts/fuzz-seed.py makes them from
# the tests) and writes what it discovers to .build-fuzz/corpus/<target>/, so the repository
# corpus stays the reviewed seeds. A crash stops the run with the input saved as
# .build-fuzz/crash-<target>-*; fix the decoder and add the input to its unit tests.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(v1 zigbee fhir console)
swiftc=${SWIFTC:-$(command -v swiftc)}
out=.build-fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -warnings-as-errors)
# lld: gold prints a warning per ASan helper symbol.
command -v ld.lld >/dev/null 2>&1 || [ -x "$(dirname "$swiftc")/ld.lld" ] && flags+=(-use-ld=lld)

# VigilCore minus Supervisor.swift: the decoders do not use it, and it alone needs swift-collections'
# HeapModule, which would otherwise have to be built here too.
core=$(find Sources/VigilCore -name '*.swift' | sort | grep -v '/Supervisor.swift$')
stamp="$out/modules.stamp"
if [ ! -f "$stamp" ] || [ -n "$(find Sources/VigilCore Sources/VigilWire -name '*.swift' -newer "$stamp" | head -1)" ]; then
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$swiftc" "${flags[@]}" -module-name VigilCore -wmo -emit-module -emit-module-path "$out/VigilCore.swiftmodule" \
    -c $core -o "$out/VigilCore.o"
  "$swiftc" "${flags[@]}" -module-name VigilWire -wmo -I "$out" -emit-module -emit-module-path "$out/VigilWire.swiftmodule" \
    -c Sources/VigilWire/*.swift -o "$out/VigilWire.o"
  touch "$stamp"
  echo "fuzz: compiled VigilCore and VigilWire in $(( $(date +%s) - start )) s"
fi

status=0
for t in "${targets[@]}"; do
  src=Fuzz/Targets/$t.swift
  [ -f "$src" ] || { echo "fuzz: no target $src" >&2; exit 2; }
  exe=$out/fuzz-$t
  if [ ! -x "$exe" ] || [ "$src" -nt "$exe" ] || [ "$stamp" -nt "$exe" ]; then
    "$swiftc" "${flags[@]}" -module-name "Fuzz_$t" -I "$out" "$src" "$out/VigilCore.o" "$out/VigilWire.o" -o "$exe"
  fi
  mkdir -p "$out/corpus/$t"
  echo "fuzz: $t for $seconds s"
  # -max_len: events are at most 16 KiB; a little over tests the size limit itself.
  if ! ASAN_OPTIONS=detect_leaks=0 "$exe" -max_total_time="$seconds" -max_len=17000 -timeout=10 -rss_limit_mb=2048 \
       -print_final_stats=1 -artifact_prefix="$out/crash-$t-" "$out/corpus/$t" "Fuzz/corpus/$t" 2>"$out/$t.log"; then
    echo "fuzz: $t FAILED; see $out/$t.log and $out/crash-$t-*" >&2
    tail -40 "$out/$t.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::new_units_added|^stat::peak_rss_mb' "$out/$t.log" | sed "s/^/fuzz: $t /"
  fi
done
exit $status
