import Foundation
import Mosquitto
import VigilCore
import VigilWire

/// `vigil-load` (Benchmarks/vigil-load, C on libmosquitto) driven from Swift: the same plan as
/// `Flood.run`, sent by a client that costs the machine far less per event, so a benchmark on two
/// cores measures the broker and the processor rather than its own load generator. Its ack-only
/// mode is the benchmark's ceiling.
///
/// The C program composes no message. It is handed each kind of body encoded here from the Codable
/// types both ends of Vigil use, with `idSlot` where the event id goes and `clockSlot` where it
/// writes the device's clock as it sends.
public enum NativeLoad {
    /// What vigil-load replaces with the event id in a body it is given.
    public static let idSlot = "@ID@"
    /// What it replaces with its wall clock, RFC 3339 UTC with milliseconds, as it sends.
    public static let clockSlot = "@TS@"

    /// The arguments that make `vigil-load load` send `plan`.
    public static func loadArguments(_ plan: FloodPlan, broker: String, topics: Topics, progress: Bool = false) -> [String] {
        let wire = WireEncoder()
        func body(_ kind: FloodPlan.Kind) -> String {
            String(decoding: wire.encode(kind.message(id: idSlot, ts: clockSlot)), as: UTF8.self)
        }
        var arguments = [
            "load", "--broker", broker, "--prefix", topics.prefix,
            "--devices", plan.devices.joined(separator: ","), "--events", String(plan.events),
            "--window", String(plan.window), "--resend-ms", String(plan.resendAfterMilliseconds),
            "--run-id", plan.runID, "--give-up", String(plan.giveUpAfterSeconds),
            "--heartbeat", body(.heartbeat), "--button", body(.button), "--temperature", body(.temperature),
        ]
        if let rate = plan.rate { arguments += ["--rate", String(rate)] }
        if progress { arguments.append("--progress") }
        return arguments
    }

    /// The arguments for `vigil-load ack-only`: every event answered `accepted`, nothing stored.
    public static func ackOnlyArguments(broker: String, topics: Topics, clientID: String = "vigil-ack-only") -> [String] {
        let ack = String(decoding: WireEncoder().encode(Ack(eventID: idSlot, status: .accepted)), as: UTF8.self)
        return ["ack-only", "--broker", broker, "--prefix", topics.prefix, "--ack", ack, "--client-id", clientID]
    }

    /// Ends the persistent session `clientID` left at the broker (a clean-session connect with the
    /// same id discards it). Otherwise the broker goes on queueing every event for it, and whoever
    /// next connects with that id starts by answering another round's backlog.
    public static func discardSession(_ clientID: String, host: String, port: Int32) throws {
        let client = try MosquittoClient(.init(host: host, port: port, clientID: clientID, cleanSession: true))
        let deadline = monotonicNanos() + 10_000_000_000
        var accepted = false
        while !accepted && monotonicNanos() < deadline {
            for case .connected(0) in client.pump(timeoutMilliseconds: 20) { accepted = true }
        }
        client.disconnect()
        guard accepted else { throw SimulationError("could not connect as \(clientID) to \(host):\(port) to end its session") }
    }

    /// Runs the plan with the vigil-load at `executable` and reads its report. With `progress`, its
    /// line a second (sent, acked, outstanding, resends) goes to this process's standard error, as do
    /// its complaints.
    public static func run(_ plan: FloodPlan, executable: String, broker: String, topics: Topics, progress: Bool = false) throws -> FloodReport {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = loadArguments(plan, broker: broker, topics: topics, progress: progress)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = progress ? FileHandle.standardError : err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = progress ? Data() : err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SimulationError("\(executable) exited with status \(process.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return try report(String(decoding: output, as: UTF8.self))
    }

    /// vigil-load's `key value` lines as a report; `unacked ID` repeats, once per event never acked.
    public static func report(_ output: String) throws -> FloodReport {
        var values: [String: String] = [:]
        var unacked: [String] = []
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0] == "unacked" { unacked.append(parts[1]) } else { values[parts[0]] = parts[1] }
        }
        func int(_ key: String) throws -> Int {
            guard let v = values[key].flatMap({ Int($0) }) else { throw SimulationError("vigil-load's report has no whole number for \(key): \(output)") }
            return v
        }
        var counts = AckingPublisher.Counts()
        counts.sent = try int("sent")
        counts.resends = try int("resends")
        counts.acked = try int("acked")
        counts.accepted = try int("accepted")
        counts.duplicates = try int("duplicates")
        counts.rejected = try int("rejected")
        counts.lateAcks = try int("late_acks")
        guard let seconds = values["seconds"].flatMap({ Double($0) }) else { throw SimulationError("vigil-load's report has no seconds: \(output)") }
        return FloodReport(counts: counts, unacked: unacked, seconds: seconds,
                           p50Micros: UInt64(try int("p50_us")), p90Micros: UInt64(try int("p90_us")),
                           p99Micros: UInt64(try int("p99_us")), maxMicros: UInt64(try int("max_us")))
    }
}
