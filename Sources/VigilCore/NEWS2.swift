/// National Early Warning Score 2 (Royal College of Physicians, 2017), scored from whatever
/// parameters a telehealth kit sent. Missing parameters score nothing.
public struct NEWS2: Sendable, Equatable {
    public struct Score: Sendable, Equatable {
        public var aggregate: Int
        /// The highest score of any single parameter (a 3 on its own means an urgent review).
        public var highestSingle: Int
        public var parameters: Int
    }

    /// SpO2 scale 2 is for people with hypercapnic respiratory failure (a clinician's decision, per person).
    public var useSpO2Scale2: Bool

    public init(useSpO2Scale2: Bool = false) {
        self.useSpO2Scale2 = useSpO2Scale2
    }

    public func score(_ v: VitalSigns) -> Score {
        var parts: [Int] = []
        if let rr = v.respiration { parts.append(Self.respiration(rr)) }
        if let s = v.spo2 {
            parts.append(useSpO2Scale2 ? Self.spo2Scale2(s, onOxygen: v.onOxygen ?? false) : Self.spo2Scale1(s))
        }
        if v.onOxygen == true { parts.append(2) }
        if let sbp = v.systolic { parts.append(Self.systolic(sbp)) }
        if let hr = v.pulse { parts.append(Self.pulse(hr)) }
        if let c = v.consciousness { parts.append(c == .alert ? 0 : 3) }
        if let t = v.temperature { parts.append(Self.temperature(t)) }
        return Score(aggregate: parts.reduce(0, +), highestSingle: parts.max() ?? 0, parameters: parts.count)
    }

    static func respiration(_ rr: Double) -> Int {
        switch rr {
        case ...8: 3
        case ...11: 1
        case ...20: 0
        case ...24: 2
        default: 3
        }
    }

    static func spo2Scale1(_ s: Double) -> Int {
        switch s {
        case ...91: 3
        case ...93: 2
        case ...95: 1
        default: 0
        }
    }

    static func spo2Scale2(_ s: Double, onOxygen: Bool) -> Int {
        switch s {
        case ...83: return 3
        case ...85: return 2
        case ...87: return 1
        case ...92: return 0
        default:
            // 93 and above scores only when it is achieved on oxygen (over-oxygenation).
            guard onOxygen else { return 0 }
            switch s {
            case ...94: return 1
            case ...96: return 2
            default: return 3
            }
        }
    }

    static func systolic(_ sbp: Double) -> Int {
        switch sbp {
        case ...90: 3
        case ...100: 2
        case ...110: 1
        case ...219: 0
        default: 3
        }
    }

    static func pulse(_ hr: Double) -> Int {
        switch hr {
        case ...40: 3
        case ...50: 1
        case ...90: 0
        case ...110: 1
        case ...130: 2
        default: 3
        }
    }

    static func temperature(_ t: Double) -> Int {
        switch t {
        case ...35.0: 3
        case ...36.0: 1
        case ...38.0: 0
        case ...39.0: 1
        default: 2
        }
    }
}
