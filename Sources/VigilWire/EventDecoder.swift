import VigilCore

/// Decodes and validates a wire v1 event payload (docs/design.md, "The device contract").
public enum EventDecoder {
    /// The contract's limit: 16 KiB.
    public static let maxPayloadBytes = 16 * 1024
    /// Above this an oversized payload is not even parsed to find its id.
    static let maxParseBytes = 256 * 1024

    public static func decode(_ payload: [UInt8], deviceID: String) -> Result<DeviceEvent, Rejection> {
        if payload.count > maxPayloadBytes {
            var id: String?
            if payload.count <= maxParseBytes, case .object(let o)? = JSONValue.parse(payload),
               case .string(let s)? = o["id"], Identifier.isValid(s) { id = s }
            return .failure(Rejection(.payloadTooLarge(bytes: payload.count), eventID: id))
        }
        guard String(validating: payload, as: UTF8.self) != nil else {
            return .failure(Rejection(.invalidUTF8))
        }
        guard let json = JSONValue.parse(payload) else { return .failure(Rejection(.invalidJSON)) }
        guard case .object(let o) = json else { return .failure(Rejection(.notAnObject(found: json.typeName))) }

        // The id first, so that every later rejection can be acked to the device.
        guard let idValue = o["id"] else { return .failure(Rejection(.missingField("id"))) }
        guard case .string(let id) = idValue else {
            return .failure(Rejection(.wrongType(field: "id", expected: "a string", found: idValue.typeName)))
        }
        guard Identifier.isValid(id) else { return .failure(Rejection(.invalidID(id))) }
        func reject(_ r: RejectReason) -> Result<DeviceEvent, Rejection> { .failure(Rejection(r, eventID: id)) }

        guard let tsValue = o["ts"] else { return reject(.missingField("ts")) }
        guard case .string(let ts) = tsValue else {
            return reject(.wrongType(field: "ts", expected: "a string", found: tsValue.typeName))
        }
        guard RFC3339.isValid(ts) else { return reject(.invalidTimestamp(ts)) }

        guard let typeValue = o["type"] else { return reject(.missingField("type")) }
        guard case .string(let typeName) = typeValue else {
            return reject(.wrongType(field: "type", expected: "a string", found: typeValue.typeName))
        }
        guard let type = EventType(rawValue: typeName) else { return reject(.unknownType(typeName)) }

        var battery: Int?
        if let b = o["battery"], b != .null {
            guard case .number(let n) = b, n >= 0, n <= 100, n == n.rounded() else { return reject(.invalidBattery) }
            battery = Int(n)
        }

        var detailObject: [String: JSONValue] = [:]
        if let d = o["detail"], d != .null {
            guard case .object(let obj) = d else {
                return reject(.wrongType(field: "detail", expected: "an object", found: d.typeName))
            }
            detailObject = obj
        }
        switch DetailDecoder(type: type, fields: detailObject).decode() {
        case .success(let detail):
            return .success(DeviceEvent(deviceID: deviceID, eventID: id, type: type, deviceTime: ts, battery: battery, detail: detail))
        case .failure(let why):
            return reject(.invalidDetail(why.message))
        }
    }
}

struct DetailError: Error {
    var message: String
}

/// Reads the `detail` keys each event type defines; other keys are kept only in the raw payload.
struct DetailDecoder {
    var type: EventType
    var fields: [String: JSONValue]

    func decode() -> Result<EventDetail, DetailError> {
        do {
            var d = EventDetail()
            switch type {
            case .temperature:
                d.celsius = try number("celsius", required: true)
            case .door:
                d.state = try state(["open", "closed"])
                d.exit = try bool("exit")
            case .bed, .chair:
                d.state = try state(["vacated", "occupied"])
            case .inactivity:
                d.minutes = try number("minutes", range: 0...100_000)
            case .medication:
                d.state = try state(["missed", "taken", "late"])
            case .power:
                d.state = try state(["lost", "restored"])
            case .fall:
                d.confidence = try number("confidence", range: 0...1)
            case .vitals:
                d.vitals = try vitals()
            default:
                break
            }
            return .success(d)
        } catch let e as DetailError {
            return .failure(e)
        } catch {
            return .failure(DetailError(message: "The detail object could not be read."))
        }
    }

    private func state(_ allowed: [String]) throws -> String {
        let list = allowed.map { "\"\($0)\"" }.joined(separator: " or ")
        guard let v = fields["state"] else {
            throw DetailError(message: "A \(type.rawValue) event needs \"detail.state\": \(list).")
        }
        guard case .string(let s) = v, allowed.contains(s) else {
            throw DetailError(message: "\"detail.state\" of a \(type.rawValue) event must be \(list).")
        }
        return s
    }

    private func bool(_ key: String) throws -> Bool? {
        guard let v = fields[key], v != .null else { return nil }
        guard case .bool(let b) = v else {
            throw DetailError(message: "\"detail.\(key)\" must be true or false but is \(v.typeName).")
        }
        return b
    }

    private func number(_ key: String, required: Bool = false, range: ClosedRange<Double>? = nil) throws -> Double? {
        guard let v = fields[key], v != .null else {
            if required { throw DetailError(message: "A \(type.rawValue) event needs \"detail.\(key)\" as a number.") }
            return nil
        }
        guard case .number(let n) = v, n.isFinite else {
            throw DetailError(message: "\"detail.\(key)\" must be a number but is \(v.typeName).")
        }
        if let range, !range.contains(n) {
            throw DetailError(message: "\"detail.\(key)\" must be between \(Self.show(range.lowerBound)) and \(Self.show(range.upperBound)); it is \(Self.show(n)).")
        }
        return n
    }

    private static func show(_ x: Double) -> String { VitalParameter.show(x) }

    private func vitals() throws -> VitalSigns {
        var v = VitalSigns()
        // The ranges are shared with the FHIR adapter (VitalParameter), so both formats agree.
        for parameter in VitalParameter.allCases {
            if let n = try number(parameter.key, range: parameter.plausibleRange) { v[keyPath: parameter.keyPath] = n }
        }
        v.onOxygen = try bool("oxygen")
        if let c = fields["consciousness"], c != .null {
            guard case .string(let s) = c, let level = Consciousness(rawValue: s.uppercased()) else {
                throw DetailError(message: "\"detail.consciousness\" must be one of \"A\", \"C\", \"V\", \"P\", \"U\" (ACVPU).")
            }
            v.consciousness = level
        }
        guard !v.isEmpty else {
            throw DetailError(message: "A vitals event needs at least one reading in \"detail\": spo2, pulse, systolic, diastolic, respiration, temperature, weight_kg, glucose_mmol or consciousness.")
        }
        return v
    }
}
