import Testing
import VigilCore
@testable import VigilWire

/// Builds Observations the way telehealth kits send them, with the parts each test varies.
struct FHIR {
    static func quantity(_ value: String, unit: String?, system: String? = FHIRVitalCode.ucumSystem) -> String {
        var q = #""value":\#(value)"#
        if let unit { q += #","unit":"\#(unit)","code":"\#(unit)""# }
        if let system { q += #","system":"\#(system)""# }
        return "{\(q)}"
    }

    static func observation(id: String? = "obs-1", status: String? = "final", effective: String? = "2026-11-22T02:14:07Z",
                            coding: String = #"{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}"#,
                            value: String? = nil, extra: String = "") -> String {
        var parts = [#""resourceType":"Observation""#]
        if let id { parts.append(#""id":"\#(id)""#) }
        if let status { parts.append(#""status":"\#(status)""#) }
        parts.append(#""category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}]"#)
        parts.append(#""code":{"coding":[\#(coding)],"text":"reading"}"#)
        parts.append(#""subject":{"reference":"Patient/p-17"}"#)
        if let effective { parts.append(#""effectiveDateTime":"\#(effective)""#) }
        if let value { parts.append(#""valueQuantity":\#(value)"#) }
        if !extra.isEmpty { parts.append(extra) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static func loinc(_ code: String) -> String { #"{"system":"http://loinc.org","code":"\#(code)"}"# }

    static func single(_ code: String, _ value: String, _ unit: String?, system: String? = FHIRVitalCode.ucumSystem) -> String {
        observation(coding: loinc(code), value: quantity(value, unit: unit, system: system))
    }

    static func bp(_ components: [(code: String, value: String?)], id: String = "bp-1") -> String {
        let list = components.map { c in
            let value = c.value.map { #""valueQuantity":\#(quantity($0, unit: "mm[Hg]"))"# }
                ?? #""dataAbsentReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"error"}]}"#
            return #"{"code":{"coding":[\#(loinc(c.code))]},\#(value)}"#
        }
        return observation(id: id, coding: loinc("85354-9"), extra: #""component":[\#(list.joined(separator: ","))]"#)
    }

    static func decode(_ json: String, device: String = "kit-1") -> Result<DeviceEvent, Rejection> {
        FHIRObservationDecoder.decode(Array(json.utf8), deviceID: device)
    }

    static func vitals(_ json: String) throws -> VitalSigns {
        try decode(json).get().detail.vitals
    }

    static func rejection(_ json: String) -> Rejection? {
        if case .failure(let r) = decode(json) { return r }
        return nil
    }
}

@Suite("FHIR R4 Observation decoding")
struct FHIRDecoderTests {
    @Test(arguments: [
        ("59408-5", "96", "%", VitalSigns(spo2: 96)),
        ("2708-6", "91", "%", VitalSigns(spo2: 91)),
        ("8867-4", "72", "/min", VitalSigns(pulse: 72)),
        ("9279-1", "18", "/min", VitalSigns(respiration: 18)),
        ("8310-5", "37.2", "Cel", VitalSigns(temperature: 37.2)),
        ("8310-5", "98.6", "[degF]", VitalSigns(temperature: 37)),
        ("8310-5", "101.3", "[degF]", VitalSigns(temperature: 38.5)),
        ("29463-7", "71.2", "kg", VitalSigns(weightKg: 71.2)),
        ("29463-7", "154.3", "[lb_av]", VitalSigns(weightKg: 69.989)),
        ("29463-7", "70500", "g", VitalSigns(weightKg: 70.5)),
        ("8480-6", "128", "mm[Hg]", VitalSigns(systolic: 128)),
        ("8462-4", "82", "mm[Hg]", VitalSigns(diastolic: 82)),
    ])
    func everyCodeWithItsUnits(code: String, value: String, unit: String, expected: VitalSigns) throws {
        let e = try FHIR.decode(FHIR.single(code, value, unit)).get()
        #expect(e.type == .vitals)
        #expect(e.detail.vitals == expected)
        #expect(e.eventID == "obs-1")
        #expect(e.deviceID == "kit-1")
        #expect(e.deviceTime == "2026-11-22T02:14:07Z")
        #expect(e.battery == nil)
    }

    @Test(arguments: [
        ("59408-5", "96", "/min", "%"), ("2708-6", "0.96", "1", "%"), ("8867-4", "72", "/s", "/min"), ("9279-1", "18", "%", "/min"),
        ("8310-5", "37", "K", "Cel"), ("8310-5", "37", "degC", "Cel"), ("29463-7", "70", "[lb_us]", "kg"), ("29463-7", "70", "lb", "kg"),
        ("8480-6", "128", "mmHg", "mm[Hg]"), ("8462-4", "82", "kPa", "mm[Hg]"),
    ])
    func wrongUnitsAreRejectedNamingCodeAndUnit(code: String, value: String, unit: String, expectedUnit: String) throws {
        let r = try #require(FHIR.rejection(FHIR.single(code, value, unit)))
        #expect(r.reason.code == "wrong_unit")
        #expect(r.eventID == "obs-1")
        #expect(r.reason.sentence.contains(code))
        #expect(r.reason.sentence.contains("\"\(expectedUnit)\""))
        #expect(r.reason.sentence.contains("\"\(unit)\""))
    }

    @Test(arguments: FHIRVitalCode.allCases.filter { $0 != .bloodPressurePanel })
    func missingUnitOrForeignSystemIsRejected(code: FHIRVitalCode) throws {
        let noUnit = try #require(FHIR.rejection(FHIR.single(code.rawValue, "50", nil)))
        #expect(noUnit.reason == .wrongUnit(code: code.rawValue, expected: code.acceptedUnits, found: nil))
        #expect(noUnit.reason.sentence.contains("none"))
        let noSystem = try #require(FHIR.rejection(FHIR.single(code.rawValue, "50", code.acceptedUnits[0], system: nil)))
        #expect(noSystem.reason.code == "wrong_unit")
        let snomed = try #require(FHIR.rejection(FHIR.single(code.rawValue, "50", code.acceptedUnits[0], system: "http://snomed.info/sct")))
        #expect(snomed.reason.code == "wrong_unit")
        #expect(snomed.reason.sentence.contains("http://snomed.info/sct"))
    }

    @Test func bloodPressurePanel() throws {
        let v = try FHIR.vitals(FHIR.bp([("8480-6", "142"), ("8462-4", "91")]))
        #expect(v == VitalSigns(systolic: 142, diastolic: 91))
        // A component Vigil does not monitor (mean arterial pressure) is skipped.
        let withMean = try FHIR.vitals(FHIR.bp([("8478-0", "108"), ("8462-4", "91"), ("8480-6", "142")]))
        #expect(withMean == VitalSigns(systolic: 142, diastolic: 91))
    }

    @Test(arguments: [("8480-6", "8462-4"), ("8462-4", "8480-6")])
    func panelWithAComponentMissingIsRejected(present: String, missing: String) throws {
        let r = try #require(FHIR.rejection(FHIR.bp([(present, "120")])))
        #expect(r.reason.code == "incomplete_observation")
        #expect(r.reason.sentence.contains(missing))
        #expect(r.eventID == "bp-1")
    }

    @Test func panelComponentWithADataAbsentReasonKeepsTheOther() throws {
        #expect(try FHIR.vitals(FHIR.bp([("8480-6", "150"), ("8462-4", nil)])) == VitalSigns(systolic: 150))
        let none = try #require(FHIR.rejection(FHIR.bp([("8480-6", nil), ("8462-4", nil)])))
        #expect(none.reason.code == "incomplete_observation")
        let noComponents = try #require(FHIR.rejection(FHIR.observation(coding: FHIR.loinc("85354-9"))))
        #expect(noComponents.reason.code == "incomplete_observation")
        #expect(noComponents.reason.sentence.contains("8480-6"))
        let wrongUnit = FHIR.observation(coding: FHIR.loinc("85354-9"), extra: #""component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":120,"system":"http://unitsofmeasure.org","code":"kPa"}},{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":80,"system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]"#)
        #expect(FHIR.rejection(wrongUnit)?.reason == .wrongUnit(code: "8480-6", expected: ["mm[Hg]"], found: "\"kPa\""))
    }

    @Test(arguments: ["final", "amended", "corrected", "preliminary"])
    func usableStatuses(status: String) throws {
        #expect(try FHIR.decode(FHIR.observation(status: status, value: FHIR.quantity("72", unit: "/min"))).get().detail.vitals.pulse == 72)
    }

    @Test(arguments: ["registered", "unknown", "FINAL", ""])
    func unusableStatusesAreRejected(status: String) throws {
        let r = try #require(FHIR.rejection(FHIR.observation(status: status, value: FHIR.quantity("72", unit: "/min"))))
        #expect(r.reason == .unusableStatus(status))
        #expect(r.eventID == "obs-1") // acked, so the kit stops resending it
        #expect(r.reason.sentence.contains("final, amended, corrected or preliminary"))
    }

    @Test(arguments: [
        ("2026-13-22", "invalid_timestamp"), ("2026-11-22T02:14", "invalid_timestamp"), ("yesterday", "invalid_timestamp"),
        ("2026-02-30T02:14:07Z", "invalid_timestamp"), ("2026-11-22T02:14:07", "invalid_timestamp"),
    ])
    func badEffectiveDateTime(effective: String, code: String) throws {
        let r = try #require(FHIR.rejection(FHIR.observation(effective: effective, value: FHIR.quantity("72", unit: "/min"))))
        #expect(r.reason == .invalidTimestamp(effective))
        #expect(r.reason.code == code)
    }

    @Test(arguments: ["2026-11-22", "2026-11", "2026"])
    func aDateWithoutATimeIsAcceptedWithTheReceiveTime(effective: String) throws {
        let e = try FHIRObservationDecoder.decode(Array(FHIR.observation(effective: effective, value: FHIR.quantity("72", unit: "/min")).utf8),
                                                  deviceID: "kit-1", receivedAt: 1_795_314_847_000).get()
        #expect(e.detail.vitals.pulse == 72)
        #expect(e.deviceTime == RFC3339.format(millis: 1_795_314_847_000))
        #expect(e.warnings == ["effectiveDateTime \(effective) gives no time of day; Vigil's receive time is used as the reading's time"])
    }

    @Test func anEffectivePeriodGivesItsEndOrItsStart() throws {
        func time(_ period: String) throws -> String {
            let json = #"{"resourceType":"Observation","id":"obs-1","status":"final","effectivePeriod":\#(period),"#
                + #""code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},"valueQuantity":{"value":72,"system":"http://unitsofmeasure.org","code":"/min"}}"#
            return try FHIR.decode(json).get().deviceTime
        }
        #expect(try time(#"{"start":"2026-11-22T02:00:00Z","end":"2026-11-22T02:14:07Z"}"#) == "2026-11-22T02:14:07Z")
        #expect(try time(#"{"start":"2026-11-22T02:00:00Z"}"#) == "2026-11-22T02:00:00Z")
        let r = try #require(FHIR.rejection(#"{"resourceType":"Observation","id":"obs-1","status":"final","effectivePeriod":{}}"#))
        #expect(r.reason.code == "incomplete_observation" && r.eventID == "obs-1")
    }

    @Test(arguments: ["entered-in-error", "cancelled"])
    func aWithdrawnReadingIsRecordedWithoutAValue(status: String) throws {
        let e = try FHIR.decode(FHIR.observation(status: status, value: FHIR.quantity("72", unit: "/min"))).get()
        #expect(e.detail.vitals == VitalSigns())
        #expect(e.warnings == ["status \(status): the reading is withdrawn; recorded without a value and not triaged"])
    }

    @Test func aDataAbsentReasonIsRecordedWithoutAValue() throws {
        let e = try FHIR.decode(FHIR.observation(value: nil, extra: #""dataAbsentReason":{"text":"probe off"}"#)).get()
        #expect(e.detail.vitals == VitalSigns())
        #expect(e.warnings.first?.hasPrefix("dataAbsentReason instead of a") == true)
    }

    @Test func aBundleOnItsOwnIsAnsweredByItsID() throws {
        let r = try #require(FHIR.rejection(#"{"resourceType":"Bundle","id":"b-7","type":"collection","entry":[]}"#))
        #expect(r.eventID == "b-7")
        #expect(r.reason.sentence.contains("a Bundle whose entries are Observations"))
        let empty = FHIRObservationDecoder.decodeMessage(Array(#"{"resourceType":"Bundle","id":"b-7","type":"collection","entry":[]}"#.utf8), deviceID: "kit-1")
        guard case .failure(let r2)? = empty.first, empty.count == 1 else { Issue.record("an empty Bundle was not refused once"); return }
        #expect(r2.eventID == "b-7")
        #expect(r2.reason.sentence.contains("no \"entry\""))
    }

    @Test func aBundlesEntriesAreEachAnObservationAnsweredOnItsOwn() throws {
        let pulse = FHIR.observation(id: "obs-1", value: FHIR.quantity("72", unit: "/min"))
        let spo2 = FHIR.observation(id: "obs-2", coding: FHIR.loinc("59408-5"), value: FHIR.quantity("88", unit: "%"))
        let bad = FHIR.observation(id: "obs-3", value: nil)
        let bundle = #"{"resourceType":"Bundle","id":"b-9","type":"collection","entry":[{"resource":\#(pulse)},{"resource":\#(spo2)},{"resource":\#(bad)},{"fullUrl":"x"},{"resource":{"resourceType":"Patient","id":"p-17"}}]}"#
        let out = FHIRObservationDecoder.decodeMessage(Array(bundle.utf8), deviceID: "kit-1")
        #expect(out.count == 5)
        #expect(try out[0].get().eventID == "obs-1")
        #expect(try out[0].get().detail.vitals == VitalSigns(pulse: 72))
        #expect(try out[1].get().detail.vitals == VitalSigns(spo2: 88))
        guard case .failure(let r3) = out[2], case .failure(let r4) = out[3], case .failure(let r5) = out[4] else { Issue.record("a bad entry was accepted"); return }
        #expect(r3.eventID == "obs-3" && r3.reason.code == "incomplete_observation")
        #expect(r4.eventID == "b-9" && r4.reason.sentence.contains("entry 4"))
        #expect(r5.eventID == "p-17" && r5.reason.code == "not_an_observation")
        // A single Observation is one answer, as before.
        #expect(FHIRObservationDecoder.decodeMessage(Array(pulse.utf8), deviceID: "kit-1").count == 1)
    }

    @Test func anObservationWithoutAnIDIsStillTakenUnderItsIdentifierOrItsContent() throws {
        let withIdentifier = FHIR.observation(id: nil, value: FHIR.quantity("72", unit: "/min"), extra: #""identifier":[{"system":"urn:kit","value":"has space"},{"system":"urn:kit","value":"kit-obs-441"}]"#)
        let e = try FHIR.decode(withIdentifier).get()
        #expect(e.eventID == "kit-obs-441")
        #expect(e.warnings.first?.contains("identifier \"kit-obs-441\"") == true)

        let bare = FHIR.observation(id: nil, value: FHIR.quantity("72", unit: "/min"))
        let a = try FHIR.decode(bare).get(), again = try FHIR.decode(bare).get()
        let other = try FHIR.decode(FHIR.observation(id: nil, value: FHIR.quantity("73", unit: "/min"))).get()
        #expect(a.eventID.hasPrefix("obs-") && a.eventID.count == 20)
        #expect(Identifier.isValid(a.eventID))
        #expect(a.eventID == again.eventID) // a resend is a duplicate
        #expect(a.eventID != other.eventID)
        #expect(a.detail.vitals == VitalSigns(pulse: 72))
        #expect(a.warnings.first?.contains("from its content") == true)
    }

    @Test func effectiveDateTimeWithOffsetAndFractionIsTheDeviceTime() throws {
        let e = try FHIR.decode(FHIR.observation(effective: "2026-11-22T03:14:07.250+01:00", value: FHIR.quantity("72", unit: "/min"))).get()
        #expect(e.deviceTime == "2026-11-22T03:14:07.250+01:00")
    }

    @Test(arguments: [
        // id
        (FHIR.observation(id: "has space", value: FHIR.quantity("72", unit: "/min")), "invalid_id", false),
        (FHIR.observation(id: String(repeating: "a", count: 65), value: FHIR.quantity("72", unit: "/min")), "invalid_id", false),
        (FHIR.observation(id: "a/b", value: FHIR.quantity("72", unit: "/min")), "invalid_id", false),
        (#"{"resourceType":"Observation","id":17,"status":"final"}"#, "wrong_type", false),
        // resource
        (#"{"id":"obs-1","status":"final"}"#, "not_an_observation", false),
        (#"{"resourceType":"Patient","id":"p-1"}"#, "not_an_observation", true),  // answered by its own id
        (#"{"resourceType":"Bundle","type":"collection","entry":[]}"#, "not_an_observation", false),
        (#"{"resourceType":1,"id":"obs-1"}"#, "wrong_type", false),
        ("not json", "invalid_json", false), ("", "invalid_json", false), ("[1]", "not_an_object", false), ("\"Observation\"", "not_an_object", false),
        // status and time
        (FHIR.observation(status: nil, value: FHIR.quantity("72", unit: "/min")), "incomplete_observation", true),
        (#"{"resourceType":"Observation","id":"obs-1","status":1}"#, "wrong_type", true),
        (FHIR.observation(effective: nil, value: FHIR.quantity("72", unit: "/min")), "incomplete_observation", true),
        (#"{"resourceType":"Observation","id":"obs-1","status":"final","effectiveDateTime":1795314847}"#, "wrong_type", true),
        (#"{"resourceType":"Observation","id":"obs-1","status":"final","effectiveDateTime":"2026-11-22T02:14:07Z"}"#, "incomplete_observation", true),
        (#"{"resourceType":"Observation","id":"obs-1","status":"final","effectiveDateTime":"2026-11-22T02:14:07Z","code":{"text":"pulse"}}"#, "incomplete_observation", true),
        (#"{"resourceType":"Observation","id":"obs-1","status":"final","effectiveDateTime":"2026-11-22T02:14:07Z","code":{"coding":{}}}"#, "wrong_type", true),
        (#"{"resourceType":"Observation","id":"obs-1","status":"final","effectiveDateTime":"2026-11-22T02:14:07Z","code":"8867-4"}"#, "wrong_type", true),
        // value
        (FHIR.observation(value: nil), "incomplete_observation", true),
        (FHIR.observation(value: FHIR.quantity(#""72""#, unit: "/min")), "wrong_type", true),
        (FHIR.observation(value: #"{"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}"#), "incomplete_observation", true),
        (FHIR.observation(value: "72"), "wrong_type", true),
        (FHIR.observation(value: #"{"value":72,"comparator":">","system":"http://unitsofmeasure.org","code":"/min"}"#), "invalid_value", true),
        (FHIR.single("8867-4", "400", "/min"), "invalid_value", true),
        (FHIR.single("59408-5", "49", "%"), "invalid_value", true),
        (FHIR.single("8310-5", "120", "[degF]"), "invalid_value", true),
        (FHIR.single("29463-7", "0.5", "g"), "invalid_value", true),
    ] as [(String, String, Bool)])
    func rejections(json: String, code: String, idReadable: Bool) throws {
        let r = try #require(FHIR.rejection(json))
        #expect(r.reason.code == code)
        #expect((r.eventID != nil) == idReadable)
        #expect(!r.reason.sentence.isEmpty)
    }

    @Test func outOfRangeSentenceGivesTheRangeInVigilUnits() throws {
        let r = try #require(FHIR.rejection(FHIR.single("8310-5", "120", "[degF]")))
        #expect(r.reason.sentence.contains("between 25 and 45 Cel"))
        #expect(r.reason.sentence.contains("48.889 Cel"))
    }

    @Test(arguments: [
        FHIR.loinc("2339-0"), // glucose in blood: not (yet) a vital sign Vigil reads from FHIR
        #"{"system":"http://snomed.info/sct","code":"364075005"}"#, // heart rate, but in SNOMED CT only
        #"{"system":"http://loinc.org","code":"85353-1"}"#, // the vital-signs panel itself
    ])
    func unknownCodesListTheSupportedOnes(coding: String) throws {
        let r = try #require(FHIR.rejection(FHIR.observation(coding: coding, value: FHIR.quantity("5", unit: "mmol/L"))))
        #expect(r.reason.code == "not_a_vital_sign")
        #expect(r.reason.sentence.contains("not a vital sign Vigil monitors"))
        for code in FHIRVitalCode.allCases { #expect(r.reason.sentence.contains(code.rawValue)) }
    }

    @Test func theFirstMonitoredLOINCCodingCounts() throws {
        let snomedFirst = #"{"system":"http://snomed.info/sct","code":"364075005"},{"system":"http://loinc.org","code":"8867-4"}"#
        #expect(try FHIR.vitals(FHIR.observation(coding: snomedFirst, value: FHIR.quantity("64", unit: "/min"))) == VitalSigns(pulse: 64))
        // The FHIR oxygen-saturation profile sends both SpO2 codes.
        let both = FHIR.loinc("2708-6") + "," + FHIR.loinc("59408-5")
        #expect(try FHIR.vitals(FHIR.observation(coding: both, value: FHIR.quantity("97", unit: "%"))) == VitalSigns(spo2: 97))
    }

    @Test func invalidUTF8AndOversizedPayloads() throws {
        let bad = Array(#"{"resourceType":"Observation","id":"x","note":""#.utf8) + [0xFF] + Array("\"}".utf8)
        guard case .failure(let r) = FHIRObservationDecoder.decode(bad, deviceID: "k") else { Issue.record("accepted"); return }
        #expect(r.reason == .invalidUTF8)
        let big = FHIR.observation(id: "big-1", value: FHIR.quantity("72", unit: "/min"), extra: #""note":[{"text":"\#(String(repeating: "x", count: 17_000))"}]"#)
        let r2 = try #require(FHIR.rejection(big))
        #expect(r2.reason.code == "payload_too_large")
        #expect(r2.eventID == "big-1")
    }

    @Test func decodedObservationsAreTriagedLikeWireVitals() throws {
        let e = try FHIR.decode(FHIR.single("2708-6", "85", "%")).get()
        // SpO2 85 % scores 3 on NEWS2 scale 1: an urgent welfare call on its own.
        #expect(TriagePolicy.default.classify(e, minuteOfDay: 600) == .raise(.urgent, reason: "NEWS2 3"))
    }
}

@Suite("Vital-sign ranges shared by wire v1 and FHIR")
struct VitalRangeAgreementTests {
    static let fhirCode: [VitalParameter: FHIRVitalCode] = [
        .spo2: .oxygenSaturation, .pulse: .heartRate, .systolic: .systolic, .diastolic: .diastolic,
        .respiration: .respiratoryRate, .temperature: .bodyTemperature, .weightKg: .bodyWeight,
    ]

    @Test(arguments: VitalParameter.allCases)
    func bothFormatsAcceptAndRejectTheSameBoundaries(parameter: VitalParameter) throws {
        let range = parameter.plausibleRange
        for (value, accepted) in [(range.lowerBound, true), (range.upperBound, true), (range.lowerBound - 0.1, false), (range.upperBound + 0.1, false)] {
            let wire = #"{"id":"a","ts":"2026-11-22T02:14:07Z","type":"vitals","detail":{"\#(parameter.key)":\#(value)}}"#
            // Wire v1 keeps the event either way (a side field never refuses it) but drops the reading.
            let wireEvent = try EventDecoder.decode(Array(wire.utf8), deviceID: "d", receivedAt: 0).get()
            #expect((wireEvent.detail.vitals[keyPath: parameter.keyPath] != nil) == accepted, "wire v1 \(parameter.key)=\(value)")
            guard let code = Self.fhirCode[parameter] else { continue } // glucose has no FHIR code here
            let fhir = FHIR.decode(FHIR.single(code.rawValue, "\(value)", parameter.ucumUnit))
            #expect(((try? fhir.get()) != nil) == accepted, "FHIR \(code.rawValue)=\(value)")
            if accepted { #expect(try fhir.get().detail.vitals[keyPath: parameter.keyPath] == value) }
        }
    }
}

@Suite("FHIR Observations written")
struct FHIRObservationWritingTests {
    static let full = VitalSigns(spo2: 94, pulse: 88, systolic: 128, diastolic: 80, respiration: 18, temperature: 37.1, weightKg: 71.2)
    static let wire = WireEncoder()

    static func decodeAll(_ observations: [FHIRObservation]) throws -> VitalSigns {
        var merged = VitalSigns()
        for o in observations {
            let e = try FHIRObservationDecoder.decode(wire.encode(o), deviceID: "kit-1").get()
            #expect(e.eventID == o.id)
            for p in VitalParameter.allCases {
                if let v = e.detail.vitals[keyPath: p.keyPath] { merged[keyPath: p.keyPath] = v }
            }
        }
        return merged
    }

    @Test(arguments: [
        FHIRObservation.Options(),
        FHIRObservation.Options(temperatureUnit: "[degF]", weightUnit: "[lb_av]", spo2Code: .oxygenSaturationByPulseOximetry),
        FHIRObservation.Options(temperatureUnit: "Cel", weightUnit: "g", status: "preliminary"),
    ])
    func everyReadingRoundTrips(options: FHIRObservation.Options) throws {
        let obs = FHIRObservation.readings(of: Self.full, idPrefix: "kit-1-000183", effective: "2026-11-22T02:14:07Z", options: options)
        #expect(obs.map(\.id) == ["kit-1-000183-spo2", "kit-1-000183-pulse", "kit-1-000183-bp", "kit-1-000183-resp", "kit-1-000183-temp", "kit-1-000183-weight"])
        #expect(obs.allSatisfy { Identifier.isValid($0.id) })
        let v = try Self.decodeAll(obs)
        #expect(v.spo2 == 94 && v.pulse == 88 && v.systolic == 128 && v.diastolic == 80 && v.respiration == 18)
        #expect(abs((v.temperature ?? 0) - 37.1) < 0.001)
        #expect(abs((v.weightKg ?? 0) - 71.2) < 0.001)
    }

    @Test func unencodableReadingsAreLeftOut() throws {
        let obs = FHIRObservation.readings(of: VitalSigns(glucoseMmol: 5.4, consciousness: .alert, onOxygen: true), idPrefix: "k", effective: "2026-11-22T02:14:07Z")
        #expect(obs.isEmpty)
        let bpOnly = FHIRObservation.readings(of: VitalSigns(systolic: 150), idPrefix: "k", effective: "2026-11-22T02:14:07Z")
        #expect(bpOnly.map(\.id) == ["k-bp"])
        #expect(try Self.decodeAll(bpOnly) == VitalSigns(systolic: 150)) // diastolic sent with a dataAbsentReason
    }

    @Test func singleObservationShape() throws {
        let bytes = Self.wire.encode(FHIRObservation(id: "o-1", effective: "2026-11-22T02:14:07Z", code: .heartRate, value: 72))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""resourceType":"Observation""#))
        #expect(text.contains(#""valueQuantity":{"code":"/min","system":"http://unitsofmeasure.org","unit":"/min","value":72}"#))
        #expect(text.contains(#""code":"vital-signs""#))
        #expect(try FHIRObservationDecoder.decode(bytes, deviceID: "k").get().detail.vitals == VitalSigns(pulse: 72))
        // A withdrawn reading is stored and acked without a value, so the kit stops resending it.
        let cancelled = Self.wire.encode(FHIRObservation(id: "o-2", effective: "2026-11-22T02:14:07Z", code: .heartRate, value: 72, status: "cancelled"))
        let withdrawn = try FHIRObservationDecoder.decode(cancelled, deviceID: "k").get()
        #expect(withdrawn.detail.vitals == VitalSigns())
        #expect(withdrawn.warnings.first?.contains("status cancelled") == true)
    }

    @Test func jsonValuesEncodeStablyAndNonFiniteAsNull() throws {
        let value = JSONValue.object(["b": .array([.number(1), .number(2.5), .null, .bool(true)]), "a": .string("q\"\n"), "n": .number(.infinity)])
        let text = String(decoding: Self.wire.encode(value), as: UTF8.self)
        #expect(text == #"{"a":"q\"\n","b":[1,2.5,null,true],"n":null}"#)
        #expect(JSONValue.parse(Array(text.utf8)) == .object(["a": .string("q\"\n"), "b": .array([.number(1), .number(2.5), .null, .bool(true)]), "n": .null]))
    }
}
