import VigilCore

/// Decodes and validates a wire v1 event payload (docs/design.md, "The device contract").
public enum EventDecoder {
    /// The contract's limit: 16 KiB.
    public static let maxPayloadBytes = 16 * 1024
    /// Above this an oversized payload is not even parsed to find its id.
    static let maxParseBytes = 256 * 1024

    /// What may refuse an event: the size, UTF-8, JSON (including a key sent twice), and a missing or
    /// invalid `id` or `type` (docs/design.md, "The device contract"). Every other field is optional
    /// to the decision: when `ts`, `battery` or a `detail` key is malformed it is dropped and named in
    /// the event's `warnings`, and the event is triaged on what remains. A missing or malformed `ts`
    /// is replaced by Vigil's receive time, which every timer uses anyway.
    public static func decode(_ payload: [UInt8], deviceID: String, receivedAt: EpochMillis) -> Result<DeviceEvent, Rejection> {
        if payload.count > maxPayloadBytes {
            let id = payload.count <= maxParseBytes ? JSONValue.readableID(in: payload) : nil
            return .failure(Rejection(.payloadTooLarge(bytes: payload.count), eventID: id))
        }
        guard String(validating: payload, as: UTF8.self) != nil else {
            return .failure(Rejection(.invalidUTF8))
        }
        let json: JSONValue, outOfRange: [String: String]
        switch JSONValue.read(payload) {
        case .failure(let r):
            return .failure(Rejection(r.reason, eventID: r.reason.leavesIDReadable ? JSONValue.readableID(in: payload) : nil))
        case .success(let read):
            (json, outOfRange) = read
        }
        guard case .object(let o) = json else { return .failure(Rejection(.notAnObject(found: json.typeName))) }

        // The id first, so that every later rejection can be acked to the device.
        guard let idValue = o["id"] else { return .failure(Rejection(.missingField("id"))) }
        guard case .string(let id) = idValue else {
            return .failure(Rejection(.wrongType(field: "id", expected: "a string", found: idValue.typeName)))
        }
        // An id that breaks the grammar is still echoed (cut to the grammar's length), so the maker can
        // see which event was refused and the device stops resending it.
        guard Identifier.isValid(id) else { return .failure(Rejection(.invalidID(id), eventID: id.isEmpty ? nil : String(id.prefix(64)))) }
        func reject(_ r: RejectReason) -> Result<DeviceEvent, Rejection> { .failure(Rejection(r, eventID: id)) }

        guard let typeValue = o["type"] else { return reject(.missingField("type")) }
        guard case .string(let typeName) = typeValue else {
            return reject(.wrongType(field: "type", expected: "a string", found: typeValue.typeName))
        }
        // `device_fault` is Vigil's own word for a device that needs its installer; no device sends it.
        guard let type = EventType(rawValue: typeName), type != .deviceFault else { return reject(.unknownType(typeName)) }

        var side = SideFields(outOfRange: outOfRange)
        // The receive time is formatted only for an event without a usable `ts` (most have one).
        let deviceTime: String
        switch o["ts"] {
        case nil, .null?:
            side.warn("ts is missing; Vigil's receive time is used")
            deviceTime = RFC3339.format(millis: receivedAt)
        case .string(let ts)? where RFC3339.isValid(ts):
            deviceTime = ts
        case let v?:
            side.warn("ts \(side.show(v, at: "ts")) is not an RFC 3339 date-time such as 2026-11-22T02:14:07Z; Vigil's receive time is used")
            deviceTime = RFC3339.format(millis: receivedAt)
        }

        var battery: Int?
        switch o["battery"] {
        case nil, .null?:
            break
        case .number(let n)? where n.isFinite && n >= 0 && n <= 100 && n == n.rounded():
            battery = Int(n)
        case .number(let n)? where n.isFinite && n >= 0 && n <= 100:
            side.warn("battery \(VitalParameter.show(n)) is not a whole percent; ignored")
        case let v?:
            side.warn("battery \(side.show(v, at: "battery")) is not a percent from 0 to 100; ignored")
        }

        var detailObject: [String: JSONValue] = [:]
        switch o["detail"] {
        case nil, .null?:
            break
        case .object(let obj)?:
            detailObject = obj
        case let v?:
            side.warn("detail is \(v.typeName), not an object; ignored")
        }
        let detail = DetailDecoder(type: type, fields: detailObject).decode(into: &side)
        return .success(DeviceEvent(deviceID: deviceID, eventID: id, type: type, deviceTime: deviceTime, battery: battery, detail: detail, warnings: side.warnings))
    }
}

