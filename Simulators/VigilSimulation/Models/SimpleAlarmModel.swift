import VigilCore
import VigilWire

/// A sensor whose alarms are single events at a steady rate: an epilepsy (seizure) sensor, an
/// enuresis pad, a PIR unit's inactivity alert (no movement for hours), a tamper switch.
public struct SimpleAlarmModel: DeviceModel {
    public var type: EventType
    public var clock: PoissonClock

    public init(type: EventType, perDay: Double) {
        self.type = type
        clock = PoissonClock(perDay: perDay)
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        clock.occurrences(from: from, to: to, rng: &rng).map { t in
            switch type {
            case .inactivity:
                // PIR units alert after a set period without movement: 2 to 8 hours.
                ScheduledEvent(at: t, type: type, detail: ["minutes": .number(Double(Int.random(in: 120...480, using: &rng)))])
            default:
                ScheduledEvent(at: t, type: type)
            }
        }
    }
}
