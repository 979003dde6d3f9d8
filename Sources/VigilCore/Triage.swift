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
    /// Blood glucose, which NEWS2 does not score: below `emergencyBelowMmol` is P1 (hypoglycaemia
    /// level 2, 3.0 mmol/L), below `urgentBelowMmol` P2 (level 1, 3.9 mmol/L).
    public var glucose: GlucoseBands

    public init(nightStartMinute: Int = 22 * 60, nightEndMinute: Int = 7 * 60, coldCelsius: Double = 12, hotCelsius: Double = 30, news2: NEWS2 = NEWS2(),
                glucose: GlucoseBands = GlucoseBands()) {
        self.nightStartMinute = nightStartMinute
        self.nightEndMinute = nightEndMinute
        self.coldCelsius = coldCelsius
        self.hotCelsius = hotCelsius
        self.news2 = news2
        self.glucose = glucose
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
            let score: Priority? = s.aggregate >= 7 ? .emergency : (s.aggregate >= 5 || s.highestSingle >= 3) ? .urgent : nil
            let sugar = d.vitals.glucoseMmol.flatMap(glucose.priority(mmol:))
            // The worse of the two decides; the reason names both when both count.
            var reasons = ["NEWS2 \(s.aggregate)"]
            if let mmol = d.vitals.glucoseMmol, sugar != nil { reasons.append("glucose \(GlucoseBands.show(mmol)) mmol/L") }
            guard let priority = [score, sugar].compactMap({ $0 }).min() else { return .record(reason: reasons.joined(separator: ", ")) }
            return .raise(priority, reason: reasons.joined(separator: ", "))
        case .power:
            return d.state == "lost" ? .raise(.technical, reason: "mains power lost") : .record(reason: "mains power restored")
        case .medication:
            return d.state == "missed" ? .raise(.technical, reason: "medication missed") : .record(reason: "medication \(d.state ?? "reported")")
        case .lowBattery, .tamper, .enuresis:
            return .raise(.technical, reason: event.type.rawValue.replacingUnderscores())
        case .heartbeat:
            return .record(reason: "heartbeat")
        case .deviceFault:
            return .raise(.technical, reason: "device reports something Vigil does not understand" + (d.state.map { ": \($0)" } ?? ""))
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

/// Hypoglycaemia bands for a glucose reading (mmol/L): level 2 below 3.0 is an emergency, level 1
/// below 3.9 urgent (README, "Triage"). High readings are left to the person's care plan.
public struct GlucoseBands: Sendable, Equatable {
    public var emergencyBelowMmol: Double
    public var urgentBelowMmol: Double

    public init(emergencyBelowMmol: Double = 3.0, urgentBelowMmol: Double = 3.9) {
        self.emergencyBelowMmol = emergencyBelowMmol
        self.urgentBelowMmol = urgentBelowMmol
    }

    public func priority(mmol: Double) -> Priority? {
        if mmol < emergencyBelowMmol { return .emergency }
        if mmol < urgentBelowMmol { return .urgent }
        return nil
    }

    /// One decimal, as a meter shows it.
    static func show(_ mmol: Double) -> String {
        let tenths = Int((mmol * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
