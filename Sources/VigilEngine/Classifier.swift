import VigilCore
import VigilStore

/// The classify stage: triage's table with the person's own plan (night window, dementia exit
/// rule, SpO2 scale 2, heart-failure weight trend), at Vigil's receive time in local time.
struct Classifier {
    let policy: TriagePolicy
    let alarms: AlarmStore
    let clock: any WallClock

    func classify(_ event: DeviceEvent, user: String, now: EpochMillis) throws(StoreError) -> TriageDecision {
        let person = try alarms.triage(user: user)
        var weights: [(at: EpochMillis, kg: Double)] = []
        if person.heartFailure, event.detail.vitals.weightKg != nil {
            weights = try alarms.weights(user: user, since: now - PersonTriage.weightWindowMillis)
        }
        return policy.classify(event, minuteOfDay: clock.minuteOfDay(now), person: person, now: now, recentWeights: weights)
    }
}

extension TriageDecision {
    /// One line stored with each event: what triage made of it.
    var summary: String {
        switch self {
        case .raise(let p, let reason): "P\(p.rawValue): \(reason)"
        case .cancel: "cancel"
        case .clear: "clear"
        case .record(let reason): "recorded: \(reason)"
        }
    }
}
