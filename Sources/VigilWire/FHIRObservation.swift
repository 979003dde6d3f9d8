import VigilCore

/// One HL7 FHIR R4 `Observation` of a vital sign, as a telehealth kit (or the simulator) publishes it
/// on `{prefix}/v1/devices/{id}/observations`: the elements the R4 vital-signs profiles ask for, under
/// FHIR's own (camelCase) names. Vigil reads kits' Observations with `FHIRObservationDecoder`, which
/// says which element of an unexpected resource is wrong.
public struct FHIRObservation: Codable, Sendable, Equatable {
    public struct Coding: Codable, Sendable, Equatable {
        public var system: String
        public var code: String
        public var display: String?

        init(system: String, code: String, display: String? = nil) {
            self.system = system
            self.code = code
            self.display = display
        }
    }

    public struct CodeableConcept: Codable, Sendable, Equatable {
        public var coding: [Coding]

        init(coding: [Coding]) {
            self.coding = coding
        }
    }

    /// A value with its UCUM unit, written as both the human `unit` and the coded `code`.
    public struct Quantity: Codable, Sendable, Equatable {
        public var value: Double
        public var unit: String
        public var system: String
        public var code: String

        init(_ value: Double, unit: String) {
            self.value = value
            self.unit = unit
            system = FHIRVitalCode.ucumSystem
            code = unit
        }
    }

    /// One reading of a panel, such as the systolic pressure of a blood-pressure panel.
    public struct Component: Codable, Sendable, Equatable {
        public var code: CodeableConcept
        public var valueQuantity: Quantity?
        public var dataAbsentReason: CodeableConcept?
    }

    public var resourceType = "Observation"
    public var id: String
    public var status: String
    public var category: [CodeableConcept]
    public var code: CodeableConcept
    public var effectiveDateTime: String
    public var valueQuantity: Quantity?
    public var component: [Component]?

    /// An Observation of one reading. `value` is in `unit` (a UCUM code; by default the code's first
    /// accepted unit, which is Vigil's own).
    public init(id: String, effective: String, code: FHIRVitalCode, value: Double, unit: String? = nil, status: String = "final") {
        self.id = id
        self.status = status
        category = [Self.vitalSigns]
        self.code = Self.concept(code)
        effectiveDateTime = effective
        valueQuantity = Quantity(value, unit: unit ?? code.acceptedUnits[0])
    }

    /// A blood-pressure panel (85354-9). A missing reading is sent as a component with a
    /// dataAbsentReason, as the R4 blood-pressure profile asks, rather than left out.
    public init(id: String, effective: String, systolic: Double?, diastolic: Double?, status: String = "final") {
        self.id = id
        self.status = status
        category = [Self.vitalSigns]
        code = Self.concept(.bloodPressurePanel)
        effectiveDateTime = effective
        component = [(FHIRVitalCode.systolic, systolic), (.diastolic, diastolic)].map { code, value in
            Component(code: Self.concept(code), valueQuantity: value.map { Quantity($0, unit: "mm[Hg]") },
                      dataAbsentReason: value == nil ? Self.unknown : nil)
        }
    }

    static let categorySystem = "http://terminology.hl7.org/CodeSystem/observation-category"
    static let vitalSigns = CodeableConcept(coding: [Coding(system: categorySystem, code: "vital-signs", display: "Vital Signs")])
    static let unknown = CodeableConcept(coding: [Coding(system: "http://terminology.hl7.org/CodeSystem/data-absent-reason", code: "unknown")])

    /// The oxygen-saturation profile codes 2708-6 and adds 59408-5 for a pulse oximeter.
    static func concept(_ code: FHIRVitalCode) -> CodeableConcept {
        let codes: [FHIRVitalCode] = code == .oxygenSaturation ? [.oxygenSaturation, .oxygenSaturationByPulseOximetry] : [code]
        return CodeableConcept(coding: codes.map { Coding(system: FHIRVitalCode.loincSystem, code: $0.rawValue, display: $0.name) })
    }
}

extension FHIRObservation {
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

    /// Every reading of `vitals` that has a LOINC code here, each as its own Observation with id
    /// `{idPrefix}-{what}` (systolic and diastolic together as one panel, `{idPrefix}-bp`). Glucose,
    /// consciousness and oxygen have no Observation here and are left out. `idPrefix` should leave
    /// room for the suffix within the 64-character id limit.
    public static func readings(of vitals: VitalSigns, idPrefix: String, effective: String, options: Options = Options()) -> [FHIRObservation] {
        var out: [FHIRObservation] = []
        func add(_ suffix: String, _ code: FHIRVitalCode, _ value: Double?, unit: String? = nil, convert: (Double) -> Double = { $0 }) {
            guard let value else { return }
            out.append(FHIRObservation(id: "\(idPrefix)-\(suffix)", effective: effective, code: code, value: convert(value), unit: unit, status: options.status))
        }
        add("spo2", options.spo2Code, vitals.spo2)
        add("pulse", .heartRate, vitals.pulse)
        if vitals.systolic != nil || vitals.diastolic != nil {
            out.append(FHIRObservation(id: "\(idPrefix)-bp", effective: effective, systolic: vitals.systolic, diastolic: vitals.diastolic, status: options.status))
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
}
