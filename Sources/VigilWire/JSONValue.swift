import Foundation

/// Any JSON value, decoded without guessing: a number never reads as a Bool or the other way round.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let n = try? c.decode(Double.self) { self = .number(n); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        self = .object(try c.decode([String: JSONValue].self))
    }

    /// JSON has no NaN or infinity, so a number that is not finite is written as null.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n) where n.isFinite: try c.encode(n)
        case .number: try c.encodeNil()
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses a whole document. Returns nil for anything that is not valid JSON. A repeated key keeps
    /// its first value and a number too large for a Double reads as an infinity: use `read` for a
    /// payload that is acted on, which refuses the first and names the second.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        JSONParser.parse(bytes)?.value
    }

    /// A whole document read for acting on: not JSON, or the same key twice in one object (other
    /// parsers would read the stored payload the other way), is refused. A number too large for a
    /// Double is kept as an infinity and listed by the path of its key with the literal as sent, so
    /// the decoder can name the field (and, for a side field, drop it rather than refuse the event).
    public static func read(_ bytes: [UInt8]) -> Result<(value: JSONValue, outOfRange: [String: String]), Rejection> {
        guard let (value, problems) = JSONParser.parse(bytes) else { return .failure(Rejection(.invalidJSON)) }
        var outOfRange: [String: String] = [:]
        for problem in problems {
            switch problem {
            case .duplicateKey(let path): return .failure(Rejection(.duplicateKey(path)))
            case .numberOutOfRange(let path, let literal): outOfRange[path] = outOfRange[path] ?? literal
            }
        }
        return .success((value, outOfRange))
    }

    /// The payload's top-level `id` when it is a valid identifier, read leniently: a refused payload
    /// (too large, a repeated key elsewhere) is still acked under its id, so the device stops resending.
    public static func readableID(in bytes: [UInt8]) -> String? {
        guard case .object(let o)? = parse(bytes), case .string(let s)? = o["id"], Identifier.isValid(s) else { return nil }
        return s
    }

    /// `read`, refusing a number out of range too (naming its field): for formats whose every number
    /// is a reading Vigil would act on (Zigbee2MQTT state, FHIR Observations).
    public static func readStrict(_ bytes: [UInt8]) -> Result<JSONValue, Rejection> {
        switch read(bytes) {
        case .failure(let r): return .failure(r)
        case .success(let (value, outOfRange)):
            if let (path, literal) = outOfRange.min(by: { $0.key < $1.key }) { return .failure(Rejection(.numberOutOfRange(field: path, literal: literal))) }
            return .success(value)
        }
    }

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
