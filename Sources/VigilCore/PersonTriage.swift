/// Per-person changes to the default triage table, set by the care team.
public struct PersonTriage: Sendable, Equatable {
    /// A person with dementia at risk of leaving home: property exit is P1 at any hour.
    public var exitAlwaysEmergency: Bool
    /// Their own night window (minutes after local midnight), e.g. an early sleeper.
    public var nightStartMinute: Int?
    public var nightEndMinute: Int?
    /// NEWS2 SpO2 scale 2, for hypercapnic respiratory failure (a clinician's decision).
    public var spo2Scale2: Bool
    /// Heart failure: a weight gain of ≥ 2 kg over 3 days raises a P2.
    public var heartFailure: Bool

    public init(exitAlwaysEmergency: Bool = false, nightStartMinute: Int? = nil, nightEndMinute: Int? = nil, spo2Scale2: Bool = false, heartFailure: Bool = false) {
        self.exitAlwaysEmergency = exitAlwaysEmergency
        self.nightStartMinute = nightStartMinute
        self.nightEndMinute = nightEndMinute
        self.spo2Scale2 = spo2Scale2
        self.heartFailure = heartFailure
    }

    public static let none = PersonTriage()

    /// Weight-gain rule of thumb for heart failure: 2 kg over 2–3 days (HeartPhone study; guideline).
    public static let weightGainKg = 2.0
    public static let weightWindowMillis: EpochMillis = 3 * 86_400_000
}

extension TriagePolicy {
    /// The policy as it applies to one person.
    public func applying(_ p: PersonTriage) -> TriagePolicy {
        var policy = self
        if let s = p.nightStartMinute { policy.nightStartMinute = s }
        if let e = p.nightEndMinute { policy.nightEndMinute = e }
        if p.spo2Scale2 { policy.news2.useSpO2Scale2 = true }
        return policy
    }

    /// Classifies with the person's overrides. `recentWeights` are (time, kg) readings of the last
    /// three days, used only for people with heart failure.
    public func classify(_ event: DeviceEvent, minuteOfDay: Int, person: PersonTriage, now: EpochMillis, recentWeights: [(at: EpochMillis, kg: Double)] = []) -> TriageDecision {
        let policy = applying(person)
        let base = policy.classify(event, minuteOfDay: minuteOfDay)
        if person.exitAlwaysEmergency, event.type == .door, case .raise(.urgent, _) = base {
            return .raise(.emergency, reason: "property exit (dementia plan: P1 at any hour)")
        }
        if person.heartFailure, event.type == .vitals, let kg = event.detail.vitals.weightKg {
            let window = recentWeights.filter { $0.at >= now - PersonTriage.weightWindowMillis && $0.at <= now }
            if let lightest = window.map(\.kg).min(), kg - lightest >= PersonTriage.weightGainKg {
                let gain = ((kg - lightest) * 10).rounded() / 10
                switch base {
                case .raise(.emergency, _): return base
                default: return .raise(.urgent, reason: "weight up \(gain) kg in 3 days (heart failure)")
                }
            }
        }
        return base
    }
}
