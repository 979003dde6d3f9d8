import VigilCore

/// Why an incoming message was not accepted. Every case has a sentence a person can act on.
public enum RejectReason: Sendable, Equatable {
    case payloadTooLarge(bytes: Int)
    case invalidUTF8
    case invalidJSON
    case notAnObject(found: String)
    case missingField(String)
    case wrongType(field: String, expected: String, found: String)
    case invalidID(String)
    case invalidTimestamp(String)
    case unknownType(String)
    case invalidDetail(String)
    case invalidBattery
    case unknownDevice(String)
    case badTopic(String)
    // The adapters (Zigbee2MQTT, FHIR) add the cases below. They extend this enum rather than defining
    // their own error type so that the daemon's single dead-letter and ack path (code + sentence)
    // serves every format unchanged; the cases above keep their codes and sentences.
    /// A known field has the right JSON type but a value Vigil cannot use (e.g. battery "full").
    case invalidValue(field: String, expected: String, found: String)
    /// The FHIR payload is some other resource (or has no `resourceType`).
    case notAnObservation(found: String)
    /// A required Observation element is absent; the text names it and says what it should hold.
    case incompleteObservation(missing: String)
    /// An Observation status that says the reading must not be used (FHIR R4 ObservationStatus).
    case unusableStatus(String)
    /// The Observation's LOINC codes, none of which is a vital sign Vigil monitors.
    case notAVitalSign(codes: [String])
    /// A quantity whose UCUM unit is missing or not one Vigil can convert for that LOINC code.
    case wrongUnit(code: String, expected: [String], found: String?)
    // Issue 12, section 11: a payload must read one way only, and say which number it cannot hold.
    /// The same key twice in one object (the path of the key): parsers disagree on which copy counts.
    case duplicateKey(String)
    /// A number too large for a 64-bit float (`1e400`), with the path of its key and the literal.
    case numberOutOfRange(field: String, literal: String)
    // Issue 12, section 9: one device cannot drown the others.
    /// A registered device sent more than its budget (`burst` at once, then `perMinute`); emergencies are never refused.
    case rateLimited(burst: Int, perMinute: Double)

    /// A JSON problem that still leaves the payload's `id` trustworthy: a key other than `id` sent twice.
    public var leavesIDReadable: Bool {
        switch self {
        case .duplicateKey(let path): path != "id"
        case .numberOutOfRange: true
        default: false
        }
    }

    /// A stable short code, stored in the dead-letter table and counted.
    public var code: String {
        switch self {
        case .payloadTooLarge: "payload_too_large"
        case .invalidUTF8: "invalid_utf8"
        case .invalidJSON: "invalid_json"
        case .notAnObject: "not_an_object"
        case .missingField: "missing_field"
        case .wrongType: "wrong_type"
        case .invalidID: "invalid_id"
        case .invalidTimestamp: "invalid_timestamp"
        case .unknownType: "unknown_type"
        case .invalidDetail: "invalid_detail"
        case .invalidBattery: "invalid_battery"
        case .unknownDevice: "unknown_device"
        case .badTopic: "bad_topic"
        case .invalidValue: "invalid_value"
        case .notAnObservation: "not_an_observation"
        case .incompleteObservation: "incomplete_observation"
        case .unusableStatus: "unusable_status"
        case .notAVitalSign: "not_a_vital_sign"
        case .wrongUnit: "wrong_unit"
        case .duplicateKey: "duplicate_key"
        case .numberOutOfRange: "number_out_of_range"
        case .rateLimited: "rate_limited"
        }
    }

    public var sentence: String {
        switch self {
        case .payloadTooLarge(let n):
            "The payload is \(n) bytes; events are limited to \(EventDecoder.maxPayloadBytes) bytes. Send a smaller event."
        case .invalidUTF8:
            "The payload is not valid UTF-8 text. Encode the event as UTF-8 JSON."
        case .invalidJSON:
            "The payload is not valid JSON. Send one JSON object per message."
        case .notAnObject(let found):
            "The payload is \(found), not a JSON object. Send one JSON object per message."
        case .missingField(let f):
            "The required field \"\(f)\" is missing. Every event needs \"id\", \"ts\" and \"type\"."
        case .wrongType(let f, let expected, let found):
            "The field \"\(f)\" must be \(expected) but is \(found)."
        case .invalidID(let id):
            "The id \"\(id.prefix(80))\" is not valid: use 1 to 64 characters of letters, digits and . _ : -"
        case .invalidTimestamp(let ts):
            "The timestamp \"\(ts.prefix(80))\" is not an RFC 3339 date-time such as 2026-11-22T02:14:07Z."
        case .unknownType(let t):
            "The event type \"\(t.prefix(80))\" is not known. Use one of: \(EventType.allCases.filter { $0 != .deviceFault }.map(\.rawValue).joined(separator: ", "))."
        case .invalidDetail(let why):
            why
        case .invalidBattery:
            "The field \"battery\" must be a whole number of percent from 0 to 100."
        case .unknownDevice(let d):
            "The device \"\(d)\" is not registered with this centre. Register it with `vigil devices add` before it sends events."
        case .badTopic(let t):
            "The topic \"\(t.prefix(120))\" does not follow {prefix}/v1/devices/{deviceId}/events with a valid device id."
        case .invalidValue(let f, let expected, let found):
            "The field \"\(f)\" must be \(expected) but is \(found.prefix(80))."
        case .notAnObservation(let found):
            "This is \(found.prefix(120)), not a FHIR R4 Observation. Send an Observation (\"resourceType\": \"Observation\"), or a Bundle whose entries are Observations."
        case .incompleteObservation(let missing):
            "The Observation has no \(missing)."
        case .unusableStatus(let s):
            "The Observation status \"\(s.prefix(40))\" means the reading is not a usable result. Send final, amended, corrected or preliminary readings only."
        case .notAVitalSign(let codes):
            (codes.isEmpty
                ? "The Observation has no LOINC coding (system \"\(FHIRVitalCode.loincSystem)\"), so it is not a vital sign Vigil monitors."
                : "The LOINC code\(codes.count == 1 ? "" : "s") \(codes.map { String($0.prefix(20)) }.joined(separator: ", ")) \(codes.count == 1 ? "is" : "are") not a vital sign Vigil monitors.")
                + " Use one of: \(FHIRVitalCode.allCases.map(\.summary).joined(separator: "; "))."
        case .wrongUnit(let code, let expected, let found):
            "The value of LOINC \(code) must carry a UCUM unit (system \"\(FHIRVitalCode.ucumSystem)\") of \(expected.map { "\"\($0)\"" }.joined(separator: " or ")), but has \(found.map { String($0.prefix(100)) } ?? "none")."
        case .duplicateKey(let path):
            "The key \"\(path.prefix(80))\" appears twice in one object, so the payload could be read two ways. Send each key once."
        case .numberOutOfRange(let field, let literal):
            "The number \(literal.prefix(40)) in \"\(field.prefix(80))\" is out of range. Send a number a 64-bit float can hold."
        case .rateLimited(let burst, let perMinute):
            "The device sent more events than its budget (\(burst) at once, then \(perMinute == perMinute.rounded() && perMinute < 1e9 ? "\(Int(perMinute))" : "\(perMinute)") a minute); this one was not stored. Emergencies are always taken: send only changes of state."
        }
    }
}

/// A message that could not be accepted, with the event id when one could be read (so it can be acked).
public struct Rejection: Error, Sendable, Equatable {
    public var reason: RejectReason
    public var eventID: String?

    public init(_ reason: RejectReason, eventID: String? = nil) {
        self.reason = reason
        self.eventID = eventID
    }
}
