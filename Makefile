# Vigil — the two commands: `make demo` to see it run, `make test` to prove it.
SWIFT        ?= swift
SWIFT_FLAGS  := -Xswiftc -warnings-as-errors --explicit-target-dependency-import-check error
# chromium: the board paper is printed to PDF in a test (one A4 page).
# systemd (for systemd-analyze) and python3-seccomp: SystemdUnitTests check deploy/systemd offline and
# run the daemon under vigil.service's syscall filter (scripts/seccomp-exec.py).
DEB_PACKAGES := mosquitto mosquitto-clients libmosquitto-dev libsqlite3-dev sqlite3 pkg-config tmux tzdata python3-prometheus-client systemd python3-seccomp chromium

.PHONY: deps build release test fuzz fuzz-smoke bench bench-reports demo clean

# Seconds per decoder for `make fuzz`; `make test` runs each for FUZZ_SMOKE_SECONDS.
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 5

## deps: install the Debian packages Vigil builds and runs against (only those missing).
# A package removed but not purged still answers `dpkg -s`: only "install ok installed" counts.
deps:
	@installed() { [ "$$(dpkg-query -W -f='$${Status}' $$1 2>/dev/null)" = "install ok installed" ]; }; \
	missing=""; for p in $(DEB_PACKAGES); do installed $$p || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	  for p in $$missing; do installed $$p || { echo "could not install $$p: see apt-get's output above" >&2; exit 1; }; done; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

release: deps
	$(SWIFT) build -c release $(SWIFT_FLAGS)

## test: every test, end-to-end ones included (they start their own Mosquitto on a free loopback port).
test: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build
	$(MAKE) fuzz-smoke

## fuzz: each decoder (wire v1, Zigbee2MQTT, FHIR, console commands) under libFuzzer + ASan, FUZZ_SECONDS each.
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

## fuzz-smoke: the same, briefly (part of `make test`: ~12 s to compile, then FUZZ_SMOKE_SECONDS per target).
fuzz-smoke:
	scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS)

## bench: durable ingest against the ack-loop ceiling on this machine (release build), then on 45,000 devices and
## 10 million stored events (a 2.2 GB database in a temporary directory), backlog drains and a stall, then the reports.
bench: release
	.build/release/vigil-bench
	.build/release/vigil-bench --slow-webhook-seconds 0 --no-swift-ceiling --history-events 10000000
	Benchmarks/drain.sh .build/release "20000 100000 1000000"
	.build/release/vigil-report-bench

## bench-reports: demo history generation and every report over five years, each against 2 s;
## then the same on a history ten times larger (about 218,000 people, 131,000 current, and 6 million alarms), against 10 s.
bench-reports: release
	.build/release/vigil-report-bench
	.build/release/vigil-report-bench --scale 10 --budget 10000 --runs 1

## demo: a private broker, vigil serve on a demo database, and a device simulator. Ctrl-C stops all.
demo: build
	scripts/demo.sh

clean:
	rm -rf .build .build-fuzz .demo
