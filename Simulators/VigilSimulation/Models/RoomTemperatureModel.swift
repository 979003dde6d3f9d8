import VigilCore
import VigilWire

/// A room thermometer reporting every few hours. Mostly 18–23 °C; a cold spell (heating broken, a
/// window left open in winter) brings a few readings down to 8–11 °C, a heatwave up to 31–34 °C:
/// the extremes Vigil's default limits (12 °C / 30 °C) raise as welfare alarms.
public struct RoomTemperatureModel: DeviceModel {
    public var every: EpochMillis
    public var coldSpells: PoissonClock
    public var heatSpells: PoissonClock
    var spell: (end: EpochMillis, cold: Bool)?
    var next: EpochMillis?

    public init(every: EpochMillis = 4 * VirtualTime.hour, coldSpellsPerDay: Double = 1.0 / 120, heatSpellsPerDay: Double = 1.0 / 365) {
        self.every = every
        coldSpells = PoissonClock(perDay: coldSpellsPerDay)
        heatSpells = PoissonClock(perDay: heatSpellsPerDay)
    }

    public mutating func events(from: EpochMillis, to: EpochMillis, rng: inout SplitMix64) -> [ScheduledEvent] {
        let starts = coldSpells.occurrences(from: from, to: to, rng: &rng).map { ($0, true) }
            + heatSpells.occurrences(from: from, to: to, rng: &rng).map { ($0, false) }
        var pendingStarts = starts.sorted { $0.0 < $1.0 }
        var out: [ScheduledEvent] = []
        var t = next ?? from + uniform(0...every - 1, &rng)
        while t < to {
            while let s = pendingStarts.first, s.0 <= t {
                pendingStarts.removeFirst()
                spell = (s.0 + uniform(6 * VirtualTime.hour...30 * VirtualTime.hour, &rng), s.1)
            }
            let c: Double
            if let s = spell, t < s.end {
                c = s.cold ? Double.random(in: 8...11, using: &rng) : Double.random(in: 31...34, using: &rng)
            } else {
                c = Double.random(in: 18...23, using: &rng)
            }
            out.append(ScheduledEvent(at: t, type: .temperature, detail: ["celsius": .number((c * 10).rounded() / 10)]))
            t += every
        }
        next = t
        return out
    }
}
