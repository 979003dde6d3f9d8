import VigilCore

/// Reads HL7 FHIR R4 `Observation`s (vital signs, by LOINC code) from a telehealth kit into `vitals`
/// events: one per message, or each entry of a `Bundle`. The Observation `id` is the event id, so a
/// kit that resends an Observation is deduplicated like any wire v1 event; one without an id takes
/// its first `identifier` value, else an id made from its content (with a warning), since a reading
/// is never refused for its id. `effectiveDateTime` (or its alternatives) is the device time.
public enum FHIRObservationDecoder {
    /// The same limit as wire v1 events: one Observation with its codings fits easily.
    public static let maxPayloadBytes = EventDecoder.maxPayloadBytes

    /// Statuses whose value is a result (FHIR R4 ObservationStatus). `registered` has no result yet;
    /// `cancelled`, `entered-in-error` and `unknown` must not be acted on.
    public static let usableStatuses: Set<String> = ["final", "amended", "corrected", "preliminary"]
    /// Statuses that withdraw a reading: the Observation is stored and acked, with no value and no
    /// triage, so the kit stops resending it and the record shows what it said.
    public static let withdrawnStatuses: Set<String> = ["entered-in-error", "cancelled"]

    /// One message as a kit sends it: an Observation, or a `Bundle` of them. Each Observation in a
    /// Bundle is its own event with its own answer, in the Bundle's order; an entry that is no
    /// Observation is refused by its own id, and a Bundle with no entries is refused by the Bundle's.
    public static func decodeMessage(_ payload: [UInt8], deviceID: String, receivedAt: EpochMillis = 0) -> [Result<DeviceEvent, Rejection>] {
        switch parse(payload) {
        case .failure(let r): return [.failure(r)]
        case .success(let o):
            guard case .string("Bundle")? = o["resourceType"] else { return [decode(object: o, payload: payload, deviceID: deviceID, receivedAt: receivedAt)] }
            let bundleID = validID(o["id"])
            guard case .array(let entries)? = o["entry"], !entries.isEmpty else {
                return [.failure(Rejection(.incompleteObservation(missing: "Observations: the Bundle has no \"entry\""), eventID: bundleID))]
            }
            return entries.enumerated().map { i, entry in
                guard case .object(let e) = entry, case .object(let resource)? = e["resource"] else {
                    return .failure(Rejection(.incompleteObservation(missing: "\"resource\" in the Bundle's entry \(i + 1)"), eventID: bundleID))
                }
                return decode(object: resource, payload: payload, deviceID: deviceID, receivedAt: receivedAt, entry: i)
            }
        }
    }

    /// One Observation; a Bundle is refused here (`decodeMessage` reads one).
    /// `receivedAt` stands in for the reading's time when the Observation gives only its day.
    public static func decode(_ payload: [UInt8], deviceID: String, receivedAt: EpochMillis = 0) -> Result<DeviceEvent, Rejection> {
        parse(payload).flatMap { decode(object: $0, payload: payload, deviceID: deviceID, receivedAt: receivedAt) }
    }

    private static func parse(_ payload: [UInt8]) -> Result<[String: JSONValue], Rejection> {
        if payload.count > maxPayloadBytes {
            let id = payload.count <= EventDecoder.maxParseBytes ? JSONValue.readableID(in: payload) : nil
            return .failure(Rejection(.payloadTooLarge(bytes: payload.count), eventID: id))
        }
        guard String(validating: payload, as: UTF8.self) != nil else { return .failure(Rejection(.invalidUTF8)) }
        let json: JSONValue
        switch JSONValue.readStrict(payload) {
        case .failure(let r): return .failure(Rejection(r.reason, eventID: r.reason.leavesIDReadable ? JSONValue.readableID(in: payload) : nil))
        case .success(let v): json = v
        }
        guard case .object(let o) = json else { return .failure(Rejection(.notAnObject(found: json.typeName))) }
        return .success(o)
    }

    private static func validID(_ v: JSONValue?) -> String? {
        if case .string(let i)? = v, Identifier.isValid(i) { return i }
        return nil
    }

