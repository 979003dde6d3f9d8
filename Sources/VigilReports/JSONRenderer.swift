import Foundation

/// JSON with snake_case keys, sorted for stable diffs; dates as YYYY-MM-DD.
public enum JSONRenderer {
    public static func render<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try e.encode(value), as: UTF8.self) + "\n"
    }
}
