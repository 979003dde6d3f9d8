import VigilCore
import VigilWire

/// A pill dispenser with a daily schedule. At each dose the carousel opens; the person takes it on time
/// (`taken`), late (`late`, within the hour), or not at all (`missed`, reported an hour after).
public struct MedicationModel: DeviceModel {
    /// Dose times, minutes after local midnight.
    public var doses: [Int]
    public var missedShare: Double
    public var lateShare: Double
    public var utcOffset: EpochMillis
    var nextDay: EpochMillis?
    var followUps = FollowUps()

    public init(doses: [Int] = [8 * 60, 20 * 60], missedShare: Double = 0.05, lateShare: Double = 0.1, utcOffset: EpochMillis = 0) {
        self.doses = doses.sorted()
        self.missedShare = missedShare
        self.lateShare = lateShare
        self.utcOffset = utcOffset
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        var day = nextDay ?? VirtualTime.dayStart(from, offset: utcOffset)
        while day < to {
            for m in doses {
                let due = day + EpochMillis(m) * VirtualTime.minute
                guard due >= from else { continue }
                let u = Double.random(in: 0..<1, using: &rng)
                let (state, at): (String, EpochMillis) =
                    u < missedShare ? ("missed", due + VirtualTime.hour)
                    : u < missedShare + lateShare ? ("late", due + uniform(15 * VirtualTime.minute...VirtualTime.hour, &rng))
                    : ("taken", due + uniform(0...15 * VirtualTime.minute, &rng))
                followUps.add(ScheduledEvent(at: at, type: .medication, detail: ["state": .string(state)]))
            }
            day += VirtualTime.day
        }
        nextDay = day
        return followUps.take(before: to).sorted { $0.at < $1.at }
    }
}