    /// `entry`: the Observation's place in a Bundle, which goes into the id Vigil makes for one that has none.
    private static func decode(object o: [String: JSONValue], payload: [UInt8], deviceID: String, receivedAt: EpochMillis, entry: Int? = nil) -> Result<DeviceEvent, Rejection> {
        switch o["resourceType"] {
        case nil, .null?:
            return .failure(Rejection(.notAnObservation(found: "a JSON object without \"resourceType\"")))
        case .string(let t)? where t == "Observation":
            break
        case .string(let t)?:
            // Answered with the resource's own id where it has one, so a kit that sent a Bundle hears why.
            let what = t == "Bundle" ? "a FHIR \"Bundle\" where one Observation was expected" : "a FHIR \"\(t.prefix(40))\""
            return .failure(Rejection(.notAnObservation(found: what), eventID: validID(o["id"])))
        case let other?:
            return .failure(Rejection(.wrongType(field: "resourceType", expected: "a string", found: other.typeName)))
        }

        // The id first, so that every later rejection can be acked to the kit.
        var warnings: [String] = []
        let id: String
        switch o["id"] {
        case nil, .null?:
            // A reading is never refused for its id: the kit's own identifier serves, else one made from
            // the content, so that the same Observation resent is still a duplicate.
            if let own = businessIdentifier(o) {
                id = own
                warnings.append("no \"id\": the identifier \"\(own)\" is used as the event id")
            } else {
                id = contentID(payload, entry: entry)
                warnings.append("no \"id\": Vigil named it \"\(id)\" from its content; give each Observation an id to match this answer")
            }
        case .string(let given)?:
            guard Identifier.isValid(given) else { return .failure(Rejection(.invalidID(given))) }
            id = given
        case let other?:
            return .failure(Rejection(.wrongType(field: "id", expected: "a string", found: other.typeName)))
        }

        switch ObservationReader(fields: o, receivedAt: receivedAt).read() {
        case .success(let (time, vitals, more)):
            return .success(DeviceEvent(deviceID: deviceID, eventID: id, type: .vitals, deviceTime: time,
                                        detail: EventDetail(vitals: vitals), warnings: warnings + more))
        case .failure(let why):
            return .failure(Rejection(why.reason, eventID: id))
        }
    }

    /// The first `identifier[].value` that is a valid event id.
    static func businessIdentifier(_ o: [String: JSONValue]) -> String? {
        guard case .array(let ids)? = o["identifier"] else { return nil }
        for case .object(let i) in ids {
            if let v = validID(i["value"]) { return v }
        }
        return nil
    }

