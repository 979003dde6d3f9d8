#!/usr/bin/env python3
"""Seeds Fuzz/corpus/<target>/ from the payloads the unit tests use.

Every raw string literal #"{…}"# without interpolation in a test file becomes one seed for that
file's decoder; a few whole documents (FHIR Observations, console commands) that the tests build
with helpers are added from fuzz-seed-extra/. Rerun after adding tests; seeds are content-named, so
rerunning is idempotent.
"""
import hashlib, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sources = {
    "v1": ["Tests/VigilWireTests/EventDecoderTests.swift", "Tests/EndToEndTests/IngestEndToEndTests.swift"],
    "zigbee": ["Tests/VigilWireTests/ZigbeeTests.swift", "Tests/EndToEndTests/AdapterEndToEndTests.swift"],
    "fhir": ["Tests/VigilWireTests/FHIRTests.swift"],
    "console": ["Tests/EndToEndTests/SecurityTests.swift", "Tests/EndToEndTests/OperatorWorkflowTests.swift"],
}
literal = re.compile(r'#"(.*?)"#')

def write(target, payload):
    d = os.path.join(root, "Fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    name = "seed-" + hashlib.sha1(payload).hexdigest()[:12]
    with open(os.path.join(d, name), "wb") as f:
        f.write(payload)

count = {}
for target, files in sources.items():
    for rel in files:
        path = os.path.join(root, rel)
        if not os.path.exists(path):
            continue
        for m in literal.finditer(open(path, encoding="utf-8").read()):
            s = m.group(1)
            if s.startswith("{") and "\\#(" not in s:
                payload = s.encode()
                # The Zigbee target's first byte chooses the device role; give seeds a neutral one.
                write(target, (b"\x00" + payload) if target == "zigbee" else payload)
                count[target] = count.get(target, 0) + 1
    extra = os.path.join(root, "Fuzz", "seed-extra", target)
    if os.path.isdir(extra):
        for name in sorted(os.listdir(extra)):
            write(target, open(os.path.join(extra, name), "rb").read())
            count[target] = count.get(target, 0) + 1
for t in sources:
    print(f"{t}: {count.get(t, 0)} seeds")
