import VigilCore

/// Writes vital signs as FHIR R4 Observations, one per message, as a telehealth kit (or the simulator)
/// publishes them on `{prefix}/v1/devices/{id}/observations`. The output follows the R4 vital-signs
/// profiles closely enough for `FHIRObservationDecoder` and a FHIR server to read it.
public enum FHIREncoder {
    /// How a simulated kit writes its units and codes.
    public struct Options: Sendable, Equatable {
        /// "Cel" or "[degF]".
        public var temperatureUnit: String
        /// "kg", "[lb_av]" or "g".
        public var weightUnit: String
        /// 2708-6 (the oxygen-saturation profile, which also carries 59408-5) or 59408-5 alone.
        public var spo2Code: FHIRVitalCode
        public var status: String

        public init(temperatureUnit: String = "Cel", weightUnit: String = "kg", spo2Code: FHIRVitalCode = .oxygenSaturation, status: String = "final") {
            self.temperatureUnit = temperatureUnit
            self.weightUnit = weightUnit
            self.spo2Code = spo2Code
            self.status = status
        }
    }

    static let categorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"

    /// One Observation of a single reading. `value` is in `unit` (a UCUM code; by default the code's
    /// first accepted unit, which is Vigil's own).
    public static func observation(id: String, effective: String, code: FHIRVitalCode, value: Double, unit: String? = nil, status: String = "final") -> [UInt8] {
        var o = base(id: id, effective: effective, status: status, codings: codings(for: code))
        o["valueQuantity"] = quantity(value, unit: unit ?? code.acceptedUnits[0])
        return Array(JSONValue.object(o).jsonText().utf8)
    }

    /// A blood-pressure panel (85354-9). A missing reading is sent as a component with a
    /// dataAbsentReason, as the R4 blood-pressure profile asks, rather than left out.
    public static func bloodPressure(id: String, effective: String, systolic: Double?, diastolic: Double?, status: String = "final") -> [UInt8] {
        var o = base(id: id, effective: effective, status: status, codings: codings(for: .bloodPressurePanel))
        o["component"] = .array([(FHIRVitalCode.systolic, systolic), (.diastolic, diastolic)].map { code, value in
            var c: [String: JSONValue] = ["code": .object(["coding": .array(codings(for: code))])]
            if let value {
                c["valueQuantity"] = quantity(value, unit: "mm[Hg]")
            } else {
                c["dataAbsentReason"] = .object(["coding": .array([.object([
                    "system": .string("http://terminology.hl7.org/CodeSystem/data-absent-reason"), "code": .string("unknown"),
                ])])])
            }
            return .object(c)
        })
        return Array(JSONValue.object(o).jsonText().utf8)
    }

    /// Every reading of `vitals` that has a LOINC code here, each as its own Observation with id
    /// `{idPrefix}-{what}` (systolic and diastolic together as one panel, `{idPrefix}-bp`). Glucose,
    /// consciousness and oxygen have no Observation here and are left out. `idPrefix` should leave
    /// room for the suffix within the 64-character id limit.
    public static func observations(_ vitals: VitalSigns, idPrefix: String, effective: String, options: Options = Options()) -> [(id: String, payload: [UInt8])] {
        var out: [(id: String, payload: [UInt8])] = []
        func add(_ suffix: String, _ code: FHIRVitalCode, _ value: Double?, unit: String? = nil, convert: (Double) -> Double = { $0 }) {
            guard let value else { return }
            let id = "\(idPrefix)-\(suffix)"
            out.append((id, observation(id: id, effective: effective, code: code, value: convert(value), unit: unit, status: options.status)))
        }
        add("spo2", options.spo2Code, vitals.spo2)
        add("pulse", .heartRate, vitals.pulse)
        if vitals.systolic != nil || vitals.diastolic != nil {
            let id = "\(idPrefix)-bp"
            out.append((id, bloodPressure(id: id, effective: effective, systolic: vitals.systolic, diastolic: vitals.diastolic, status: options.status)))
        }
        add("resp", .respiratoryRate, vitals.respiration)
        add("temp", .bodyTemperature, vitals.temperature, unit: options.temperatureUnit) { c in
            options.temperatureUnit == "[degF]" ? c * 9 / 5 + 32 : c
        }
        add("weight", .bodyWeight, vitals.weightKg, unit: options.weightUnit) { kg in
            switch options.weightUnit {
            case "[lb_av]": kg / 0.453_592_37
            case "g": kg * 1000
            default: kg
            }
        }
        return out
    }

    private static func base(id: String, effective: String, status: String, codings: [JSONValue]) -> [String: JSONValue] {
        [
            "resourceType": .string("Observation"),
            "id": .string(id),
            "status": .string(status),
            "category": .array([.object(["coding": .array([.object([
                "system": .string(categorySystem), "code": .string("vital-signs"), "display": .string("Vital Signs"),
            ])])])]),
            "code": .object(["coding": .array(codings)]),
            "effectiveDateTime": .string(effective),
        ]
    }

    /// The oxygen-saturation profile codes 2708-6 and adds 59408-5 for a pulse oximeter.
    private static func codings(for code: FHIRVitalCode) -> [JSONValue] {
        let codes: [FHIRVitalCode] = code == .oxygenSaturation ? [.oxygenSaturation, .oxygenSaturationByPulseOximetry] : [code]
        return codes.map { .object(["system": .string(FHIRVitalCode.loincSystem), "code": .string($0.rawValue), "display": .string($0.name)]) }
    }

    private static func quantity(_ value: Double, unit: String) -> JSONValue {
        .object(["value": .number(value), "unit": .string(unit), "system": .string(FHIRVitalCode.ucumSystem), "code": .string(unit)])
    }
}
