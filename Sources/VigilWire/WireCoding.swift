import Foundation
import VigilCore

/// Writes Vigil's messages as compact JSON. Keys are sorted because JSONEncoder on Linux keeps no
/// key order at all, so sorting is what makes the same message the same bytes from run to run;
/// slashes are left unescaped, as JSON allows, so topics and URLs read as themselves.
///
/// A loop that sends many messages keeps one: making a JSONEncoder per ack would cost the ack path
/// an allocation and its configuration every time.
public struct WireEncoder: Sendable {
    private let json: JSONEncoder

    public init() {
        json = JSONEncoder()
        json.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    /// The message's bytes. Vigil's message types hold only strings, integers, booleans and finite
    /// numbers, so encoding cannot fail; a NaN or an infinity is a bug upstream and stops here.
    public func encode(_ message: some Encodable) -> [UInt8] {
        do {
            return Array(try json.encode(message))
        } catch {
            preconditionFailure("\(type(of: message)) is not expressible in JSON: \(error)")
        }
    }
}

/// Reads Vigil's own messages at their receivers. Untrusted input (device events, FHIR and
/// Zigbee2MQTT payloads) has its own decoders, which say which field is wrong.
public struct WireDecoder: Sendable {
    private let json = JSONDecoder()

    public init() {}

    /// The message, or nil when the payload is not one.
    public func decode<M: Decodable>(_ type: M.Type, from payload: [UInt8]) -> M? {
        try? json.decode(type, from: Data(payload))
    }
}

// Every time in a Vigil message is RFC 3339 in UTC with milliseconds (`2026-11-22T02:14:07.000Z`);
// the types hold epoch milliseconds, as the rest of Vigil does.
extension KeyedEncodingContainer {
    /// Writes null for nil, for keys that are always present.
    mutating func encode(time ms: EpochMillis?, forKey key: Key) throws {
        try encode(ms.map { RFC3339.format(millis: $0) }, forKey: key)
    }
}

extension KeyedDecodingContainer {
    func decode(time key: Key) throws -> EpochMillis {
        guard let ms = try decodeIfPresent(time: key) else {
            throw DecodingError.valueNotFound(String.self, .init(codingPath: codingPath + [key], debugDescription: "A time is required."))
        }
        return ms
    }

    /// Nil for a missing key or null.
    func decodeIfPresent(time key: Key) throws -> EpochMillis? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let ms = RFC3339.millis(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "\(text) is not an RFC 3339 date-time.")
        }
        return ms
    }
}
