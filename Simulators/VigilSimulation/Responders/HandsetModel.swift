import Foundation
import Mosquitto
import VigilCore
import VigilWire

/// How far a responder has to travel: the distance band of the areas they cover. The bands follow
/// the TSA mobile-response target (on site within 45 minutes of the decision to deploy): most visits
/// arrive well inside it, the far band close to it.
public enum TravelBand: String, Sendable, CaseIterable {
    case near, mid, far

    /// Minutes from setting off to arriving, before any delay.
    public var minutes: ClosedRange<Double> {
        switch self {
        case .near: 8...20
        case .mid: 15...32
        case .far: 25...42
        }
    }
}

/// A responder's handset, as a model: on a job it accepts after a short while (en route), travels
/// for a time drawn from its band — now and then held up long enough to be late — reports on site,
/// gets in (a key safe, a neighbour with the key) within the 5-minute target, stays, and reports
/// leaving. The plan is pure; `ResponderHandset` carries it out over MQTT.
public struct HandsetModel: Sendable {
    public var band: TravelBand
    /// The share of visits (0–1) held up by 20 to 40 minutes: traffic, a previous call running on.
    public var lateShare: Double

    public init(band: TravelBand = .near, lateShare: Double = 0) {
        self.band = band
        self.lateShare = lateShare
    }

    public struct Step: Sendable, Equatable {
        /// After the job arrived, in virtual milliseconds.
        public var afterMillis: EpochMillis
        public var stage: Visit.Stage
    }

    /// The reports for one job: en route, on site, access gained, left, each after the job arrived.
    public func plan(rng: inout SplitMix64) -> [Step] {
        let accept = EpochMillis(Double.random(in: 30...120, using: &rng) * 1000)
        var travel = Double.random(in: band.minutes, using: &rng)
        if Double.random(in: 0..<1, using: &rng) < lateShare { travel += Double.random(in: 20...40, using: &rng) }
        let onSite = accept + EpochMillis(travel * 60_000)
        let inside = onSite + EpochMillis(Double.random(in: 0.5...4, using: &rng) * 60_000)
        let stay = EpochMillis(Double.random(in: 10...40, using: &rng) * 60_000)
        return [Step(afterMillis: accept, stage: .enRoute), Step(afterMillis: onSite, stage: .onSite),
                Step(afterMillis: inside, stage: .accessGained), Step(afterMillis: inside + stay, stage: .left)]
    }
}

/// A simulated handset on the broker: takes the jobs Vigil retains on its jobs topic and reports
/// each step of the model's plan on its reports topic, `speed` times faster than the wall clock.
public final class ResponderHandset {
    public let id: String
    let client: MosquittoClient
    let topics: ResponderTopics
    let model: HandsetModel
    let speed: Double
    var rng: SplitMix64
    /// Steps still to report, by when (wall-clock milliseconds).
    var due: [(at: Double, alarm: String, stage: Visit.Stage)] = []
    var taken: Set<String> = []
    var sequence = 0
    /// What happened, line by line, for the command to print.
    public private(set) var log: [String] = []

    public init(id: String, broker host: String, port: Int32, username: String? = nil, password: String? = nil, topics: ResponderTopics,
                model: HandsetModel, speed: Double, seed: UInt64) throws {
        self.id = id
        self.topics = topics
        self.model = model
        self.speed = speed
        rng = SplitMix64(seed: seed)
        client = try MosquittoClient(.init(host: host, port: port, clientID: "vigil-handset-\(id)", cleanSession: true, username: username, password: password))
        try client.subscribe(topics.jobs(id), qos: 1)
        try client.subscribe(topics.replies(id), qos: 1)
    }

    /// Visits reported as left.
    public private(set) var completed = 0

    /// Runs until `stop` says so; returns how many visits it completed.
    public func run(until stop: () -> Bool) -> Int {
        while !stop() {
            let now = Date().timeIntervalSince1970 * 1000
            for e in client.pump(timeoutMilliseconds: 20) {
                guard case .message(let m) = e else { continue }
                if m.topic == topics.replies(id) {
                    if let reply = WireDecoder().decode(ConsoleReply.self, from: m.payload), !reply.ok {
                        log.append("\(id): report refused: \(reply.error ?? "no reason given")")
                    }
                    continue
                }
                guard !m.payload.isEmpty, let job = WireDecoder().decode(ResponderJob.self, from: m.payload), taken.insert(job.alarm).inserted else { continue }
                log.append("\(id): job \(job.alarm) for \(job.person) at \(job.address)")
                for step in model.plan(rng: &rng) {
                    due.append((now + Double(step.afterMillis) / speed, job.alarm, step.stage))
                }
            }
            due.sort { $0.at < $1.at }
            while let first = due.first, first.at <= now {
                due.removeFirst()
                sequence += 1
                let report = ResponderReport(request: "\(id)-\(sequence)", alarm: first.alarm, stage: first.stage)
                _ = try? client.publish(topics.reports(id), WireEncoder().encode(report), qos: 1)
                log.append("\(id): \(first.alarm) \(first.stage.rawValue)")
                if first.stage == .left { completed += 1 }
            }
        }
        client.disconnect()
        return completed
    }
}
