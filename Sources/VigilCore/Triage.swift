/// What triage decided for one event.
public enum TriageDecision: Sendable, Equatable {
    /// Open an alarm (or attach to the open one for the same condition).
    case raise(Priority, reason: String)
    /// The person cancelled at the device: close an alarm nobody has claimed yet.
    case cancel
    /// The sensor is back to normal: close its unclaimed alarm.
    case clear
    /// Recorded, no queue item.
    case record(reason: String)
}

/// The default triage table of a real monitoring centre (README, "Triage"), as a pure function of the event
/// and the local time of day at which Vigil received it.
public struct TriagePolicy: Sendable, Equatable {
    /// Night window for property-exit sensors, minutes after local midnight; it may wrap midnight.
    public var nightStartMinute: Int
    public var nightEndMinute: Int
    /// Room temperatures outside this range are a welfare risk (cold: hypothermia; heat: dehydration).
    public var coldCelsius: Double
    public var hotCelsius: Double
    public var news2: NEWS2

    public init(nightStartMinute: Int = 22 * 60, nightEndMinute: Int = 7 * 60, coldCelsius: Double = 12, hotCelsius: Double = 30, news2: NEWS2 = NEWS2()) {
        self.nightStartMinute = nightStartMinute
        self.nightEndMinute = nightEndMinute
        self.coldCelsius = coldCelsius
        self.hotCelsius = hotCelsius
        self.news2 = news2
    }

    public static let `default` = TriagePolicy()

    public func isNight(minuteOfDay m: Int) -> Bool {
        if nightStartMinute <= nightEndMinute { return m >= nightStartMinute && m < nightEndMinute }
        return m >= nightStartMinute || m < nightEndMinute
    }

    /// - Parameter minuteOfDay: local minutes after midnight at which Vigil received the event.
    public func classify(_ event: DeviceEvent, minuteOfDay: Int) -> TriageDecision {
        let d = event.detail
        switch event.type {
        case .button, .fall, .smoke, .heat, .co, .gas, .epilepsy:
            return .raise(.emergency, reason: "\(event.type.rawValue) alarm")
        case .door:
            guard d.state == "open" else { return .record(reason: "door closed") }
            guard d.exit == true else { return .record(reason: "internal door opened") }
            return isNight(minuteOfDay: minuteOfDay)
                ? .raise(.emergency, reason: "property exit at night")
                : .raise(.urgent, reason: "property exit by day")
        case .bed, .chair:
            return d.state == "vacated"
                ? .raise(.urgent, reason: "\(event.type.rawValue) vacated past its window")
                : .record(reason: "\(event.type.rawValue) occupied")
        case .inactivity:
            return .raise(.urgent, reason: "no movement detected")
        case .flood:
            return .raise(.urgent, reason: "flood")
        case .temperature:
            guard let c = d.celsius else { return .record(reason: "temperature without a reading") }
            if c <= coldCelsius { return .raise(.urgent, reason: "extreme cold") }
            if c >= hotCelsius { return .raise(.urgent, reason: "extreme heat") }
            return .record(reason: "temperature in range")
        case .vitals:
            let s = news2.score(d.vitals)
            if s.aggregate >= 7 { return .raise(.emergency, reason: "NEWS2 \(s.aggregate)") }
            if s.aggregate >= 5 || s.highestSingle >= 3 { return .raise(.urgent, reason: "NEWS2 \(s.aggregate)") }
            return .record(reason: "NEWS2 \(s.aggregate)")
        case .power:
            return d.state == "lost" ? .raise(.technical, reason: "mains power lost") : .record(reason: "mains power restored")
        case .medication:
            return d.state == "missed" ? .raise(.technical, reason: "medication missed") : .record(reason: "medication \(d.state ?? "reported")")
        case .lowBattery, .tamper, .enuresis:
            return .raise(.technical, reason: event.type.rawValue.replacingUnderscores())
        case .heartbeat:
            return .record(reason: "heartbeat")
        case .cancel:
            return .cancel
        case .clear:
            return .clear
        }
    }
}

extension String {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? " " : $0 }) }
}