    /// "obs-" and 16 hex digits of the 64-bit FNV-1a hash of the message (and the entry's place in a
    /// Bundle): not secret, only stable, so a resend of the same bytes is recognised.
    static func contentID(_ payload: [UInt8], entry: Int?) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in payload + (entry.map { Array("#\($0)".utf8) } ?? []) {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return "obs-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The checks after the id, each failing with the reason a kit's installer can act on.
struct ObservationReader {
    var fields: [String: JSONValue]
    var receivedAt: EpochMillis

    func read() -> Result<(String, VitalSigns, [String]), Reason> {
        do throws(Reason) {
            var warnings: [String] = []
            let status = try checkStatus()
            let time = try effectiveTime(&warnings)
            let code = try vitalCode(fields["code"], field: "code")
            var vitals = VitalSigns()
            if FHIRObservationDecoder.withdrawnStatuses.contains(status) {
                warnings.append("status \(status): the reading is withdrawn; recorded without a value and not triaged")
                return .success((time, vitals, warnings))
            }
            if code == .bloodPressurePanel {
                try readPanel(into: &vitals)
            } else if let parameter = code.parameter {
                guard let q = fields["valueQuantity"], q != .null else {
                    guard fields["dataAbsentReason"] == nil else {
                        // Valid FHIR: the device says why there is no value (probe off, error).
                        warnings.append("dataAbsentReason instead of a \(code.name) value: recorded without a value")
                        return .success((time, vitals, warnings))
                    }
                    throw Reason(.incompleteObservation(missing: "\"valueQuantity\" with the \(code.name) reading (or a dataAbsentReason saying why there is none)"))
                }
                vitals[keyPath: parameter.keyPath] = try quantity(q, code: code, parameter: parameter, field: "valueQuantity")
            }
            return .success((time, vitals, warnings))
        } catch {
            return .failure(error)
        }
    }

    struct Reason: Error {
        var reason: RejectReason
        init(_ reason: RejectReason) { self.reason = reason }
    }

    private func string(_ key: String, in object: [String: JSONValue], field: String, missing: String) throws(Reason) -> String {
        guard let v = object[key], v != .null else { throw Reason(.incompleteObservation(missing: missing)) }
        guard case .string(let s) = v else { throw Reason(.wrongType(field: field, expected: "a string", found: v.typeName)) }
        return s
    }

    private func checkStatus() throws(Reason) -> String {
        let status = try string("status", in: fields, field: "status", missing: "\"status\"; send final, amended, corrected or preliminary")
        guard FHIRObservationDecoder.usableStatuses.contains(status) || FHIRObservationDecoder.withdrawnStatuses.contains(status) else {
            throw Reason(.unusableStatus(status))
        }
        return status
    }

    /// The reading's time: `effectiveDateTime` (or `effectiveInstant`), or an `effectivePeriod`'s end
    /// (its start if it has no end). A FHIR date with no time of day (`2026-11-22`, `2026-11`) is
    /// valid R4 and allowed by the vital-signs profile; the receive time stands in, with a warning.
    private func effectiveTime(_ warnings: inout [String]) throws(Reason) -> String {
        let missing = "\"effectiveDateTime\" (or \"effectivePeriod\"), the RFC 3339 time of the reading such as 2026-11-22T02:14:07Z"
        let field: String, ts: String
        if let p = fields["effectivePeriod"], p != .null {
            guard case .object(let period) = p else { throw Reason(.wrongType(field: "effectivePeriod", expected: "an object", found: p.typeName)) }
            let key = period["end"] != nil && period["end"] != .null ? "end" : "start"
            field = "effectivePeriod.\(key)"
            ts = try string(key, in: period, field: field, missing: "\"effectivePeriod.start\" or \"effectivePeriod.end\"")
        } else if let instant = fields["effectiveInstant"], instant != .null, fields["effectiveDateTime"] == nil {
            field = "effectiveInstant"
            ts = try string("effectiveInstant", in: fields, field: field, missing: missing)
        } else {
            field = "effectiveDateTime"
            ts = try string("effectiveDateTime", in: fields, field: field, missing: missing)
        }
        if RFC3339.isValid(ts) { return ts }
        guard Self.isDateOnly(ts) else { throw Reason(.invalidTimestamp(ts)) }
        warnings.append("\(field) \(ts) gives no time of day; Vigil's receive time is used as the reading's time")
        return RFC3339.format(millis: receivedAt)
    }

    /// A FHIR `date` (YYYY, YYYY-MM or YYYY-MM-DD) with real month and day.
    static func isDateOnly(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return false }
        let year = Int(parts[0])!
        if parts.count >= 2 { guard let m = Int(parts[1]), (1...12).contains(m) else { return false } }
        if parts.count == 3 { guard let d = Int(parts[2]), d >= 1, d <= Day.daysIn(month: Int(parts[1])!, year: year) else { return false } }
        return year >= 1900
    }

    /// The first LOINC coding of a CodeableConcept that is a vital sign Vigil monitors. An Observation
    /// may carry several codings (the oxygen-saturation profile sends 2708-6 and 59408-5 together).
    private func vitalCode(_ concept: JSONValue?, field: String) throws(Reason) -> FHIRVitalCode {
        guard let concept, concept != .null else {
            throw Reason(.incompleteObservation(missing: "\"\(field)\" with a LOINC coding (system \"\(FHIRVitalCode.loincSystem)\")"))
        }
        guard case .object(let c) = concept else { throw Reason(.wrongType(field: field, expected: "an object", found: concept.typeName)) }
        guard let codingValue = c["coding"], codingValue != .null else {
            throw Reason(.incompleteObservation(missing: "\"\(field).coding\" with a LOINC coding (system \"\(FHIRVitalCode.loincSystem)\")"))
        }
        guard case .array(let codings) = codingValue else {
            throw Reason(.wrongType(field: "\(field).coding", expected: "an array", found: codingValue.typeName))
        }
        var loinc: [String] = []
        for coding in codings {
            guard case .object(let entry) = coding else {
                throw Reason(.wrongType(field: "\(field).coding[]", expected: "an object", found: coding.typeName))
            }
            guard case .string(FHIRVitalCode.loincSystem)? = entry["system"] else { continue }
            guard case .string(let code)? = entry["code"] else { continue }
            if let known = FHIRVitalCode(rawValue: code) { return known }
            loinc.append(code)
        }
        throw Reason(.notAVitalSign(codes: loinc))
    }

    /// A blood-pressure panel: the FHIR R4 blood-pressure profile requires both a systolic and a
    /// diastolic component, so a panel without one is malformed. A component may still carry a
    /// dataAbsentReason instead of a value (the cuff failed on one reading); the other is kept.
    private func readPanel(into vitals: inout VitalSigns) throws(Reason) {
        guard let componentValue = fields["component"], componentValue != .null else {
            throw Reason(.incompleteObservation(missing: "\"component\" with the systolic (8480-6) and diastolic (8462-4) readings of the blood-pressure panel"))
        }
        guard case .array(let components) = componentValue else {
            throw Reason(.wrongType(field: "component", expected: "an array", found: componentValue.typeName))
        }
        var found: [FHIRVitalCode: [String: JSONValue]] = [:]
        for component in components {
            guard case .object(let c) = component else {
                throw Reason(.wrongType(field: "component[]", expected: "an object", found: component.typeName))
            }
            // Components Vigil does not monitor (e.g. mean pressure) are skipped, not rejected.
            if let code = try? vitalCode(c["code"], field: "component.code"), code == .systolic || code == .diastolic {
                found[code] = c
            }
        }
        for code in [FHIRVitalCode.systolic, .diastolic] {
            guard let c = found[code], let parameter = code.parameter else {
                throw Reason(.incompleteObservation(missing: "the \(code.name) component (LOINC \(code.rawValue)) that a blood-pressure panel must have"))
            }
            if let q = c["valueQuantity"], q != .null {
                vitals[keyPath: parameter.keyPath] = try quantity(q, code: code, parameter: parameter, field: "component \(code.rawValue) valueQuantity")
            } else if c["dataAbsentReason"] == nil {
                throw Reason(.incompleteObservation(missing: "a valueQuantity (or a dataAbsentReason) in the \(code.name) component (LOINC \(code.rawValue))"))
            }
        }
        guard vitals.systolic != nil || vitals.diastolic != nil else {
            throw Reason(.incompleteObservation(missing: "a value in either blood-pressure component; both have a dataAbsentReason"))
        }
    }

    /// A UCUM quantity, unit checked, converted to Vigil's unit and range-checked.
    private func quantity(_ value: JSONValue, code: FHIRVitalCode, parameter: VitalParameter, field: String) throws(Reason) -> Double {
        guard case .object(let q) = value else { throw Reason(.wrongType(field: field, expected: "an object", found: value.typeName)) }
        guard let v = q["value"], v != .null else {
            throw Reason(.incompleteObservation(missing: "\"\(field).value\", the \(code.name) reading"))
        }
        guard case .number(let n) = v, n.isFinite else {
            throw Reason(.wrongType(field: "\(field).value", expected: "a number", found: v.typeName))
        }
        // "<" or ">" means the device could not measure exactly; scoring needs a measured value.
        if case .string(let comparator)? = q["comparator"] {
            throw Reason(.invalidValue(field: "\(field).comparator", expected: "absent (an exact reading)", found: "\"\(comparator)\""))
        }
        let unit: String?
        if case .string(let u)? = q["code"] { unit = u } else { unit = nil }
        guard case .string(FHIRVitalCode.ucumSystem)? = q["system"], let unit else {
            let found: String? = switch (unit, q["system"]) {
            case (nil, _): nil
            case (let u?, .string(let s)?): "\"\(u)\" from system \"\(s)\""
            case (let u?, _): "\"\(u)\" without a system"
            }
            throw Reason(.wrongUnit(code: code.rawValue, expected: code.acceptedUnits, found: found))
        }
        guard let converted = code.canonicalValue(n, unit: unit) else {
            throw Reason(.wrongUnit(code: code.rawValue, expected: code.acceptedUnits, found: "\"\(unit)\""))
        }
        // Conversions leave binary noise (98.6 °F is 36.99999…); keep what a clinical device resolves.
        let reading = unit == code.acceptedUnits[0] ? converted : (converted * 1000).rounded() / 1000
        let range = parameter.plausibleRange
        guard range.contains(reading) else {
            let u = parameter.ucumUnit
            throw Reason(.invalidValue(field: "\(field).value",
                                       expected: "a \(code.name) between \(VitalParameter.show(range.lowerBound)) and \(VitalParameter.show(range.upperBound)) \(u)",
                                       found: "\(VitalParameter.show(reading)) \(u)"))
        }
        return reading
    }
}