/// The warnings of one event's optional fields, and how to show a value in one.
struct SideFields {
    /// Numbers too large for a Double, by the path of their key, as sent.
    var outOfRange: [String: String]
    private(set) var warnings: [String] = []

    init(outOfRange: [String: String]) {
        self.outOfRange = outOfRange
    }

    mutating func warn(_ sentence: String) {
        // A hostile payload could name hundreds of bad keys; the ack stays small.
        if warnings.count < Self.maxWarnings { warnings.append(sentence) }
    }

    static let maxWarnings = 16

    /// A short rendering of a value as sent: strings quoted and cut, numbers as written.
    func show(_ v: JSONValue, at path: String) -> String {
        switch v {
        case .string(let s): "\"\(s.prefix(40))\""
        case .number(let n) where n.isFinite: VitalParameter.show(n)
        case .number: outOfRange[path] ?? "out of range"
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .array, .object: v.typeName
        }
    }
}

/// Reads the `detail` keys each event type defines; other keys are kept only in the raw payload. A
/// key that is malformed is dropped with a warning, and the event is triaged without it (a door with
/// no usable state is recorded, not raised: Vigil cannot tell it was opened).
struct DetailDecoder {
    var type: EventType
    var fields: [String: JSONValue]

    func decode(into side: inout SideFields) -> EventDetail {
        var d = EventDetail()
        switch type {
        case .temperature:
            d.celsius = number("celsius", &side)
            if d.celsius == nil { side.warn("a temperature event needs detail.celsius as a number; recorded without a reading") }
        case .door:
            d.state = state(["open", "closed"], &side)
            d.exit = bool("exit", &side)
        case .bed, .chair:
            d.state = state(["vacated", "occupied"], &side)
        case .inactivity:
            d.minutes = number("minutes", range: 0...100_000, &side)
        case .medication:
            d.state = state(["missed", "taken", "late"], &side)
        case .power:
            d.state = state(["lost", "restored"], &side)
        case .fall:
            d.confidence = number("confidence", range: 0...1, &side)
        case .vitals:
            d.vitals = vitals(&side)
        default:
            break
        }
        return d
    }

    private func state(_ allowed: [String], _ side: inout SideFields) -> String? {
        let list = allowed.map { "\"\($0)\"" }.joined(separator: " or ")
        guard let v = fields["state"], v != .null else {
            side.warn("a \(type.rawValue) event needs detail.state (\(list)); recorded without it")
            return nil
        }
        guard case .string(let s) = v, allowed.contains(s) else {
            side.warn("detail.state \(side.show(v, at: "detail.state")) of a \(type.rawValue) event is not \(list); ignored")
            return nil
        }
        return s
    }

    private func bool(_ key: String, _ side: inout SideFields) -> Bool? {
        guard let v = fields[key], v != .null else { return nil }
        guard case .bool(let b) = v else {
            side.warn("detail.\(key) \(side.show(v, at: "detail.\(key)")) is not true or false; ignored")
            return nil
        }
        return b
    }

    private func number(_ key: String, range: ClosedRange<Double>? = nil, _ side: inout SideFields) -> Double? {
        guard let v = fields[key], v != .null else { return nil }
        let shown = side.show(v, at: "detail.\(key)")
        guard case .number(let n) = v, n.isFinite else {
            side.warn("detail.\(key) \(shown) is not a number; ignored")
            return nil
        }
        if let range, !range.contains(n) {
            side.warn("detail.\(key) \(shown) is not between \(VitalParameter.show(range.lowerBound)) and \(VitalParameter.show(range.upperBound)); ignored")
            return nil
        }
        return n
    }

    private func vitals(_ side: inout SideFields) -> VitalSigns {
        var v = VitalSigns()
        // The ranges are shared with the FHIR adapter (VitalParameter), so both formats agree.
        for parameter in VitalParameter.allCases {
            if let n = number(parameter.key, range: parameter.plausibleRange, &side) { v[keyPath: parameter.keyPath] = n }
        }
        v.onOxygen = bool("oxygen", &side)
        if let c = fields["consciousness"], c != .null {
            if case .string(let s) = c, let level = Consciousness(rawValue: s.uppercased()) {
                v.consciousness = level
            } else {
                side.warn("detail.consciousness \(side.show(c, at: "detail.consciousness")) is not one of \"A\", \"C\", \"V\", \"P\", \"U\" (ACVPU); ignored")
            }
        }
        if v.isEmpty {
            side.warn("a vitals event needs at least one reading in detail (spo2, pulse, systolic, diastolic, respiration, temperature, weight_kg, glucose_mmol or consciousness); recorded without one")
        }
        return v
    }
}
