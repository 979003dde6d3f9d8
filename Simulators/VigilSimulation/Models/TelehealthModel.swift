import VigilCore
import VigilWire

/// A telehealth kit: one set of vital signs a day, at the person's usual time. Now and then an
/// exacerbation (a chest infection, heart failure decompensating) builds over a few days and recedes:
/// oxygen saturation and blood pressure fall, pulse, breathing rate and temperature rise, so the
/// NEWS2 score climbs through 5 (urgent) towards 7 and above (emergency), then comes back down.
public struct TelehealthModel: DeviceModel {
    public var readingMinute: Int
    public var deteriorations: PoissonClock
    /// Days an episode lasts: worsening over the first half, recovering over the second.
    public var episodeDays: ClosedRange<Int>
    public var utcOffset: EpochMillis
    var episode: (start: EpochMillis, end: EpochMillis)?
    var nextDay: EpochMillis?

    /// An episode every three months or so: the rate of admissions avoided that telehealth services
    /// report for COPD and heart failure caseloads is of this order.
    public init(readingMinute: Int = 9 * 60, deteriorationsPerDay: Double = 1.0 / 90, episodeDays: ClosedRange<Int> = 4...8, utcOffset: EpochMillis = 0) {
        self.readingMinute = readingMinute
        deteriorations = PoissonClock(perDay: deteriorationsPerDay)
        self.episodeDays = episodeDays
        self.utcOffset = utcOffset
    }

    /// How ill the person is at `t`: 0 well, 1 at the worst of an episode.
    public func severity(at t: EpochMillis) -> Double {
        guard let e = episode, t >= e.start, t < e.end else { return 0 }
        let x = Double(t - e.start) / Double(e.end - e.start)
        return x < 0.5 ? x * 2 : (1 - x) * 2
    }

    /// The readings at a severity, with day-to-day noise that keeps a well person's NEWS2 at 0.
    public static func vitals(severity s: Double, rng: inout SplitMix64) -> VitalSigns {
        func r(_ x: Double) -> Double { x.rounded() }
        return VitalSigns(
            spo2: min(100, r(Double.random(in: 96...99, using: &rng) - 9 * s)),
            pulse: r(Double.random(in: 62...84, using: &rng) + 40 * s),
            systolic: r(Double.random(in: 118...142, using: &rng) - 40 * s),
            respiration: r(Double.random(in: 13...18, using: &rng) + 10 * s),
            temperature: ((Double.random(in: 36.3...37.3, using: &rng) + 2 * s) * 10).rounded() / 10)
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var out: [ScheduledEvent] = []
        for t in deteriorations.occurrences(from: from, to: to, rng: &rng) where episode.map({ t >= $0.end }) ?? true {
            episode = (t, t + EpochMillis(Int.random(in: episodeDays, using: &rng)) * VirtualTime.day)
        }
        var day = nextDay ?? VirtualTime.dayStart(from, offset: utcOffset)
        while day + EpochMillis(readingMinute) * VirtualTime.minute < to {
            let at = day + EpochMillis(readingMinute) * VirtualTime.minute
            day += VirtualTime.day
            guard at >= from else { continue }
            let v = Self.vitals(severity: severity(at: at), rng: &rng)
            out.append(ScheduledEvent(at: at, type: .vitals, detail: Self.detail(v), vitals: v))
        }
        nextDay = day
        return out
    }

    static func detail(_ v: VitalSigns) -> [String: JSONValue] {
        var d: [String: JSONValue] = [:]
        if let x = v.spo2 { d["spo2"] = .number(x) }
        if let x = v.pulse { d["pulse"] = .number(x) }
        if let x = v.systolic { d["systolic"] = .number(x) }
        if let x = v.respiration { d["respiration"] = .number(x) }
        if let x = v.temperature { d["temperature"] = .number(x) }
        return d
    }
}
