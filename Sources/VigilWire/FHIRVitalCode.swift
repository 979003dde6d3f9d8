/// The LOINC codes of the vital signs Vigil reads from FHIR R4 Observations, with the UCUM units each
/// accepts. The codes and units are those of the FHIR R4 vital-signs profiles (hl7.org/fhir/R4/observation-vitalsigns.html).
public enum FHIRVitalCode: String, CaseIterable, Sendable {
    /// Oxygen saturation by pulse oximetry — what a finger oximeter measures.
    case oxygenSaturationByPulseOximetry = "59408-5"
    /// Oxygen saturation in arterial blood — the code of the FHIR oxygen-saturation profile.
    case oxygenSaturation = "2708-6"
    case heartRate = "8867-4"
    /// The blood-pressure panel: its values are in the systolic and diastolic components.
    case bloodPressurePanel = "85354-9"
    case systolic = "8480-6"
    case diastolic = "8462-4"
    case respiratoryRate = "9279-1"
    case bodyTemperature = "8310-5"
    case bodyWeight = "29463-7"

    public static let loincSystem = "http://loinc.org"
    public static let ucumSystem = "http://unitsofmeasure.org"

    /// The reading this code fills; nil for the panel, whose components carry the readings.
    public var parameter: VitalParameter? {
        switch self {
        case .oxygenSaturationByPulseOximetry, .oxygenSaturation: .spo2
        case .heartRate: .pulse
        case .bloodPressurePanel: nil
        case .systolic: .systolic
        case .diastolic: .diastolic
        case .respiratoryRate: .respiration
        case .bodyTemperature: .temperature
        case .bodyWeight: .weightKg
        }
    }

    public var name: String {
        switch self {
        case .oxygenSaturationByPulseOximetry, .oxygenSaturation: "SpO2"
        case .heartRate: "pulse"
        case .bloodPressurePanel: "blood pressure panel"
        case .systolic: "systolic blood pressure"
        case .diastolic: "diastolic blood pressure"
        case .respiratoryRate: "respiration rate"
        case .bodyTemperature: "body temperature"
        case .bodyWeight: "body weight"
        }
    }

    /// UCUM unit codes accepted for this code, the first being the one Vigil stores.
    public var acceptedUnits: [String] {
        switch self {
        case .bodyTemperature: ["Cel", "[degF]"]
        case .bodyWeight: ["kg", "[lb_av]", "g"]
        case .bloodPressurePanel: ["mm[Hg]"]
        default: [parameter?.ucumUnit ?? ""]
        }
    }

    /// Converts a value in an accepted UCUM unit to Vigil's unit; nil for a unit not accepted.
    public func canonicalValue(_ value: Double, unit: String) -> Double? {
        switch (self, unit) {
        case (.bodyTemperature, "[degF]"): (value - 32) * 5 / 9
        // The international avoirdupois pound is exactly 0.45359237 kg (UCUM [lb_av]; 1959 agreement).
        case (.bodyWeight, "[lb_av]"): value * 0.453_592_37
        case (.bodyWeight, "g"): value / 1000
        case _ where unit == acceptedUnits[0]: value
        default: nil
        }
    }

    /// "8867-4 pulse (/min)", for sentences.
    public var summary: String {
        "\(rawValue) \(name) (\(acceptedUnits.joined(separator: ", ")))"
    }
}
