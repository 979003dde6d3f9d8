import VigilCore

/// A heartbeat exactly every interval, from a phase of its own (devices installed at different times
/// do not all beat together).
public struct HeartbeatModel: DeviceModel {
    public var interval: EpochMillis
    public var phase: EpochMillis

    public init(interval: EpochMillis, phase: EpochMillis = 0) {
        precondition(interval > 0, "a heartbeat interval is positive")
        self.interval = interval
        self.phase = ((phase % interval) + interval) % interval
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        // The first beat at or after `from`: phase + k·interval.
        var t = from + ((phase - from) % interval + interval) % interval
        var out: [ScheduledEvent] = []
        while t < to {
            out.append(ScheduledEvent(at: t, type: .heartbeat))
            t += interval
        }
        return out
    }
}
