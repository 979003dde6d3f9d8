import VigilCore

/// One numeric telehealth reading and the range a real body can produce. Both the wire v1 `vitals`
/// detail and the FHIR Observation adapter validate against this one table, so a reading one format
/// accepts the other accepts too.
public enum VitalParameter: String, CaseIterable, Sendable {
    // Declaration order is the order wire v1 checks `detail` keys in (so its first error is stable).
    case spo2
    case pulse
    case systolic
    case diastolic
    case respiration
    case temperature
    case weightKg = "weight_kg"
    case glucoseMmol = "glucose_mmol"

    /// The wire v1 `detail` key.
    public var key: String { rawValue }

    /// Physiologically possible values: anything outside is a device fault, not a reading to score.
    public var plausibleRange: ClosedRange<Double> {
        switch self {
        case .spo2: 50...100
        case .pulse: 20...300
        case .systolic: 40...300
        case .diastolic: 20...200
        case .respiration: 2...80
        case .temperature: 25...45
        case .weightKg: 1...500
        case .glucoseMmol: 0.5...50
        }
    }

    /// The unit Vigil stores the reading in, written in UCUM (the unit system FHIR quantities use).
    public var ucumUnit: String {
        switch self {
        case .spo2: "%"
        case .pulse, .respiration: "/min"
        case .systolic, .diastolic: "mm[Hg]"
        case .temperature: "Cel"
        case .weightKg: "kg"
        case .glucoseMmol: "mmol/L"
        }
    }

    /// Where the reading lives in `VitalSigns`.
    public var keyPath: WritableKeyPath<VitalSigns, Double?> {
        switch self {
        case .spo2: \.spo2
        case .pulse: \.pulse
        case .systolic: \.systolic
        case .diastolic: \.diastolic
        case .respiration: \.respiration
        case .temperature: \.temperature
        case .weightKg: \.weightKg
        case .glucoseMmol: \.glucoseMmol
        }
    }

    /// A number for a sentence: whole numbers without a trailing ".0".
    static func show(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
