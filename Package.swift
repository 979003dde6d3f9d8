// swift-tools-version: 6.0
import PackageDescription

// Arrows point inward: executables → engine/adapters → pure core (VigilCore, VigilWire).
let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .executable(name: "vigil-sim", targets: ["vigil-sim"]),
        .executable(name: "vigil-bench", targets: ["vigil-bench"]),
        .executable(name: "vigil-report-bench", targets: ["vigil-report-bench"]),
        .executable(name: "vigil-load", targets: ["vigil-load"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // Pure domain: no I/O, no clock reads, no logging.
        .target(name: "VigilCore", dependencies: [.product(name: "HeapModule", package: "swift-collections")]),
        // Pure codecs: topic grammar, the wire v1 format, the Zigbee2MQTT and FHIR adapters, the console protocol.
        .target(name: "VigilWire", dependencies: ["VigilCore"]),

        // C shims: headers only.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),

        // Adapters: the only Swift code that touches each C library.
        .target(name: "VigilStore", dependencies: ["CSQLite", "VigilCore", "VigilWire", "VigilText", .product(name: "CSV", package: "CSV.swift")]),
        .target(name: "Mosquitto", dependencies: ["CMosquitto"]),
        // Webhook delivery off the ingest thread: a bounded queue, per-webhook limits, retries, with
        // Foundation's URLSession (FoundationNetworking) as the HTTP client.
        .target(
            name: "VigilWebhook",
            dependencies: [.product(name: "Logging", package: "swift-log"), .product(name: "DequeModule", package: "swift-collections")]
        ),

        // Runtime: the ingest loop and the services around it.
        .target(
            name: "VigilEngine",
            dependencies: [
                "VigilCore", "VigilWire", "VigilStore", "Mosquitto", "VigilWebhook",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // Text for terminals: display widths, the one table renderer, alarm ages. Pure.
        .target(name: "VigilText"),

        // Operator console: a pure view model and key map, and a thin terminal layer.
        .target(name: "VigilConsole", dependencies: ["VigilCore", "VigilWire", "VigilText"]),

        // Report rendering: text tables, CSV, JSON, HTML with SVG charts. Pure: values in, text out.
        .target(name: "VigilReports", dependencies: ["VigilCore", "VigilText"]),

        // Test kit: broker launcher, free ports, temporary databases, child processes, a webhook receiver.
        .target(name: "VigilTesting", dependencies: [], resources: [.copy("webhook_receiver.py")]),

        // Command-line input both executables share: the broker option group, an operator's login,
        // password files, typed ids.
        .target(
            name: "VigilCommandLine",
            dependencies: ["VigilEngine", "VigilWire", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log")]
        ),

        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore", "VigilWire", "VigilStore", "VigilEngine", "Mosquitto", "VigilConsole", "VigilReports", "VigilText", "VigilCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),

        // Device simulation: the flood client, the ack-only ceiling client, the demo trickle.
        .target(
            name: "VigilSimulation",
            dependencies: [
                "VigilCore", "VigilWire", "VigilStore", "VigilEngine", "Mosquitto", "VigilText",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            path: "Simulators/VigilSimulation"
        ),
        .executableTarget(
            name: "vigil-sim",
            dependencies: [
                "VigilSimulation", "VigilEngine", "VigilCore", "VigilStore", "VigilCommandLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Simulators/vigil-sim"
        ),
        .executableTarget(
            name: "vigil-bench",
            dependencies: [
                "VigilSimulation", "VigilTesting", "VigilStore", "VigilCore", "VigilEngine", "VigilWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/vigil-bench"
        ),
        // The benchmark's load client and ack-only ceiling, in C on libmosquitto: what drives and
        // answers the broker in `make bench` must not be the slowest part of it.
        .executableTarget(
            name: "vigil-load",
            dependencies: ["CMosquitto"],
            path: "Benchmarks/vigil-load",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Werror"])]
        ),
        // Every report over the full five-year demo history, timed against the 2 s budget.
        .executableTarget(
            name: "vigil-report-bench",
            dependencies: [
                "VigilStore", "VigilReports", "VigilCore", "VigilTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/vigil-report-bench"
        ),

        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilWireTests", dependencies: ["VigilWire", "VigilCore"]),
        .testTarget(name: "VigilSimulationTests", dependencies: ["VigilSimulation", "VigilCore", "VigilWire"]),
        .testTarget(name: "VigilConsoleTests", dependencies: ["VigilConsole", "VigilCore", "VigilWire", "VigilText"]),
        .testTarget(name: "VigilTextTests", dependencies: ["VigilText"]),
        .testTarget(
            name: "VigilCommandLineTests",
            dependencies: ["VigilCommandLine", "VigilEngine", "VigilWire", .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "VigilEngineTests",
            dependencies: ["VigilEngine", "VigilStore", "VigilCore", "VigilWire", "VigilWebhook", "VigilTesting", "VigilSimulation", "VigilText", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "VigilWebhookTests",
            dependencies: ["VigilWebhook", "VigilWire", "VigilCore", "VigilTesting", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "VigilStoreTests", dependencies: ["VigilStore", "VigilCore", "VigilTesting"]),
        .testTarget(name: "VigilReportsTests", dependencies: ["VigilReports", "VigilStore", "VigilCore", "VigilTesting"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["VigilTesting", "VigilSimulation", "VigilStore", "VigilCore", "VigilWire", "Mosquitto"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
